import type { RawCatalog } from './catalog.ts';
import { warning, type Issue } from './issues.ts';
import { locate } from './rules/context.ts';

/**
 * Repairs what can be repaired without guessing, and reports it: leading and trailing spaces around image
 * references (a common copy-paste accident) are trimmed. Mutates the raw catalogue in place.
 */
export function normalizeContent(raw: RawCatalog): Issue[] {
  const issues: Issue[] = [];
  for (const entry of raw.images) {
    const data = entry.data as { image?: unknown } | null;
    if (!data || typeof data !== 'object' || typeof data.image !== 'string') continue;
    const trimmed = data.image.trim();
    if (trimmed === data.image) continue;
    issues.push(
      warning(
        'ImageTrimmed',
        locate(entry, ['image']),
        `The reference of image "${entry.id}" had spaces around it ("${data.image}"); they were removed.`,
        'save the image again (or remove the spaces in the file) to make this warning go away.',
      ),
    );
    data.image = trimmed;
  }
  return issues;
}
