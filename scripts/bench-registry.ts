/**
 * A loopback Debian docker-registry with bearer-token auth (a token issuer on loopback; anonymous pulls of
 * public/*) holding `images` distinct tags of one small image in four repositories: the setting of the image
 * benchmarks.
 */
import { buildOciLayout, pushImage } from '../test/registry/helpers/images.ts';
import { requireTools } from '../test/registry/helpers/processes.ts';
import { startRegistry } from '../test/registry/helpers/registry.ts';
import { startTokenIssuer } from '../test/registry/helpers/token-issuer.ts';

const REPOSITORIES = 4;
const USERS = { bench: 'bench-pass' };
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';

/** The running registry, its image references, and how to stop it. */
export interface BenchRegistry {
  host: string;
  repositories: number;
  references: string[];
  stop(): Promise<void>;
}

/** Median of a list of numbers. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** Milliseconds a task takes. */
export async function time(task: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await task();
  return performance.now() - started;
}

/** Tags an already pushed manifest under more tags with plain PUTs (a push token from the issuer). */
async function addTags(
  host: string,
  realm: string,
  service: string,
  repository: string,
  tags: string[],
): Promise<void> {
  const basic = `Basic ${Buffer.from(`bench:${USERS.bench}`).toString('base64')}`;
  const scope = `repository:${repository}:pull,push`;
  const tokenUrl = `${realm}?service=${encodeURIComponent(service)}&scope=${encodeURIComponent(scope)}`;
  const { token } = (await (await fetch(tokenUrl, { headers: { Authorization: basic } })).json()) as {
    token: string;
  };
  const headers = { Authorization: `Bearer ${token}`, Accept: OCI_MANIFEST };
  const manifest = await (
    await fetch(`http://${host}/v2/${repository}/manifests/base`, { headers })
  ).arrayBuffer();
  for (const tag of tags) {
    const put = await fetch(`http://${host}/v2/${repository}/manifests/${tag}`, {
      method: 'PUT',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': OCI_MANIFEST },
      body: manifest,
    });
    if (put.status !== 201) throw new Error(`PUT ${repository}:${tag} answered ${put.status}`);
  }
}

/** Starts the token issuer and the registry and pushes the tags. Needs docker-registry, skopeo and openssl. */
export async function startBenchRegistry(images: number): Promise<BenchRegistry> {
  requireTools('docker-registry', 'skopeo', 'openssl');
  const issuer = await startTokenIssuer({ users: USERS });
  const registry = await startRegistry({ kind: 'token', ...issuer });
  const layout = await buildOciLayout();
  const stop = async (): Promise<void> => {
    await registry.stop();
    await issuer.stop();
    await layout.remove();
  };
  try {
    const references: string[] = [];
    for (let r = 0; r < REPOSITORIES; r++) {
      const repository = `public/bench-${r}`;
      await pushImage(layout, 'single', `${registry.host}/${repository}:base`, {
        creds: `bench:${USERS.bench}`,
      });
      const tags = Array.from(
        { length: Math.ceil(images / REPOSITORIES) },
        (_, i) => `2026.01.${String(i).padStart(3, '0')}`,
      );
      await addTags(registry.host, issuer.realm, issuer.service, repository, tags);
      references.push(...tags.map((tag) => `${registry.host}/${repository}:${tag}`));
    }
    references.length = images;
    return { host: registry.host, repositories: REPOSITORIES, references, stop };
  } catch (failure) {
    await stop();
    throw failure;
  }
}
