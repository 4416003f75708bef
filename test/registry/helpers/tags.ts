import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import { startProxy, type TestProxy } from './proxy.ts';

const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const sha256 = (data: Buffer): string => `sha256:${createHash('sha256').update(data).digest('hex')}`;

/** How to authorise pushes to one repository: extra headers (none for a registry without auth). */
export type PushAuth = (repository: string) => Promise<Record<string, string>>;

/** Pushes need no headers on a registry without auth. */
export const noAuth: PushAuth = async () => ({});

/** Push authorisation from a token issuer: a `pull,push` token for a known user, fetched per repository. */
export function tokenPushAuth(realm: string, service: string, user: string, password: string): PushAuth {
  const basic = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  return async (repository) => {
    const scope = `repository:${repository}:pull,push`;
    const url = `${realm}?service=${encodeURIComponent(service)}&scope=${encodeURIComponent(scope)}`;
    const { token } = (await (await fetch(url, { headers: { Authorization: basic } })).json()) as {
      token: string;
    };
    return { Authorization: `Bearer ${token}` };
  };
}

async function uploadBlob(
  host: string,
  repository: string,
  data: Buffer,
  headers: Record<string, string>,
): Promise<void> {
  const start = await fetch(`http://${host}/v2/${repository}/blobs/uploads/`, { method: 'POST', headers });
  await start.body?.cancel();
  const location = start.headers.get('location');
  if (start.status !== 202 || location === null)
    throw new Error(`blob upload to ${repository} answered ${start.status}`);
  const url = new URL(location, `http://${host}`);
  url.searchParams.set('digest', sha256(data));
  const put = await fetch(url, {
    method: 'PUT',
    headers: { ...headers, 'Content-Type': 'application/octet-stream' },
    body: new Uint8Array(data),
  });
  await put.body?.cancel();
  if (put.status !== 201) throw new Error(`blob PUT to ${repository} answered ${put.status}`);
}

/**
 * Pushes a tiny image whose config says it was `created` at the given time (so hash tags can be ordered by it),
 * under each of `tags`, with plain distribution API calls. Returns the manifest digest.
 */
export async function pushCreatedImage(
  host: string,
  repository: string,
  tags: readonly string[],
  created: string,
  auth: PushAuth = noAuth,
): Promise<string> {
  const headers = await auth(repository);
  const layer = gzipSync(Buffer.from(`layer of ${repository} created ${created}\n`));
  const config = Buffer.from(
    JSON.stringify({ architecture: 'amd64', os: 'linux', created, rootfs: { type: 'layers', diff_ids: [] } }),
  );
  await uploadBlob(host, repository, layer, headers);
  await uploadBlob(host, repository, config, headers);
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: {
        mediaType: 'application/vnd.oci.image.config.v1+json',
        digest: sha256(config),
        size: config.length,
      },
      layers: [
        {
          mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
          digest: sha256(layer),
          size: layer.length,
        },
      ],
    }),
  );
  for (const tag of tags) {
    const put = await fetch(`http://${host}/v2/${repository}/manifests/${tag}`, {
      method: 'PUT',
      headers: { ...headers, 'Content-Type': OCI_MANIFEST },
      body: new Uint8Array(manifest),
    });
    await put.body?.cancel();
    if (put.status !== 201) throw new Error(`PUT ${repository}:${tag} answered ${put.status}`);
  }
  return sha256(manifest);
}

/** A paging front for a registry that ignores `n=` (Debian's 2.8): it pages `tags/list` itself, with `Link` headers. */
export interface PagingProxy extends TestProxy {
  /** The tags/list pages served so far (path with query). */
  pages: string[];
}

/**
 * Starts a proxy that answers `GET /v2/<name>/tags/list?n=&last=` by fetching the whole list from the registry
 * (with the caller's Authorization) and cutting it as the distribution spec describes: sorted, at most `n`
 * after `last`, and `Link: </v2/<name>/tags/list?n=…&last=…>; rel="next"` when more follow.
 * Every other request passes through unchanged.
 */
export async function startPagingProxy(target: string): Promise<PagingProxy> {
  const pages: string[] = [];
  const page = async (
    request: IncomingMessage,
    response: ServerResponse,
    url: URL,
    name: string,
  ): Promise<void> => {
    const upstream = await fetch(`http://${target}/v2/${name}/tags/list`, {
      headers: request.headers.authorization ? { Authorization: request.headers.authorization } : {},
    });
    if (upstream.status !== 200) {
      const headers: Record<string, string> = {};
      upstream.headers.forEach((value, key) => void (headers[key] = value));
      delete headers['content-length'];
      response.writeHead(upstream.status, headers).end(await upstream.text());
      return;
    }
    const all = (((await upstream.json()) as { tags?: string[] | null }).tags ?? []).sort();
    const n = Number(url.searchParams.get('n') ?? all.length);
    const last = url.searchParams.get('last');
    const from = last === null ? 0 : all.findIndex((t) => t > last);
    const slice = from === -1 ? [] : all.slice(from, from + n);
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    const end = slice.at(-1);
    if (from !== -1 && from + n < all.length && end !== undefined)
      headers['Link'] = `</v2/${name}/tags/list?n=${n}&last=${encodeURIComponent(end)}>; rel="next"`;
    response.writeHead(200, headers).end(JSON.stringify({ name, tags: slice }));
  };
  const proxy = await startProxy(target, {
    intercept: (request, response) => {
      const url = new URL(request.url ?? '/', 'http://x');
      const match = /^\/v2\/(.+)\/tags\/list$/.exec(url.pathname);
      if (request.method !== 'GET' || !match?.[1]) return false;
      pages.push(request.url ?? '');
      void page(request, response, url, match[1]).catch(() => response.writeHead(502).end());
      return true;
    },
  });
  return Object.assign(proxy, { pages });
}
