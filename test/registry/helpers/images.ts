import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { requireTools, run } from './processes.ts';

/** An OCI image layout on disk with two tags: `single` (one linux/amd64 manifest) and `multi` (an index of two platforms). */
export interface OciLayout {
  dir: string;
  /** Digest of the `single` manifest (kept as is when pushed without conversion). */
  singleDigest: string;
  /** Digest of the `multi` index. */
  indexDigest: string;
  remove(): Promise<void>;
}

const sha256 = (data: Buffer): string => `sha256:${createHash('sha256').update(data).digest('hex')}`;

/** A ustar archive holding one file: the smallest real layer. */
function tarOneFile(name: string, content: string): Buffer {
  const body = Buffer.from(content);
  const header = Buffer.alloc(512);
  const put = (text: string, offset: number, length: number): void =>
    void header.write(text, offset, length, 'ascii');
  put(name, 0, 100);
  put('0000644\0', 100, 8);
  put('0000000\0', 108, 8);
  put('0000000\0', 116, 8);
  put(`${body.length.toString(8).padStart(11, '0')}\0`, 124, 12);
  put(`${(1577836800).toString(8).padStart(11, '0')}\0`, 136, 12);
  put('        ', 148, 8);
  put('0', 156, 1);
  put('ustar\0', 257, 6);
  put('00', 263, 2);
  let sum = 0;
  for (const byte of header) sum += byte;
  put(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8);
  const padding = Buffer.alloc((512 - (body.length % 512)) % 512);
  return Buffer.concat([header, body, padding, Buffer.alloc(1024)]);
}

/** Builds the layout by hand: config blobs, one gzip layer per platform, manifests, an index, `index.json`. */
export async function buildOciLayout(): Promise<OciLayout> {
  const dir = await mkdtemp(path.join(tmpdir(), 'z2jh-oci-'));
  const blobs = path.join(dir, 'blobs', 'sha256');
  await mkdir(blobs, { recursive: true });
  const putBlob = async (data: Buffer): Promise<{ digest: string; size: number }> => {
    const digest = sha256(data);
    await writeFile(path.join(blobs, digest.slice('sha256:'.length)), data);
    return { digest, size: data.length };
  };
  const image = async (architecture: string): Promise<{ digest: string; size: number }> => {
    const tar = tarOneFile('hello.txt', `hello from ${architecture}\n`);
    const layer = await putBlob(gzipSync(tar));
    const config = await putBlob(
      Buffer.from(
        JSON.stringify({
          architecture,
          os: 'linux',
          config: { Cmd: ['/hello'] },
          rootfs: { type: 'layers', diff_ids: [sha256(tar)] },
        }),
      ),
    );
    const manifest = {
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
      layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', ...layer }],
    };
    return putBlob(Buffer.from(JSON.stringify(manifest)));
  };
  const amd64 = await image('amd64');
  const arm64 = await image('arm64');
  const index = await putBlob(
    Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.index.v1+json',
        manifests: [
          {
            mediaType: 'application/vnd.oci.image.manifest.v1+json',
            ...amd64,
            platform: { architecture: 'amd64', os: 'linux' },
          },
          {
            mediaType: 'application/vnd.oci.image.manifest.v1+json',
            ...arm64,
            platform: { architecture: 'arm64', os: 'linux' },
          },
        ],
      }),
    ),
  );
  const ref = (name: string): { annotations: Record<string, string> } => ({
    annotations: { 'org.opencontainers.image.ref.name': name },
  });
  await writeFile(path.join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  await writeFile(
    path.join(dir, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      manifests: [
        { mediaType: 'application/vnd.oci.image.manifest.v1+json', ...amd64, ...ref('single') },
        { mediaType: 'application/vnd.oci.image.index.v1+json', ...index, ...ref('multi') },
      ],
    }),
  );
  return {
    dir,
    singleDigest: amd64.digest,
    indexDigest: index.digest,
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

/**
 * Pushes a tag of the layout with skopeo (over plain HTTP) and returns the digest the registry stores.
 * `format: 'v2s2'` converts to a Docker schema-2 manifest; `all` pushes a whole index.
 */
export async function pushImage(
  layout: OciLayout,
  source: 'single' | 'multi',
  destination: string,
  options: { creds?: string; format?: 'v2s2' } = {},
): Promise<string> {
  requireTools('skopeo');
  const digestFile = path.join(layout.dir, `digest-${process.pid}-${Math.random().toString(36).slice(2)}`);
  const args = ['copy', '--quiet', '--dest-tls-verify=false', '--digestfile', digestFile];
  if (options.creds) args.push('--dest-creds', options.creds);
  if (options.format) args.push('--format', options.format);
  if (source === 'multi') args.push('--all');
  args.push(`oci:${layout.dir}:${source}`, `docker://${destination}`);
  await run('skopeo', args, { timeout: 60_000 });
  return (await readFile(digestFile, 'utf8')).trim();
}
