import type { Catalog } from '../lib/catalog.ts';
import { parseImageReference } from '../lib/image-reference.ts';
import { error, warning, type Issue } from '../lib/issues.ts';
import { locate } from '../lib/rules/context.ts';
import { REGISTRY_ENV } from './settings.ts';
import { resolveTarget } from './target.ts';
import type { ImageCheckResult, ImageCheckStatus } from './types.ts';

/** The references of the content's image files worth asking a registry about (invalid ones are validation's job). */
export function contentImageReferences(catalog: Pick<Catalog, 'images'>): string[] {
  const references = catalog.images
    .map((entry) => entry.data.image)
    .filter((image) => parseImageReference(image).ok);
  return [...new Set(references)];
}

/** Issue code and default severity of each status that is not `exists`. */
export const IMAGE_CHECK_CODES: Record<
  Exclude<ImageCheckStatus, 'exists' | 'invalid'>,
  { code: string; error: boolean }
> = {
  'not-found': { code: 'ImageNotFound', error: true },
  'private-or-missing': { code: 'ImagePrivateOrMissing', error: false },
  'needs-credentials': { code: 'ImageNeedsCredentials', error: false },
  'rate-limited': { code: 'ImageCheckRateLimited', error: false },
  'could-not-check': { code: 'ImageCheckFailed', error: false },
};

/**
 * Turns check results into issues at each image file's `image` line: "not found" is an error, the other
 * inconclusive results are warnings (errors with `strict`). `exists` and `invalid` give none (validation
 * reports invalid references itself).
 */
export function imageCheckIssues(
  catalog: Pick<Catalog, 'images'>,
  results: ReadonlyMap<string, ImageCheckResult>,
  options: { strict?: boolean } = {},
): Issue[] {
  const issues: Issue[] = [];
  for (const entry of catalog.images) {
    const result = results.get(entry.data.image);
    if (!result || result.status === 'exists' || result.status === 'invalid') continue;
    const { code, error: isError } = IMAGE_CHECK_CODES[result.status];
    const make = isError || options.strict === true ? error : warning;
    issues.push(
      make(
        code,
        locate(entry, ['image']),
        `Image "${entry.id}" (${entry.data.image}): ${result.message}`,
        hintFor(result),
      ),
    );
  }
  return issues;
}

/** What to do about a result, in the hint style of the other issues. */
export function hintFor(result: ImageCheckResult): string {
  const resolved = resolveTarget(result.reference);
  const registry = resolved.ok ? resolved.target.domain : 'the registry';
  const credentials = `${REGISTRY_ENV.auth}='{"${registry}": "user:password"}' or a Docker config.json with an "auths" entry for ${registry}`;
  switch (result.status) {
    case 'not-found':
      return 'check the repository and tag for typos (the registry lists the tags that exist), or push the image before offering it.';
    case 'private-or-missing':
      return `if the image is private, give the checker read credentials with ${credentials} (the hub's nodes need a pull secret too); if it is public, the name is wrong.`;
    case 'needs-credentials':
      return `set read credentials with ${credentials}.`;
    case 'rate-limited':
      return 'run the check again later; images already checked are cached, so the next run asks for fewer.';
    default:
      return 'this says nothing about the image itself: check the network, proxy or registry status and run the check again.';
  }
}
