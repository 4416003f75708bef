import { authorizedGet } from './authorized-get.ts';
import { MANIFEST_ACCEPT } from './check-manifest.ts';
import type { RegistryConnection } from './connection.ts';
import type { HttpContext } from './http.ts';
import type { TokenCache } from './tokens.ts';

/** When an image was built, from its config's `created`, or why that is unknown. */
export type ImageCreated = { ok: true; created: number } | { ok: false; message: string };

type Manifest = {
  mediaType?: string;
  manifests?: { digest?: string; platform?: { os?: string; architecture?: string } }[];
  config?: { digest?: string };
};

/**
 * The creation time of a tag's image: its manifest (for an index, the linux/amd64 image, else the first), then
 * the config blob's `created`. Three GETs with the image check's authentication.
 */
export async function imageCreated(
  connection: RegistryConnection,
  repository: string,
  tag: string,
  context: HttpContext,
  tokens: TokenCache,
): Promise<ImageCreated> {
  const name = `${connection.domain}/${repository}:${tag}`;
  const getJson = async (path: string, accept: string): Promise<unknown> => {
    const got = await authorizedGet(
      connection,
      context,
      tokens,
      repository,
      (o) => new URL(path, o),
      name,
      accept,
    );
    if (!got.ok) throw new Error(got.message);
    return got.response.json();
  };
  try {
    let manifest = (await getJson(`/v2/${repository}/manifests/${tag}`, MANIFEST_ACCEPT)) as Manifest;
    if (Array.isArray(manifest.manifests)) {
      const pick =
        manifest.manifests.find((m) => m.platform?.os === 'linux' && m.platform.architecture === 'amd64') ??
        manifest.manifests[0];
      if (!pick?.digest) return { ok: false, message: `${name} is an empty image index` };
      manifest = (await getJson(`/v2/${repository}/manifests/${pick.digest}`, MANIFEST_ACCEPT)) as Manifest;
    }
    const config = manifest.config?.digest;
    if (!config) return { ok: false, message: `${name} has no image config` };
    const data = (await getJson(`/v2/${repository}/blobs/${config}`, 'application/json, */*')) as {
      created?: unknown;
    };
    const created = typeof data.created === 'string' ? Date.parse(data.created) : Number.NaN;
    return Number.isNaN(created)
      ? { ok: false, message: `the config of ${name} does not say when it was created` }
      : { ok: true, created };
  } catch (problem) {
    return { ok: false, message: (problem as Error).message.replace(/\.$/, '') };
  }
}
