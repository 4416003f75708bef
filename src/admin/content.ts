import type { SourceFile } from '../lib/catalog.ts';
import { checkEntryChange, type ChangeCheck } from '../lib/cms/check-change.ts';
import { entryPath } from '../lib/cms/check-change.ts';
import { entryToYaml, normalizeEntryData, yamlToEntry } from '../lib/cms/entry-format.ts';
import type { NodeGroupInput } from '../lib/schema/node-group.ts';
import type { ProfileInput } from '../lib/schema/profile.ts';
import { withGeneratedSizes } from '../lib/sizes/profile.ts';
import { GENERATE_SIZES_FIELD, ID_FIELD } from '../lib/cms/config.ts';
import { validateContent, type ValidateOptions, type ValidationResult } from '../lib/validate.ts';
import { removeYamlKey } from '../lib/yaml-edit.ts';

/** The content tree the editor checks changes against. */
let files: SourceFile[] = [];
/** The project's validation settings (the advanced allow-list), as the server uses them. */
let options: ValidateOptions = {};

/** Sets the validation options the page was built with. */
export function setValidateOptions(value: ValidateOptions): void {
  options = value;
}

/** Adds validation options learnt later (the hub's groups). */
export function addValidateOptions(value: ValidateOptions): void {
  options = { ...options, ...value };
}

/** The profiles of the content tree, as data (for the groups picker). */
export function contentProfiles(): Record<string, unknown>[] {
  return files.filter((f) => /\/profiles\/[^/]+\.ya?ml$/.test(f.path)).map((f) => yamlToEntry(f.text));
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

/** The content tree as the editor last loaded it. */
export function contentFiles(): readonly SourceFile[] {
  return files;
}

/** The validation options the editor checks with. */
export function validateOptions(): ValidateOptions {
  return options;
}

/** The id an entry will have: its slug, or for a new entry the id typed in the editor. */
export function entryId(entry: { slug?: unknown; isNew: boolean; data: Record<string, unknown> }): string {
  if (!entry.isNew && typeof entry.slug === 'string' && entry.slug !== '') return entry.slug;
  const typed = entry.data[ID_FIELD];
  if (typeof typed === 'string' && typed.trim() !== '') return typed.trim();
  return idFromName(entry.data['display_name']);
}

/**
 * The id a new entry gets when none is typed: its display name in lower case, with single dashes between
 * words ("SciPy 2024 (GPU)" → "scipy-2024-gpu"); empty when the name has no letters or digits.
 */
export function idFromName(displayName: unknown): string {
  if (typeof displayName !== 'string') return '';
  return displayName
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean)
    .join('-')
    .slice(0, 63)
    .replace(/-$/, '');
}

/** Checks a change with the same core code the server runs (whole tree, change applied). */
export function checkChange(
  collection: string,
  slug: string,
  data: Record<string, unknown>,
  isNew: boolean,
  tree: readonly SourceFile[] = files,
): ChangeCheck {
  // Errors are new when the content as it is now does not have them (as on the server).
  return checkEntryChange(tree, { collection, slug, data, isNew }, options, files);
}

/** The other profile that is the default now, when `path` is to become the default (undefined: none). */
export function otherDefaultProfile(path: string): { path: string; text: string; name: string } | undefined {
  for (const file of files) {
    if (file.path === path || !file.path.includes('/profiles/')) continue;
    const data = yamlToEntry(file.text);
    if (data['default'] === true)
      return { path: file.path, text: file.text, name: String(data['display_name'] ?? file.path) };
  }
  return undefined;
}

/** The content tree with `path`'s `default` taken away (what the server does when the default moves). */
export function withoutDefault(path: string): SourceFile[] {
  return files.map((f) => (f.path === path ? { path, text: removeYamlKey(f.text, 'default') } : f));
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

/** The node groups of the content tree, by id (for the size generator). */
export function nodeGroups(): Record<string, NodeGroupInput> {
  const out: Record<string, NodeGroupInput> = {};
  for (const file of files) {
    const match = /\/node-groups\/([^/]+)\.ya?ml$/.exec(file.path);
    if (match?.[1]) out[match[1]] = yamlToEntry(file.text) as unknown as NodeGroupInput;
  }
  return out;
}

/** What the size generator asked for, as stored in the editor-only field. */
export interface SizeRequest {
  node_groups?: string[];
  floor?: string;
}

/** Applies a size request to profile data (the preview shows it; a save writes it). */
export function applySizeRequest(data: Record<string, unknown>): {
  data: Record<string, unknown>;
  problems: string[];
  removedKeys: string[];
} {
  const request = data[GENERATE_SIZES_FIELD] as SizeRequest | undefined;
  const ids = request?.node_groups ?? [];
  if (ids.length === 0) return { data, problems: [], removedKeys: [] };
  const plan = withGeneratedSizes(normalizeEntryData('profiles', data) as ProfileInput, nodeGroups(), {
    nodeGroupIds: ids,
    ...(request?.floor ? { floor: request.floor } : {}),
  });
  const next: Record<string, unknown> = { ...plan.profile };
  if (data[ID_FIELD] !== undefined) next[ID_FIELD] = data[ID_FIELD];
  return { data: next, problems: plan.problems, removedKeys: plan.removedKeys };
}
