import type { SourceFile } from '../lib/catalog.ts';
import { compareTrees } from '../lib/cms/check-change.ts';
import { formatImageReference, parseImageReference } from '../lib/image-reference.ts';
import type { ValidateOptions } from '../lib/validate.ts';
import { replaceScalar } from '../lib/yaml-scalar-edit.ts';
import type { ImageChecker } from './checker.ts';
import type { ContentImage } from './content-freshness.ts';
import type { FreshnessResult } from './freshness.ts';

/** A bump ready to write: the file's new text differs from the old in the `image` value only. */
export interface BumpPlan {
  id: string;
  file: string;
  from: string;
  to: string;
  text: string;
}

/**
 * Plans the change of one image to another tag (or, for a pinned reference whose tag moved, to the tag's new
 * digest): the new reference must exist in the registry (a pinned one is re-pinned to the new digest), the file
 * changes in that one value, and the content with the change must not gain an error. Never writes.
 */
export async function planBump(
  checker: ImageChecker,
  files: readonly SourceFile[],
  image: Pick<ContentImage, 'id' | 'file' | 'reference'>,
  tag: string,
  validate: ValidateOptions = {},
): Promise<{ ok: true; plan: BumpPlan } | { ok: false; reason: string }> {
  const parsed = parseImageReference(image.reference.trim());
  if (!parsed.ok) return { ok: false, reason: parsed.problem.message };
  const moved = { ...parsed.reference, tag };
  delete moved.digest;
  const bare = formatImageReference(moved);
  const exists = await checker.check(bare, { refresh: true });
  if (exists.status !== 'exists') return { ok: false, reason: `${bare} cannot be used: ${exists.message}` };
  const to =
    parsed.reference.digest === undefined || exists.digest === undefined ? bare : `${bare}@${exists.digest}`;
  if (to === image.reference) return { ok: false, reason: `${image.id} already uses ${to}` };
  const source = files.find((f) => f.path === image.file);
  if (!source) return { ok: false, reason: `${image.file} does not exist` };
  const edit = replaceScalar(source.text, ['image'], to);
  if (!edit.ok) return { ok: false, reason: `${image.file} could not be changed in place: ${edit.reason}` };
  const next = files.map((f) => (f.path === image.file ? { path: f.path, text: edit.text } : f));
  const check = compareTrees(files, next, validate);
  if (check.errors.length > 0) {
    return {
      ok: false,
      reason: `${image.file} with ${to} would not be valid: ${check.errors.map((e) => e.message).join(' ')}`,
    };
  }
  return { ok: true, plan: { id: image.id, file: image.file, from: image.reference, to, text: edit.text } };
}

/** The tag a freshness result proposes: the newest newer tag, or the same tag when only its digest moved. */
export function proposedTag(result: FreshnessResult): string | undefined {
  if (result.newer[0] !== undefined) return result.newer[0];
  return result.status === 'tag-moved' ? result.current : undefined;
}
