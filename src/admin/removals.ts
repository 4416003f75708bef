import { parse } from 'yaml';
import type { SourceFile } from '../lib/catalog.ts';
import { checkDeletion } from '../lib/cms/check-change.ts';
import { contentFiles, refreshContent, validateOptions } from './content.ts';
import { Refusal } from './refusals.ts';
import { findBrokenChoices, type Usage } from '../lib/saved-choices.ts';
import type { ValidateOptions } from '../lib/validate.ts';

/**
 * Reads what the hub says its users saved (`api/usage`). Any other answer (404 where the server has no such
 * route, an "unknown" state when the hub cannot say, a network error) means the counts are left out.
 */
export async function readUsage(base: string): Promise<Usage | undefined> {
  try {
    const response = await fetch(`${base}api/usage`, { credentials: 'same-origin', cache: 'no-store' });
    if (!response.ok) return undefined;
    const body = (await response.json()) as Partial<Usage> & { state?: string };
    if (body.state === 'unknown' || typeof body.users !== 'number' || typeof body.profiles !== 'object')
      return undefined;
    return body as Usage;
  } catch {
    return undefined;
  }
}

/**
 * Before a change that removes profiles, menus or choices users may have saved, says which ones (and how many
 * users saved each, when the hub knows) and asks whether to go on. True: go on (or nothing breaks).
 */
export async function confirmBrokenChoices(
  before: readonly SourceFile[],
  after: readonly SourceFile[],
  options: ValidateOptions,
  base: string,
): Promise<boolean> {
  if (findBrokenChoices(before, after, options).length === 0) return true;
  const broken = findBrokenChoices(before, after, options, await readUsage(base));
  const lines = broken.map((b) => `\u2022 ${b.text}`).join('\n');
  return window.confirm(
    `This change removes choices users may have saved:\n${lines}\n\nTheir next start shows the spawn page ` +
      'again with the default picked. Save anyway?',
  );
}

/**
 * Checks deleting entries from where the admin stands: an image that profiles still offer is named with those
 * profiles (remove it from them first), and removing choices users saved asks first. Throws a Refusal to keep them.
 */
export async function checkRemoval(paths: string[], base: string): Promise<void> {
  await refreshContent(base);
  const before = contentFiles();
  const after = before.filter((f) => !paths.includes(f.path));
  const { errors } = checkDeletion(before, paths, validateOptions());
  const users = errors.filter((e) => e.code === 'UnknownImage').map((e) => nameOf(before, e.file));
  if (users.length > 0) {
    const names = [...new Set(users)].map((n) => `\u201c${n}\u201d`);
    throw new Refusal(
      `${names.length === 1 ? 'Profile' : 'Profiles'} ${names.join(', ')} still offer${names.length === 1 ? 's' : ''} ` +
        `${paths.map((p) => `the image \u201c${nameOf(before, p)}\u201d`).join(', ')}. Remove it from ` +
        `${names.length === 1 ? 'that profile' : 'those profiles'} first, then delete it. Nothing was deleted.`,
    );
  }
  if (errors.length > 0) throw new Refusal(`${errors.map((e) => e.message).join(' ')} Nothing was deleted.`);
  if (!(await confirmBrokenChoices(before, after, validateOptions(), base)))
    throw new Refusal('You kept the choices users saved. Nothing was deleted.');
}

/** An entry's display name (or its id) from the loaded content. */
function nameOf(files: readonly SourceFile[], path: string): string {
  const text = files.find((f) => f.path === path)?.text;
  try {
    const name = (parse(text ?? '') as { display_name?: unknown } | null)?.display_name;
    if (typeof name === 'string' && name.trim() !== '') return name;
  } catch {
    // fall back to the id
  }
  return (path.split('/').pop() ?? path).replace(/\.ya?ml$/, '');
}
