import type { Override, ProfileListEntry } from './profile-list.ts';

/** What a spawn request carries: KubeSpawner's `user_options` (`profile`, `<option>`, `<option>--unlisted-choice`). */
export type UserOptions = Record<string, string>;

/**
 * Computes the settings KubeSpawner 7.1 would apply for a request, following `_load_profile`: the profile's
 * override, then each option's chosen (or unlisted, or default) choice in option order, dicts merged recursively
 * (`null` deletes a key), everything else replaced. `{value}` in unlisted overrides becomes the typed text.
 * Throws with KubeSpawner's own message where KubeSpawner would fail.
 */
export function effectiveOverride(profiles: readonly ProfileListEntry[], userOptions: UserOptions): Override {
  const slug = userOptions['profile'];
  const profile = slug
    ? profiles.find((p) => p.slug === slug)
    : (profiles.find((p) => p.default) ?? profiles[0]);
  if (!profile)
    throw new Error(
      `No such profile: ${String(slug)}. Options include: ${profiles.map((p) => p.slug).join(', ')}`,
    );
  const result: Override = {};
  mergeOverride(result, profile.kubespawner_override ?? {});
  for (const [name, option] of Object.entries(profile.profile_options ?? {})) {
    const unlisted = userOptions[`${name}--unlisted-choice`];
    if (unlisted) {
      if (!option.unlisted_choice?.enabled)
        throw new Error(`Received unlisted_choice for ${name} without being enabled.`);
      // Python's re.match anchors at the start only; the research notes call for ^...$ patterns anyway.
      const regex = option.unlisted_choice.validation_regex;
      if (regex && !new RegExp(`^(?:${regex})`).test(unlisted)) {
        throw new Error(`Received unlisted_choice for ${name} that failed validation regex.`);
      }
      mergeOverride(result, formatValue(option.unlisted_choice.kubespawner_override, unlisted) as Override);
      continue;
    }
    const key =
      userOptions[name] ||
      Object.keys(option.choices).find((k) => option.choices[k]?.default) ||
      Object.keys(option.choices)[0];
    if (key === undefined) throw new Error(`Unable to determine a default choice for ${name}.`);
    const choice = option.choices[key];
    if (!choice) throw new Error(`'${key}'`);
    mergeOverride(result, choice.kubespawner_override ?? {});
  }
  return result;
}

/**
 * KubeSpawner's `_apply_overrides`: a dict value is merged into the current dict with `recursive_update` (the
 * trait defaults of dict traits are `{}`), anything else replaces the current value.
 */
export function mergeOverride(target: Override, source: Override): void {
  for (const [key, value] of Object.entries(source)) {
    const current = target[key];
    if (isPlainObject(value) && (current === undefined || isPlainObject(current))) {
      const merged = isPlainObject(current) ? structuredClone(current) : {};
      recursiveUpdate(merged, value);
      target[key] = merged;
    } else {
      target[key] = structuredClone(value);
    }
  }
}

/** KubeSpawner's `utils.recursive_update`: dicts merge, `null` removes a key, emptied dicts are pruned. */
function recursiveUpdate(target: Record<string, unknown>, source: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(source)) {
    if (isPlainObject(value)) {
      const child = isPlainObject(target[key]) ? (target[key] as Record<string, unknown>) : {};
      target[key] = child;
      recursiveUpdate(child, value);
      if (Object.keys(child).length === 0) delete target[key];
    } else if (value === null) {
      delete target[key];
    } else {
      target[key] = structuredClone(value);
    }
  }
}

/** Every combination of choices a user can pick for a profile (unlisted options use `sample` as typed text). */
export function enumerateUserOptions(
  profile: ProfileListEntry,
  sample = 'quay.io/example/custom:1',
): UserOptions[] {
  let combos: UserOptions[] = [{ profile: profile.slug }];
  for (const [name, option] of Object.entries(profile.profile_options ?? {})) {
    const picks: UserOptions[] = Object.keys(option.choices).map((key) => ({ [name]: key }));
    if (option.unlisted_choice?.enabled) picks.push({ [`${name}--unlisted-choice`]: sample });
    combos = combos.flatMap((combo) => picks.map((pick) => ({ ...combo, ...pick })));
  }
  return combos;
}

function formatValue(value: unknown, text: string): unknown {
  if (typeof value === 'string') return value.replace(/\{value\}/g, text);
  if (Array.isArray(value)) return value.map((v) => formatValue(v, text));
  if (isPlainObject(value)) {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [formatValue(k, text) as string, formatValue(v, text)]),
    );
  }
  return value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
