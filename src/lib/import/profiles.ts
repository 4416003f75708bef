import type { OptionInput, ProfileInput } from '../schema/profile.ts';
import { fail, warn, type ImportContext } from './context.ts';
import { importGroups, importOption, applyLevel, reportIgnored, type ImportedOption } from './options.ts';
import { isRecord, splitOverride } from './overrides.ts';
import { isDeepEqual } from './equal.ts';
import { claimUnique, isSlug, isTruthy, pythonSlugify, toSlug } from './slugs.ts';
import type { SourcePath } from './source.ts';

/** One imported profile: its id (file name), its content, and where it came from. */
export interface ImportedProfile {
  id: string;
  data: ProfileInput;
  /** Path of the profile in the values file. */
  path: SourcePath;
}

const PROFILE_KEYS = new Set([
  'display_name',
  'slug',
  'description',
  'default',
  'allowed_groups',
  'kubespawner_override',
  'profile_options',
]);

/** Imports every profile of the list, in order (`order` 10, 20, … keeps it on the spawn page). */
export function importProfiles(
  ctx: ImportContext,
  list: readonly unknown[],
  listPath: SourcePath,
): ImportedProfile[] {
  const ids = new Set<string>();
  const out: ImportedProfile[] = [];
  let defaultId: string | undefined;
  list.forEach((raw, index) => {
    const path: SourcePath = [...listPath, index];
    if (!isRecord(raw) || typeof raw['display_name'] !== 'string' || raw['display_name'].trim() === '') {
      fail(
        ctx,
        'ImportInvalidProfile',
        path,
        `Profile ${index + 1} has no display_name, which KubeSpawner needs (KeyError at spawn); it cannot be imported.`,
        'give the profile a display_name in the values file, then import again. Nothing was written.',
      );
      return;
    }
    // Aliased parts are shared between profiles; each profile gets its own copy.
    const profile = structuredClone(raw);
    const id = profileId(ctx, profile, path, ids);
    const imported = importProfile(ctx, profile, path, id, (out.length + 1) * 10);
    if (isTruthy(profile['default'])) {
      if (defaultId === undefined) {
        imported.data.default = true;
        defaultId = id;
      } else {
        warn(
          ctx,
          'ImportExtraDefault',
          [...path, 'default'],
          `Profiles "${defaultId}" and "${id}" are both marked as the default. KubeSpawner starts the first when nothing is picked, but the browser pre-selected the last; "${defaultId}" stays the default, for both now.`,
        );
      }
    }
    imported.data = reorder(imported.data);
    out.push(imported);
  });
  return out;
}

function importProfile(
  ctx: ImportContext,
  p: Record<string, unknown>,
  path: SourcePath,
  id: string,
  order: number,
): ImportedProfile {
  for (const extra of Object.keys(p).filter((k) => !PROFILE_KEYS.has(k))) {
    reportIgnored(ctx, [...path, extra], extra, `profile "${id}"`);
  }
  hoistUnlistedSettings(ctx, p, path, id);
  const data: ProfileInput = { display_name: String(p['display_name']) };
  if (typeof p['description'] === 'string' && p['description'].trim() !== '')
    data.description = p['description'];
  data.order = order;
  const base = splitOverride(ctx, p['kubespawner_override'], [...path, 'kubespawner_override'], new Set());
  const earlier = new Set(base.sets);
  const options: ImportedOption[] = [];
  const optionKeys = new Set<string>();
  const rawOptions = p['profile_options'];
  if (rawOptions !== undefined && rawOptions !== null && !isRecord(rawOptions)) {
    warn(
      ctx,
      'ImportNotExpressible',
      [...path, 'profile_options'],
      'profile_options is not a mapping of menus. It was left out.',
    );
  }
  for (const [key, option] of Object.entries(isRecord(rawOptions) ? rawOptions : {})) {
    const at: SourcePath = [...path, 'profile_options', key];
    const imported = importOption(ctx, key, option, at, id, optionKeys, new Set(earlier));
    if (!imported) continue;
    imported.sets.forEach((k) => earlier.add(k));
    options.push(imported);
  }

  // Friendly fields where the structure matches them exactly; they compile to menus placed before the general
  // ones (image, then size), so a menu can use one only while every menu before it did.
  let general = false;
  let sizesTaken = false;
  const generalOptions: OptionInput[] = [];
  options.forEach((option, index) => {
    if (!general && index === 0 && base.image === undefined && fitsImages(ctx, option)) {
      data.images = option.choices.map((c) => ({ image: c.image!, ...(c.default ? { default: true } : {}) }));
      if (option.customImage) data.custom_image = option.customImage;
      return;
    }
    if (!general && !sizesTaken && base.size === undefined && fitsSizes(option)) {
      data.sizes = option.choices.map((c) => ({
        key: c.key,
        display_name: c.display_name,
        ...(c.default ? { default: true } : {}),
        ...c.size,
      }));
      sizesTaken = true;
      return;
    }
    general = true;
    const out: OptionInput = { key: option.key, display_name: option.displayName, choices: option.choices };
    if (option.customImage) out.custom_image = option.customImage;
    generalOptions.push(out);
  });

  if (base.image !== undefined) data.images = [{ image: base.image }];
  if (base.nodeGroup !== undefined) data.node_groups = [{ node_group: base.nodeGroup }];
  const baseFields: Parameters<typeof applyLevel>[0] = {};
  applyLevel(baseFields, base);
  if (baseFields.size) data.size = baseFields.size;
  if (baseFields.environment) data.environment = baseFields.environment;
  if (baseFields.default_url !== undefined) data.default_url = baseFields.default_url;
  const groups = importGroups(ctx, p['allowed_groups'], [...path, 'allowed_groups']);
  if (groups) data.allowed_groups = groups;
  if (generalOptions.length > 0) data.options = generalOptions;
  if (baseFields.advanced) data.advanced = baseFields.advanced;
  return { id, data, path };
}

/** A pure image menu keyed "image" and labelled "Image" whose choices are named like their images. */
function fitsImages(ctx: ImportContext, option: ImportedOption): boolean {
  return (
    option.key === 'image' &&
    option.displayName === 'Image' &&
    option.onlyImages &&
    (option.choices.length >= 2 || option.customImage !== undefined) &&
    option.choices.every((c) => c.key === c.image && ctx.images.get(c.image)?.display_name === c.display_name)
  );
}

/** A pure size menu keyed "size" and labelled "Size". */
function fitsSizes(option: ImportedOption): boolean {
  return (
    option.key === 'size' &&
    option.displayName === 'Size' &&
    option.onlySizes &&
    option.choices.length > 0 &&
    !option.customImage
  );
}

/** The profile's id: its slug, or the slug KubeSpawner derives from the display name. */
function profileId(
  ctx: ImportContext,
  p: Record<string, unknown>,
  path: SourcePath,
  ids: Set<string>,
): string {
  const slug = p['slug'];
  const displayName = String(p['display_name']);
  let base: string;
  if (slug === undefined) {
    base = pythonSlugify(displayName) || 'profile';
  } else if (typeof slug === 'string' && isSlug(slug)) {
    base = slug;
  } else {
    base = toSlug(String(slug)) || pythonSlugify(displayName) || 'profile';
    warn(
      ctx,
      'ImportKeyRenamed',
      [...path, 'slug'],
      `The slug "${String(slug)}" of profile "${displayName}" is not a valid id, so the profile became "${base}". Users whose saved choice is the old slug start the default profile, and a spawn request that names it fails ("No such profile").`,
    );
  }
  const id = claimUnique(base, ids);
  if (id !== base) {
    warn(
      ctx,
      'ImportDuplicateSlug',
      slug === undefined ? [...path, 'display_name'] : [...path, 'slug'],
      `Two profiles have the slug "${base}"; KubeSpawner always started the first of them. This one became "${id}".`,
    );
  }
  return id;
}

/**
 * Content's custom image sets only the image. A further setting of an "Other..." entry (e.g. image_pull_policy) is
 * moved to the profile when that changes nothing: every listed choice of the same menu sets the same value, no
 * other menu sets the key, and the profile sets the same value or none. Otherwise it is reported and left out.
 */
function hoistUnlistedSettings(
  ctx: ImportContext,
  p: Record<string, unknown>,
  path: SourcePath,
  id: string,
): void {
  const options = isRecord(p['profile_options']) ? p['profile_options'] : {};
  for (const [key, option] of Object.entries(options)) {
    if (!isRecord(option) || !isRecord(option['unlisted_choice'])) continue;
    const unlisted = option['unlisted_choice'];
    const override = unlisted['kubespawner_override'];
    if (!isTruthy(unlisted['enabled']) || !isRecord(override) || override['image'] !== '{value}') continue;
    const choices = Object.values(isRecord(option['choices']) ? option['choices'] : {});
    for (const setting of Object.keys(override).filter((k) => k !== 'image')) {
      const at: SourcePath = [
        ...path,
        'profile_options',
        key,
        'unlisted_choice',
        'kubespawner_override',
        setting,
      ];
      const value = override[setting];
      delete override[setting];
      const base = isRecord(p['kubespawner_override']) ? p['kubespawner_override'] : undefined;
      const elsewhere = Object.entries(options).some(
        ([other, o]) =>
          other !== key &&
          isRecord(o) &&
          [...Object.values(isRecord(o['choices']) ? o['choices'] : {}), o['unlisted_choice']].some(
            (c) => isRecord(c) && isRecord(c['kubespawner_override']) && setting in c['kubespawner_override'],
          ),
      );
      const movable =
        !containsText(value, '{value}') &&
        !elsewhere &&
        (base === undefined || !(setting in base) || isDeepEqual(base[setting], value)) &&
        choices.every(
          (c) =>
            isRecord(c) &&
            isRecord(c['kubespawner_override']) &&
            isDeepEqual(c['kubespawner_override'][setting], value),
        );
      if (movable) {
        p['kubespawner_override'] = { ...base, [setting]: value };
        warn(
          ctx,
          'ImportCustomImageSettingMoved',
          at,
          `The "Other..." entry of the menu "${key}" (profile "${id}") sets ${setting} besides the image, which content's custom image cannot; every choice of the menu sets the same and nothing else sets it, so it moved to the profile and every server still gets it.`,
        );
      } else {
        warn(
          ctx,
          'ImportNotExpressible',
          at,
          `The "Other..." entry of the menu "${key}" (profile "${id}") sets ${setting} besides the image; content's custom image sets only the image, and moving it to the profile would change other choices. It was left out.`,
          'set it on the profile by hand if every server of this profile may have it.',
        );
      }
    }
  }
}

function containsText(value: unknown, text: string): boolean {
  if (typeof value === 'string') return value.includes(text);
  if (Array.isArray(value)) return value.some((v) => containsText(v, text));
  if (isRecord(value))
    return Object.entries(value).some(([k, v]) => k.includes(text) || containsText(v, text));
  return false;
}

const PROFILE_FIELD_ORDER: (keyof ProfileInput)[] = [
  'display_name',
  'description',
  'order',
  'default',
  'images',
  'custom_image',
  'node_groups',
  'size',
  'sizes',
  'environment',
  'default_url',
  'allowed_groups',
  'options',
  'advanced',
];

/** The fields in the order the README documents them. */
function reorder(data: ProfileInput): ProfileInput {
  const out: Record<string, unknown> = {};
  for (const key of PROFILE_FIELD_ORDER) if (data[key] !== undefined) out[key] = data[key];
  return out as ProfileInput;
}
