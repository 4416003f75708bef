import type { Catalog, Entry } from './catalog.ts';
import type {
  FieldPath,
  ResolvedCatalog,
  ResolvedChoice,
  ResolvedOption,
  ResolvedProfile,
  Settings,
  Size,
} from './model.ts';
import { parseCpu, parseMemory } from './quantities.ts';
import type { NodeGroupInput } from './schema/node-group.ts';
import { DEFAULT_CUSTOM_IMAGE_REGEX } from './schema/constants.ts';
import type { ChoiceInput, CustomImageInput, ProfileInput, SizeInput } from './schema/profile.ts';

/** The option keys the friendly fields compile to. They are part of users' saved choices: never change them. */
export const SUGAR_OPTION_KEYS = { images: 'image', nodeGroups: 'node', sizes: 'size' } as const;

interface Lookup {
  images: Map<string, { reference: string; displayName: string }>;
  nodeGroups: Map<string, NodeGroupInput>;
}

/** Compiles every profile to the general form and sorts profiles as the spawn page shows them. */
export function resolveCatalog(catalog: Catalog): ResolvedCatalog {
  const lookup: Lookup = {
    images: new Map(
      catalog.images.map((e) => [e.id, { reference: e.data.image, displayName: e.data.display_name }]),
    ),
    nodeGroups: new Map(catalog.nodeGroups.map((e) => [e.id, e.data])),
  };
  const settings = catalog.settings?.data;
  const listed = new Map((settings?.profile_order ?? []).map((id, index) => [id, index]));
  const profiles = catalog.profiles.map((entry) => resolveProfile(entry, lookup));
  const rank = (p: ResolvedProfile) => p.order ?? listed.get(p.id) ?? Number.MAX_SAFE_INTEGER;
  profiles.sort((a, b) => rank(a) - rank(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const resolved: ResolvedCatalog = {
    profiles,
    imageInfo: Object.fromEntries(
      catalog.images.map((e) => [
        e.id,
        {
          displayName: e.data.display_name,
          reference: e.data.image,
          ...(e.data.description === undefined ? {} : { description: e.data.description }),
        },
      ]),
    ),
    nodeGroupInfo: Object.fromEntries(catalog.nodeGroups.map((e) => [e.id, e.data])),
  };
  const defaultImage = settings?.default_image
    ? lookup.images.get(settings.default_image)?.reference
    : undefined;
  if (defaultImage !== undefined) resolved.defaultImage = defaultImage;
  if (settings?.default_url !== undefined) resolved.defaultUrl = settings.default_url;
  return resolved;
}

/** Compiles one profile's friendly fields and general options into base settings plus menus. */
export function resolveProfile(entry: Entry<ProfileInput>, lookup: Lookup): ResolvedProfile {
  const p = entry.data;
  const base = emptySettings();
  const options: ResolvedOption[] = [];

  const images = p.images ?? [];
  const custom = p.custom_image?.enabled ? p.custom_image : undefined;
  if (images.length === 1 && !custom) {
    setImage(base, images[0]?.image, lookup);
  } else if (images.length > 0 || custom) {
    const option: ResolvedOption = {
      key: SUGAR_OPTION_KEYS.images,
      displayName: 'Image',
      at: ['images'],
      choices: images.map((item, index) => {
        const choice = makeChoice(
          item.image,
          lookup.images.get(item.image)?.displayName ?? item.image,
          item.default,
          ['images', index],
        );
        setImage(choice, item.image, lookup);
        return choice;
      }),
    };
    if (custom) option.customImage = resolveCustomImage(custom, ['custom_image']);
    options.push(option);
  }

  const groups = p.node_groups ?? [];
  if (groups.length === 1) {
    setNodeGroup(base, groups[0]?.node_group, lookup);
  } else if (groups.length > 1) {
    options.push({
      key: SUGAR_OPTION_KEYS.nodeGroups,
      displayName: 'Node type',
      at: ['node_groups'],
      choices: groups.map((item, index) => {
        const group = lookup.nodeGroups.get(item.node_group);
        const choice = makeChoice(item.node_group, group?.display_name ?? item.node_group, item.default, [
          'node_groups',
          index,
        ]);
        setNodeGroup(choice, item.node_group, lookup);
        return choice;
      }),
    });
  }

  if (p.size) setSize(base, p.size, ['size']);
  if (p.sizes) {
    options.push({
      key: SUGAR_OPTION_KEYS.sizes,
      displayName: 'Size',
      at: ['sizes'],
      choices: p.sizes.map((item, index) => {
        const choice = makeChoice(item.key, item.display_name, item.default, ['sizes', index]);
        setSize(choice, item, ['sizes', index]);
        return choice;
      }),
    });
  }

  base.environment = (p.environment ?? []).map((v) => [v.name, v.value]);
  if (p.default_url !== undefined) base.defaultUrl = p.default_url;
  base.advanced = { ...p.advanced };

  (p.options ?? []).forEach((option, optionIndex) => {
    const at: FieldPath = ['options', optionIndex];
    const resolved: ResolvedOption = {
      key: option.key,
      displayName: option.display_name,
      at,
      choices: option.choices.map((choice, index) =>
        resolveChoice(choice, [...at, 'choices', index], lookup),
      ),
    };
    if (option.custom_image?.enabled)
      resolved.customImage = resolveCustomImage(option.custom_image, [...at, 'custom_image']);
    options.push(resolved);
  });

  const profile: ResolvedProfile = {
    id: entry.id,
    slug: p.slug ?? entry.id,
    file: entry.file,
    displayName: p.display_name,
    isDefault: p.default === true,
    allowedGroups: p.allowed_groups ?? [],
    base,
    options,
  };
  if (p.description !== undefined) profile.description = p.description;
  if (p.order !== undefined) profile.order = p.order;
  return profile;
}

function resolveChoice(input: ChoiceInput, at: FieldPath, lookup: Lookup): ResolvedChoice {
  const choice = makeChoice(input.key, input.display_name, input.default, at);
  setImage(choice, input.image, lookup);
  setNodeGroup(choice, input.node_group, lookup);
  if (input.size) setSize(choice, input.size, [...at, 'size']);
  choice.environment = (input.environment ?? []).map((v) => [v.name, v.value]);
  if (input.default_url !== undefined) choice.defaultUrl = input.default_url;
  choice.allowedGroups = input.allowed_groups ?? [];
  choice.advanced = { ...input.advanced };
  return choice;
}

function resolveCustomImage(
  input: CustomImageInput,
  at: FieldPath,
): NonNullable<ResolvedOption['customImage']> {
  return {
    label: input.label ?? 'Custom image',
    choiceLabel: input.choice_label ?? 'Other...',
    validationRegex: input.validation_regex ?? DEFAULT_CUSTOM_IMAGE_REGEX,
    validationMessage:
      input.validation_message ?? 'Must be an image reference of the form registry/repository:tag',
    at,
  };
}

function emptySettings(): Settings {
  return { environment: [], advanced: {}, allowedGroups: [] };
}

function makeChoice(
  key: string,
  displayName: string,
  isDefault: boolean | undefined,
  at: FieldPath,
): ResolvedChoice {
  return { ...emptySettings(), key, displayName, isDefault: isDefault === true, at };
}

function setImage(target: Settings, id: string | undefined, lookup: Lookup): void {
  const image = id === undefined ? undefined : lookup.images.get(id);
  if (id !== undefined && image) target.image = { id, reference: image.reference };
}

function setNodeGroup(target: Settings, id: string | undefined, lookup: Lookup): void {
  const group = id === undefined ? undefined : lookup.nodeGroups.get(id);
  if (id !== undefined && group) target.nodeGroup = { id, group };
}

function setSize(target: Settings, input: SizeInput, at: FieldPath): void {
  const size: Size = {};
  const cpuGuarantee = input.cpu_guarantee === undefined ? undefined : parseCpu(input.cpu_guarantee);
  const cpuLimit = input.cpu_limit === undefined ? undefined : parseCpu(input.cpu_limit);
  const memGuarantee = input.mem_guarantee === undefined ? undefined : parseMemory(input.mem_guarantee);
  const memLimit = input.mem_limit === undefined ? undefined : parseMemory(input.mem_limit);
  if (cpuGuarantee !== undefined) size.cpu_guarantee = cpuGuarantee;
  if (cpuLimit !== undefined) size.cpu_limit = cpuLimit;
  if (memGuarantee !== undefined) size.mem_guarantee = memGuarantee;
  if (memLimit !== undefined) size.mem_limit = memLimit;
  if (input.gpus !== undefined) size.gpus = input.gpus;
  target.size = size;
  target.sizeAt = at;
}
