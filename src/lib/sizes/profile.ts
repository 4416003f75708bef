import { parseCpu, parseKubernetesMemory, parseMemory } from '../quantities.ts';
import type { NodeGroupInput } from '../schema/node-group.ts';
import type { ChoiceInput, OptionInput, ProfileInput } from '../schema/profile.ts';
import { SUGAR_OPTION_KEYS } from '../resolve.ts';
import { generateSizeChoices, type GeneratedSize, type NodeCapacity } from './generate.ts';

/** Size-generation settings as people give them: `floor` in KubeSpawner units (`1G`, `512M`) or bytes. */
export interface SizeSettings {
  /** The smallest memory share offered (default 1G). */
  floor?: string | number;
  /** Part of the node kept free for daemon sets and system pods, 0–0.5 (default 0.05). */
  reserve?: number;
}

/** A size in the shape of a profile's `sizes` list (the CMS data shape). */
export type SizeChoiceData = NonNullable<ProfileInput['sizes']>[number];

/** The outcome of generating sizes into a profile. */
export interface ProfileSizesPlan {
  /** The profile with the generated sizes in place (unchanged when there are problems). */
  profile: ProfileInput;
  /** Why no sizes could be generated; empty when it worked. */
  problems: string[];
  /** Choices that disappear, as `menu=key`: users who saved one see the default pre-selected. */
  removedKeys: string[];
}

/** A node group's capacity as numbers, or the problem that prevents cutting it into sizes. */
export function nodeCapacity(
  id: string,
  group: NodeGroupInput,
): { capacity?: NodeCapacity; problem?: string } {
  const c = group.capacity;
  const cpu = c?.cpu === undefined ? undefined : parseCpu(c.cpu);
  const memoryBytes = c?.memory === undefined ? undefined : parseKubernetesMemory(c.memory);
  if (cpu === undefined || memoryBytes === undefined) {
    return {
      problem: `The node group "${id}" states no ${cpu === undefined ? 'CPU' : 'memory'} capacity, so it cannot be cut into sizes; infrastructure admins add capacity.cpu and capacity.memory with load-node-groups.`,
    };
  }
  const capacity: NodeCapacity = { cpu, memoryBytes };
  if (c?.gpus) capacity.gpus = c.gpus;
  if (c?.gpu_resource) capacity.gpuResource = c.gpu_resource;
  return { capacity };
}

/**
 * Sizes for one node group, in the shape of a profile's `sizes` list: what the /admin action "sizes from node
 * capacity" puts into a profile whose node group is `id`.
 */
export function sizesForNodeGroup(
  id: string,
  group: NodeGroupInput,
  settings: SizeSettings = {},
): { sizes: SizeChoiceData[]; problems: string[] } {
  const generated = generateFor([id], { [id]: group }, settings);
  return { sizes: generated.sizes.map(toSizeChoice), problems: generated.problems };
}

/**
 * Puts sizes generated from node capacity into a profile. With one node group: `node_groups: [that group]` and
 * `sizes` (a fixed `size` is replaced). With several, or with `menu` naming a general menu: one general menu (key
 * `menu`, default "size") whose choices each pin their node group, replacing `node_groups`, `size` and `sizes`
 * (the node menu folds into the size menu). The node groups are `nodeGroupIds`, else the profile's own.
 */
export function withGeneratedSizes(
  profile: ProfileInput,
  nodeGroups: Readonly<Record<string, NodeGroupInput>>,
  settings: SizeSettings & { nodeGroupIds?: readonly string[]; menu?: string } = {},
): ProfileSizesPlan {
  const ids = settings.nodeGroupIds ?? (profile.node_groups ?? []).map((n) => n.node_group);
  if (ids.length === 0) {
    return {
      profile,
      problems: [
        'The profile has no node group; pick the node group(s) first: sizes are cut from their capacity.',
      ],
      removedKeys: [],
    };
  }
  const { sizes, problems } = generateFor(ids, nodeGroups, settings);
  if (problems.length > 0) return { profile, problems, removedKeys: [] };
  const next: ProfileInput = { ...profile };
  delete next.size;
  const menu = settings.menu ?? (ids.length > 1 ? SUGAR_OPTION_KEYS.sizes : undefined);
  const before = menuKeys(profile, menu ?? SUGAR_OPTION_KEYS.sizes);
  if (menu === undefined) {
    next.node_groups = [{ node_group: ids[0]! }];
    next.sizes = sizes.map(toSizeChoice);
  } else {
    delete next.node_groups;
    delete next.sizes;
    const option: OptionInput = {
      key: menu,
      display_name: profile.options?.find((o) => o.key === menu)?.display_name ?? 'Size',
      choices: sizes.map(toChoice),
    };
    const options = [...(profile.options ?? [])];
    const index = options.findIndex((o) => o.key === menu);
    if (index >= 0) options[index] = option;
    else options.push(option);
    next.options = options;
  }
  const after = new Set(menuKeys(next, menu ?? SUGAR_OPTION_KEYS.sizes));
  const removedKeys = before.filter((key) => !after.has(key));
  return { profile: next, problems: [], removedKeys };
}

function generateFor(
  ids: readonly string[],
  nodeGroups: Readonly<Record<string, NodeGroupInput>>,
  settings: SizeSettings,
): { sizes: GeneratedSize[]; problems: string[] } {
  const problems: string[] = [];
  const floorBytes = settings.floor === undefined ? undefined : parseMemory(settings.floor)?.bytes;
  if (settings.floor !== undefined && floorBytes === undefined) {
    problems.push(`The floor "${String(settings.floor)}" is not a memory amount; write e.g. 512M or 1G.`);
  }
  const reserve = settings.reserve;
  if (reserve !== undefined && !(reserve >= 0 && reserve <= 0.5)) {
    problems.push(`The reserve ${reserve} must be a fraction between 0 and 0.5, e.g. 0.05.`);
  }
  if (problems.length > 0) return { sizes: [], problems };
  const sizes: GeneratedSize[] = [];
  for (const id of ids) {
    const group = nodeGroups[id];
    if (!group) {
      problems.push(`There is no node group "${id}" in content/node-groups/.`);
      continue;
    }
    const { capacity, problem } = nodeCapacity(id, group);
    if (!capacity) {
      problems.push(problem ?? '');
      continue;
    }
    const generated = generateSizeChoices(capacity, {
      nodeGroup: id,
      ...(floorBytes === undefined ? {} : { floorBytes }),
      ...(reserve === undefined ? {} : { overheadFraction: reserve }),
      ...(ids.length > 1 ? { keyPrefix: id } : {}),
    });
    if (generated.length === 0) {
      problems.push(`A "${id}" node is smaller than the floor, so it gives no size; lower the floor.`);
    }
    // One menu for several node groups: only the very first size is its default.
    sizes.push(...generated.map((s) => (sizes.length > 0 && s.default ? withoutDefault(s) : s)));
  }
  return { sizes, problems };
}

function withoutDefault(size: GeneratedSize): GeneratedSize {
  const rest = { ...size };
  delete rest.default;
  return rest;
}

/** A generated size as an entry of `sizes:`. */
export function toSizeChoice(size: GeneratedSize): SizeChoiceData {
  return {
    key: size.key,
    display_name: size.display_name,
    ...(size.default ? { default: true } : {}),
    ...size.size,
  };
}

/** A generated size as a general choice pinned to its node group. */
export function toChoice(size: GeneratedSize): ChoiceInput {
  return {
    key: size.key,
    display_name: size.display_name,
    ...(size.default ? { default: true } : {}),
    node_group: size.node_group,
    size: size.size,
  };
}

/** The choices users may have saved (`menu=key`) of the size menu being replaced and of the node menu. */
function menuKeys(profile: ProfileInput, menu: string): string[] {
  const keys =
    (profile.options ?? []).find((o) => o.key === menu)?.choices.map((c) => `${menu}=${c.key}`) ?? [];
  if (menu === SUGAR_OPTION_KEYS.sizes) keys.push(...(profile.sizes ?? []).map((s) => `${menu}=${s.key}`));
  if ((profile.node_groups ?? []).length > 1) {
    keys.push(...(profile.node_groups ?? []).map((n) => `${SUGAR_OPTION_KEYS.nodeGroups}=${n.node_group}`));
  }
  return keys;
}
