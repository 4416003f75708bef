import type { SourceFile } from './catalog.ts';
import { diffProfileLists } from './history-diff.ts';
import { generateOutputs } from './outputs.ts';
import { validateContent, type ValidateOptions } from './validate.ts';

/**
 * What the hub says its users have saved (`GET api/usage`, built beside the hub): users per profile, and per
 * menu choice (with `unlisted-choice` for a typed custom image). Absent or "unknown" when the hub cannot say.
 */
export interface Usage {
  users: number;
  profiles: Record<string, { users: number; options?: Record<string, Record<string, number>> }>;
}

/** One saved choice a change would break, in words, with how many users saved it when the hub knows. */
export interface BrokenChoice {
  /** `profile`, `profile › option` or `profile › option › choice`, as in the history. */
  where: string;
  text: string;
  users?: number;
}

/**
 * The profiles, menus and choices users may have saved that a change removes (or renames: a new key is a
 * removal for a saved choice), from the profile lists generated before and after. Content that does not
 * validate on either side gives nothing here: the checks refuse it anyway.
 */
export function findBrokenChoices(
  before: readonly SourceFile[],
  after: readonly SourceFile[],
  options: ValidateOptions = {},
  usage?: Usage,
): BrokenChoice[] {
  const old = validateContent(before, options);
  const now = validateContent(after, options);
  if (!old.ok || !now.ok) return [];
  const changes = diffProfileLists(
    generateOutputs(old.resolved).profileList,
    generateOutputs(now.resolved).profileList,
  );
  return changes
    .filter((change) => change.affectsSavedChoices)
    .map((change) => {
      const users = usersOf(change.where, usage);
      const who =
        users === undefined
          ? 'users who saved it will be asked to choose again'
          : `${users} user${users === 1 ? ' has' : 's have'} saved it and will be asked to choose again`;
      const [profile = change.where] = change.where.split(' › ');
      const what = change.details[0] ?? `${change.where} removed`;
      const place = change.where === profile ? '' : ` from profile "${profile}"`;
      return {
        where: change.where,
        text: `${what.charAt(0).toUpperCase()}${what.slice(1)}${place}: ${who}.`,
        ...(users === undefined ? {} : { users }),
      };
    });
}

function usersOf(where: string, usage: Usage | undefined): number | undefined {
  if (!usage) return undefined;
  const [slug = '', option, choice] = where.split(' › ');
  const profile = usage.profiles[slug];
  if (!profile) return 0;
  if (option === undefined) return profile.users;
  const choices = profile.options?.[option];
  if (!choices) return 0;
  if (choice === undefined) return Object.values(choices).reduce((sum, n) => sum + n, 0);
  return choices[choice] ?? 0;
}
