import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseYamlDocument } from '../lib/documents.ts';
import type { UpdatePolicy } from '../lib/freshness/tag-schemes.ts';
import type { ImageChecker } from './checker.ts';
import { checkFreshness, type FreshnessResult } from './freshness.ts';

/** One image of the content, as freshness checks need it. */
export interface ContentImage {
  id: string;
  /** `content/images/<id>.yaml`, relative to the project. */
  file: string;
  reference: string;
  policy: UpdatePolicy;
}

/**
 * The images of a project's `content/images/`, sorted by id: just their `image` and `updates`, without the
 * whole validation (files that are not YAML maps with a text `image` are left to `validate` to report). Kept
 * light on purpose: `outdated` over hundreds of images is mostly start-up time.
 */
export async function readContentImages(
  projectDir: string,
  contentRoot = 'content',
): Promise<ContentImage[]> {
  const folder = path.join(projectDir, contentRoot, 'images');
  const names = (await readdir(folder).catch(() => [] as string[])).filter((n) => /\.ya?ml$/.test(n)).sort();
  const files = await Promise.all(
    names.map(async (name) => ({
      path: `${contentRoot}/images/${name}`,
      text: await readFile(path.join(folder, name), 'utf8'),
    })),
  );
  return contentImagesOf(files, contentRoot);
}

/** The images among content files (`<contentRoot>/images/*.yaml`), sorted by id, read as {@link readContentImages} does. */
export function contentImagesOf(
  files: readonly { path: string; text: string }[],
  contentRoot = 'content',
): ContentImage[] {
  const images: ContentImage[] = [];
  for (const file of files) {
    const match = new RegExp(`^${contentRoot}/images/([^/]+)\\.ya?ml$`).exec(file.path);
    if (!match?.[1]) continue;
    // Bounded like every read of content (size, depth, aliases); a file validation refuses is skipped here.
    const data = parseYamlDocument(file.path, file.text).document?.data;
    const entry = data as { image?: unknown; updates?: unknown } | null;
    if (typeof entry?.image !== 'string') continue;
    const updates = entry.updates as { enabled?: unknown; tags?: unknown } | undefined;
    const policy: UpdatePolicy = {};
    if (typeof updates?.enabled === 'boolean') policy.enabled = updates.enabled;
    if (typeof updates?.tags === 'string') policy.tags = updates.tags;
    images.push({ id: match[1], file: file.path, reference: entry.image.trim(), policy });
  }
  return images.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Checks every image's freshness at once (bounded per registry by the checker); results in the images' order. */
export async function checkContentFreshness(
  checker: ImageChecker,
  images: readonly ContentImage[],
  onProgress?: (done: number, total: number, image: ContentImage) => void,
  options: { refresh?: boolean } = {},
): Promise<(FreshnessResult & { id: string })[]> {
  let done = 0;
  await checker.prefetchTokens(images.map((image) => image.reference));
  return Promise.all(
    images.map(async (image) => {
      const result = await checkFreshness(checker, image.reference, image.policy, options);
      onProgress?.(++done, images.length, image);
      return { ...result, id: image.id };
    }),
  );
}
