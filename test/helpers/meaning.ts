import { unescapeHtml } from '../../src/lib/html.ts';
import { pythonSlugify } from '../../src/lib/import/slugs.ts';
import type { Override, ProfileListEntry } from '../../src/lib/profile-list.ts';
import { effectiveOverride, enumerateUserOptions } from '../../src/lib/spawn-semantics.ts';

/**
 * What a KubeSpawner `profile_list` means to its users, in a form two lists can be compared in (golden tests of
 * hand-written lists against generated ones). Written from the research notes on KubeSpawner 7.1 (kubespawner.md) §1.3–§1.5 and §2:
 * only what KubeSpawner and its default template read is kept, so keys it ignores (a `description` on a choice,
 * `dynamic_image_building`, a `slug` on a choice) drop out by themselves.
 */
export interface ProfileMeaning {
  slug: string;
  /** HTML-unescaped: the generator escapes display strings, a hand-written list usually does not. */
  display_name: string;
  has_description: boolean;
  allowed_groups: string[];
  /** KubeSpawner's default: the first profile with a truthy `default`, else the first profile. */
  default: boolean;
  options: OptionMeaning[];
  /** For every combination of choices (`enumerateUserOptions`), what the spawner ends up with. */
  overrides: Record<string, Override>;
}

/** One menu of a profile. */
export interface OptionMeaning {
  key: string;
  display_name: string;
  choices: { key: string; display_name: string; allowed_groups: string[] }[];
  /** The first choice with a truthy `default`, else the first choice (§1.5). */
  default_choice: string | null;
  unlisted: UnlistedMeaning;
}

/** The "Other..." free-text entry of a menu. */
export type UnlistedMeaning =
  | { enabled: false }
  | {
      enabled: true;
      display_name: string;
      display_name_in_choices: string;
      validation_regex: string | null;
      validation_message: string | null;
    };

/** Original option or choice key → the key the content uses (content keys must be slugs, `_` is not allowed). */
export type KeyMap = Readonly<Record<string, string>>;

/**
 * Normalises a profile list (generated, or hand-written and parsed from YAML) into its meaning. `keyMap` renames
 * option and choice keys of the list first, for originals whose keys are not valid content slugs.
 */
export function profileListMeaning(list: unknown, keyMap: KeyMap = {}): ProfileMeaning[] {
  if (!Array.isArray(list)) throw new Error('profileListMeaning: expected a list of profiles');
  const profiles = initialise(list as unknown[], keyMap);
  const defaultIndex = Math.max(
    0,
    profiles.findIndex((p) => Boolean(p.default)),
  );
  return profiles.map((profile, index) => ({
    slug: profile.slug,
    display_name: unescapeHtml(profile.display_name),
    has_description: Boolean(profile.description),
    allowed_groups: [...(profile.allowed_groups ?? [])].sort(),
    default: index === defaultIndex,
    options: Object.entries(profile.profile_options ?? {}).map(([key, option]) => {
      const choices = Object.entries(option.choices);
      const unlisted = option.unlisted_choice;
      return {
        key,
        display_name: unescapeHtml(option.display_name ?? ''),
        choices: choices.map(([choiceKey, choice]) => ({
          key: choiceKey,
          display_name: unescapeHtml(choice.display_name ?? ''),
          allowed_groups: [...(choice.allowed_groups ?? [])].sort(),
        })),
        default_choice: (choices.find(([, c]) => Boolean(c.default)) ?? choices[0])?.[0] ?? null,
        unlisted: unlisted?.enabled
          ? {
              enabled: true,
              display_name: unescapeHtml(unlisted.display_name ?? ''),
              display_name_in_choices: unescapeHtml(unlisted.display_name_in_choices ?? 'Other...'),
              validation_regex: unlisted.validation_regex ?? null,
              validation_message:
                unlisted.validation_message === undefined ? null : unescapeHtml(unlisted.validation_message),
            }
          : { enabled: false },
      };
    }),
    overrides: Object.fromEntries(
      enumerateUserOptions(profile).map((userOptions) => [
        describeCombination(userOptions),
        normaliseOverride(effectiveOverride(profiles, userOptions)),
      ]),
    ),
  }));
}

/** The slug KubeSpawner derives from a display name (the import's own function, shared). */
export { pythonSlugify };

/** Reverses the generator's HTML escaping of display strings. */
export { unescapeHtml };

/**
 * Memory in bytes as KubeSpawner's ByteSpecification reads it: an int is bytes; `<number><K|M|G|T>` is
 * `int(float(number) * 1024**n)` (1024-based, upper-case only). Anything else is returned unchanged, so that a
 * value KubeSpawner would reject shows up in a diff instead of being hidden.
 */
export function memoryBytes(value: unknown): unknown {
  if (typeof value === 'number') return Math.trunc(value);
  if (typeof value !== 'string') return value;
  const match = /^(\d+(?:\.\d*)?|\.\d+)([KMGT])$/.exec(value);
  if (!match) return value;
  const factor = 1024 ** ('KMGT'.indexOf(match[2] ?? '') + 1);
  return Math.trunc(Number(match[1]) * factor);
}

/**
 * Normalises one effective override: memory to bytes, CPU to numbers, `extra_resource_*` values to strings, keys
 * sorted, and `null` values dropped. A top-level `null` (e.g. `mem_limit: null`) sets the trait to None, which for
 * mem_limit/cpu_limit/image_pull_policy means "no limit / not set" — the same as leaving it unset under the z2jh
 * defaults (singleuser.memory.limit and cpu.limit are null there); a nested `null` deletes the key (§2.1).
 */
export function normaliseOverride(override: Override): Override {
  const out: Override = {};
  for (const key of Object.keys(override).sort()) {
    const value = override[key];
    if (value === null || value === undefined) continue;
    if (key === 'mem_limit' || key === 'mem_guarantee') out[key] = memoryBytes(value);
    else if (key === 'cpu_limit' || key === 'cpu_guarantee') out[key] = Number(value);
    else if ((key === 'extra_resource_limits' || key === 'extra_resource_guarantees') && isRecord(value)) {
      out[key] = Object.fromEntries(
        Object.keys(value)
          .sort()
          .filter((name) => value[name] !== null && value[name] !== undefined)
          .map((name) => [name, String(value[name])]),
      );
    } else out[key] = sortKeys(value);
  }
  return out;
}

/** A readable name of one combination, e.g. `image=00-base requests=mem-7-gb` (`(defaults)` when none). */
function describeCombination(userOptions: Record<string, string>): string {
  const parts = Object.entries(userOptions)
    .filter(([name]) => name !== 'profile')
    .map(([name, value]) =>
      name.endsWith('--unlisted-choice')
        ? `${name.slice(0, -'--unlisted-choice'.length)}=<unlisted>`
        : `${name}=${value}`,
    );
  return parts.length > 0 ? parts.join(' ') : '(no options)';
}

/** Deep-copies the list and applies KubeSpawner's initialisation that matters here: slugs (§1.4), renamed keys. */
function initialise(list: unknown[], keyMap: KeyMap): ProfileListEntry[] {
  const rename = (key: string) => keyMap[key] ?? key;
  return (structuredClone(list) as ProfileListEntry[]).map((profile) => {
    const out: ProfileListEntry = {
      ...profile,
      slug: typeof profile.slug === 'string' ? profile.slug : pythonSlugify(profile.display_name),
    };
    if (profile.profile_options) {
      out.profile_options = Object.fromEntries(
        Object.entries(profile.profile_options).map(([key, option]) => [
          rename(key),
          {
            ...option,
            choices: Object.fromEntries(
              Object.entries(option.choices).map(([choiceKey, choice]) => [rename(choiceKey), choice]),
            ),
          },
        ]),
      );
    }
    return out;
  });
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (!isRecord(value)) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .filter((key) => value[key] !== null && value[key] !== undefined)
      .map((key) => [key, sortKeys(value[key])]),
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
