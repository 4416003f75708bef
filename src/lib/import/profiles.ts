import type { OptionInput, ProfileInput } from '../schema/profile.ts';
import { fail, reportIgnored, warn, type ImportContext } from './context.ts';
import { importGroups, importOption, applyLevel, keepKey, type ImportedOption } from './options.ts';
import { isRecord } from './fields.ts';
import { splitOverride } from './overrides.ts';
import { claimUnique, isSlug, isTruthy, pythonSlugify, toSlug } from './slugs.ts';
import type { SourcePath } from './source.ts';
import { hoistUnlistedSettings } from './unlisted.ts';

/** One imported profile: its id (file name), its content, and where it came from. */
export interface ImportedProfile {
  id: string;
  data: ProfileInput;
  /** Path of the profile in the values file. */
  path: SourcePath;
  /** Comment lines of the source, by the path in the content file they belong to ([] is the file itself). */
  comments: ContentComment[];
}

/** Comment lines carried over from the values file to a place in a content file. */
export interface ContentComment {
  at: (string | number)[];
  lines: string[];
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
  const slugs = new Set<string>();
  // Every slug of the list, so that a renamed duplicate never takes one a later profile has (and users saved).
  const original = new Set(list.map((raw) => (isRecord(raw) ? originalSlug(raw) : undefined)).filter(isText));
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
    const { id, slug } = profileId(ctx, profile, path, { ids, slugs, original });
    const imported = importProfile(ctx, profile, path, id, (out.length + 1) * 10);
    if (slug !== id) imported.data.slug = slug;
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
  const comments: ContentComment[] = [{ at: [], lines: ctx.source.comments(path, ['profile_options']) }];
  const carry = (at: (string | number)[], lines: string[] | undefined) => {
    if (lines && lines.length > 0) comments.push({ at, lines });
  };
  const description = p['description'];
  if (typeof description === 'string' && description.trim() !== '') data.description = description;
  else if (typeof description === 'number' || typeof description === 'boolean') {
    data.description = String(description);
    warn(
      ctx,
      'ImportValueConverted',
      [...path, 'description'],
      `The description is not text; it became "${data.description}".`,
    );
  }
  data.order = order;
  const base = splitOverride(ctx, p['kubespawner_override'], [...path, 'kubespawner_override'], new Set());
  const earlier = new Set(base.sets);
  const options: ImportedOption[] = [];
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
    const imported = importOption(ctx, key, option, at, id, new Set(earlier));
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
      carry(['images'], option.comments);
      option.choiceComments.forEach((lines, c) => carry(['images', c], lines));
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
      carry(['sizes'], option.comments);
      option.choiceComments.forEach((lines, c) => carry(['sizes', c], lines));
      return;
    }
    general = true;
    const out: OptionInput = { key: option.key, display_name: option.displayName, choices: option.choices };
    if (option.customImage) out.custom_image = option.customImage;
    carry(['options', generalOptions.length], option.comments);
    option.choiceComments.forEach((lines, c) =>
      carry(['options', generalOptions.length, 'choices', c], lines),
    );
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
  return { id, data, path, comments };
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

/** A pure size menu keyed "size" and labelled "Size", whose keys `sizes` can hold (ids: `small`, not `Mem_2`). */
function fitsSizes(option: ImportedOption): boolean {
  return (
    option.key === 'size' &&
    option.choices.every((c) => isSlug(c.key)) &&
    option.displayName === 'Size' &&
    option.onlySizes &&
    option.choices.length > 0 &&
    !option.customImage
  );
}

/**
 * The profile's slug, kept verbatim (its `slug`, or the one KubeSpawner derives from the display name), and its id
 * (the file name): the slug itself when it can be a file name, else a file name derived from it, with the real
 * slug kept in the `slug` field. A slug KubeSpawner's form cannot carry is an error naming it.
 */
function profileId(
  ctx: ImportContext,
  p: Record<string, unknown>,
  path: SourcePath,
  taken: { ids: Set<string>; slugs: Set<string>; original: ReadonlySet<string> },
): { id: string; slug: string } {
  const { ids, slugs, original } = taken;
  const raw = p['slug'];
  const displayName = String(p['display_name']);
  let slug = originalSlug(p);
  if (raw !== undefined) {
    keepKey(ctx, slug, 'slug', [...path, 'slug'], `slug "${slug}" of profile "${displayName}"`);
  }
  if (slugs.has(slug)) {
    // KubeSpawner always started the first profile with this slug, so no saved choice names this one.
    const unique = claimUnique(slug, new Set([...slugs, ...original]));
    warn(
      ctx,
      'ImportDuplicateSlug',
      raw === undefined ? [...path, 'display_name'] : [...path, 'slug'],
      `Two profiles have the slug "${slug}"; KubeSpawner always started the first of them. This one became "${unique}".`,
    );
    slug = unique;
  }
  slugs.add(slug);
  // A slug that can be a file name is its own id; a derived id never takes one of those.
  const id =
    isSlug(slug) && !ids.has(slug)
      ? slug
      : claimUnique(toSlug(slug) || 'profile', new Set([...ids, ...[...original].filter(isSlug)]));
  ids.add(id);
  return { id, slug };
}

/** The slug KubeSpawner uses for a profile: its `slug`, else the one it derives from the display name. */
function originalSlug(p: Record<string, unknown>): string {
  return p['slug'] === undefined
    ? pythonSlugify(String(p['display_name'] ?? '')) || 'profile'
    : String(p['slug']);
}

function isText(value: string | undefined): value is string {
  return value !== undefined;
}

const PROFILE_FIELD_ORDER: (keyof ProfileInput)[] = [
  'display_name',
  'slug',
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
