import type { SourceFile } from '../lib/catalog.ts';
import { checkEntryChange, type ChangeCheck } from '../lib/cms/check-change.ts';
import { entryPath } from '../lib/cms/check-change.ts';
import { entryToYaml } from '../lib/cms/entry-format.ts';
import { ID_FIELD } from '../lib/cms/config.ts';
import { validateContent, type ValidateOptions, type ValidationResult } from '../lib/validate.ts';

/** The content tree the editor checks changes against. */
let files: SourceFile[] = [];
/** The project's validation settings (the advanced allow-list), as the server uses them. */
let options: ValidateOptions = {};

/** Sets the validation options the page was built with. */
export function setValidateOptions(value: ValidateOptions): void {
  options = value;
}

/**
 * Loads the current content: live from the server when it has the content API (local editing and sidecar),
 * else the snapshot built with the site (git back ends, where CI checks every pull request again).
 */
export async function refreshContent(base: string): Promise<void> {
  for (const url of [`${base}api/content.json`, `${base}admin/content.json`]) {
    try {
      const response = await fetch(url, { credentials: 'same-origin', cache: 'no-store' });
      if (response.ok) {
        files = (await response.json()) as SourceFile[];
        return;
      }
    } catch {
      // try the next source
    }
  }
}

/** The id an entry will have: its slug, or for a new entry the id typed in the editor. */
export function entryId(entry: { slug?: unknown; isNew: boolean; data: Record<string, unknown> }): string {
  if (!entry.isNew && typeof entry.slug === 'string' && entry.slug !== '') return entry.slug;
  const typed = entry.data[ID_FIELD];
  return typeof typed === 'string' ? typed.trim() : '';
}

/** Checks a change with the same core code the server runs (whole tree, change applied). */
export function checkChange(
  collection: string,
  slug: string,
  data: Record<string, unknown>,
  isNew: boolean,
): ChangeCheck {
  return checkEntryChange(files, { collection, slug, data, isNew }, options);
}

/** Validates the tree with an unsaved entry applied, for the live preview. */
export function validateWith(
  collection: string,
  slug: string,
  data: Record<string, unknown>,
): ValidationResult {
  const path = entryPath(collection, slug || 'new-entry');
  if (!path) return validateContent(files, options);
  return validateContent(
    [...files.filter((f) => f.path !== path), { path, text: entryToYaml(collection, data) }],
    options,
  );
}
