import { pythonSlugify } from '../../src/lib/import/slugs.ts';
import type { ProfileListEntry } from '../../src/lib/profile-list.ts';
import { effectiveOverride, type UserOptions } from '../../src/lib/spawn-semantics.ts';
import { normaliseOverride } from './meaning.ts';

/**
 * What users of a hub may have saved, and what KubeSpawner 7.1 does with it (research/kubespawner.md §1.4, §1.5,
 * §3.3, §4): a hub keeps each user's last `user_options` and reuses them, and API clients send them by hand. Two lists
 * are the same to their users when every such `user_options` gives the same outcome on both, compared by the
 * `user_options` themselves (no renaming of keys in between).
 */

/** Typed into an "Other..." field: one text a typical pattern accepts, one it refuses. */
export const UNLISTED_SAMPLES = ['quay.io/example/custom:1', 'not an image'];

/** What KubeSpawner makes of one `user_options`: the normalised settings it applies, or the error it raises. */
export type SpawnOutcome = { settings: Record<string, unknown> } | { refused: string };

/**
 * Every `user_options` a user of this list could have saved: `{}` (no profile: the default), and for every profile
 * `{profile}` with each menu left out (its default), set to each of its choice keys, or (where enabled) to an
 * "Other..." text. That covers what the spawn form posts and what an API client may send.
 */
export function savedUserOptions(list: readonly unknown[]): UserOptions[] {
  const out: UserOptions[] = [{}];
  for (const profile of initialise(list)) {
    let combos: UserOptions[] = [{ profile: profile.slug }];
    for (const [name, option] of Object.entries(profile.profile_options ?? {})) {
      const picks: UserOptions[] = [{}, ...Object.keys(option.choices ?? {}).map((key) => ({ [name]: key }))];
      if (option.unlisted_choice?.enabled) {
        for (const text of UNLISTED_SAMPLES) picks.push({ [`${name}--unlisted-choice`]: text });
      }
      combos = combos.flatMap((combo) => picks.map((pick) => ({ ...combo, ...pick })));
    }
    out.push(...combos);
  }
  return out;
}

/** The outcome of one `user_options` on a list (KubeSpawner's own initialisation applied first). */
export function spawnOutcome(list: readonly unknown[], userOptions: UserOptions): SpawnOutcome {
  try {
    return { settings: normaliseOverride(effectiveOverride(initialise(list), userOptions)) };
  } catch (problem) {
    return { refused: problem instanceof Error ? problem.message : String(problem) };
  }
}

/** `_get_initialized_profile_list`, as far as it matters here: a missing slug is derived from the display name. */
function initialise(list: readonly unknown[]): ProfileListEntry[] {
  return (structuredClone(list) as ProfileListEntry[]).map((profile) => ({
    ...profile,
    slug: typeof profile.slug === 'string' ? profile.slug : pythonSlugify(profile.display_name),
  }));
}
