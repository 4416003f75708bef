import { escapeHtml, renderDescription } from './html.ts';
import type { ResolvedCatalog, ResolvedChoice, ResolvedOption, ResolvedProfile, Settings } from './model.ts';

/** The default GPU resource when a node group names none. */
export const DEFAULT_GPU_RESOURCE = 'nvidia.com/gpu';

/** A KubeSpawner `kubespawner_override`: trait name to value. */
export type Override = Record<string, unknown>;

/** One choice of `profile_options.<key>.choices` as KubeSpawner reads it. */
export interface ProfileListChoice {
  display_name: string;
  default?: true;
  allowed_groups?: string[];
  kubespawner_override?: Override;
}

/** One entry of `profile_options` as KubeSpawner reads it. */
export interface ProfileListOption {
  display_name: string;
  choices: Record<string, ProfileListChoice>;
  unlisted_choice?: {
    enabled: true;
    display_name: string;
    display_name_in_choices: string;
    validation_regex: string;
    validation_message: string;
    kubespawner_override: Override;
  };
}

/** One profile of KubeSpawner's `profile_list`. */
export interface ProfileListEntry {
  display_name: string;
  slug: string;
  description?: string;
  default?: true;
  allowed_groups?: string[];
  kubespawner_override?: Override;
  profile_options?: Record<string, ProfileListOption>;
}

/** Generates `profile_list` exactly as KubeSpawner 7.1 reads it: a list, explicit slugs and defaults, no nulls. */
export function generateProfileList(catalog: ResolvedCatalog): ProfileListEntry[] {
  const hasDefault = catalog.profiles.some((p) => p.isDefault);
  return catalog.profiles.map((profile, index) =>
    generateProfile(profile, hasDefault ? profile.isDefault : index === 0),
  );
}

function generateProfile(profile: ResolvedProfile, isDefault: boolean): ProfileListEntry {
  const entry: ProfileListEntry = { display_name: escapeHtml(profile.displayName), slug: profile.slug };
  if (profile.description !== undefined && profile.description.trim() !== '') {
    entry.description = renderDescription(profile.description);
  }
  if (isDefault) entry.default = true;
  if (profile.allowedGroups.length > 0) entry.allowed_groups = [...profile.allowedGroups];
  const gpuResource = profileGpuResource(profile);
  const override = generateOverride(profile.base, gpuResource);
  if (Object.keys(override).length > 0) entry.kubespawner_override = override;
  if (profile.options.length > 0) {
    entry.profile_options = Object.fromEntries(
      profile.options.map((option) => [option.key, generateOption(option, gpuResource)]),
    );
  }
  return entry;
}

function generateOption(option: ResolvedOption, gpuResource: string): ProfileListOption {
  const defaultIndex = Math.max(
    0,
    option.choices.findIndex((c) => c.isDefault),
  );
  const out: ProfileListOption = {
    display_name: escapeHtml(option.displayName),
    choices: Object.fromEntries(
      option.choices.map((choice, index) => [
        choice.key,
        generateChoice(choice, index === defaultIndex, gpuResource),
      ]),
    ),
  };
  if (option.customImage) {
    out.unlisted_choice = {
      enabled: true,
      display_name: escapeHtml(option.customImage.label),
      display_name_in_choices: escapeHtml(option.customImage.choiceLabel),
      validation_regex: option.customImage.validationRegex,
      validation_message: escapeHtml(option.customImage.validationMessage),
      kubespawner_override: { image: '{value}' },
    };
  }
  return out;
}

function generateChoice(choice: ResolvedChoice, isDefault: boolean, gpuResource: string): ProfileListChoice {
  const out: ProfileListChoice = { display_name: escapeHtml(choice.displayName) };
  if (isDefault) out.default = true;
  if (choice.allowedGroups.length > 0) out.allowed_groups = [...choice.allowedGroups];
  const override = generateOverride(choice, choice.nodeGroup?.group.capacity?.gpu_resource ?? gpuResource);
  if (Object.keys(override).length > 0) out.kubespawner_override = override;
  return out;
}

/** Turns one profile's or choice's settings into a `kubespawner_override`, keys in a fixed order. */
export function generateOverride(settings: Settings, gpuResource: string): Override {
  const out: Override = {};
  if (settings.image) out['image'] = settings.image.reference;
  if (settings.defaultUrl !== undefined) out['default_url'] = settings.defaultUrl;
  const size = settings.size;
  if (size?.cpu_guarantee !== undefined) out['cpu_guarantee'] = size.cpu_guarantee;
  if (size?.cpu_limit !== undefined) out['cpu_limit'] = size.cpu_limit;
  if (size?.mem_guarantee !== undefined) out['mem_guarantee'] = size.mem_guarantee.kubespawner;
  if (size?.mem_limit !== undefined) out['mem_limit'] = size.mem_limit.kubespawner;
  if (size?.gpus !== undefined && size.gpus > 0) {
    out['extra_resource_limits'] = { [gpuResource]: String(size.gpus) };
  }
  const group = settings.nodeGroup?.group;
  if (group) {
    out['node_selector'] = sortedRecord(group.node_selector);
    if (group.tolerations && group.tolerations.length > 0)
      out['tolerations'] = group.tolerations.map((t) => ({ ...t }));
  }
  if (settings.environment.length > 0) out['environment'] = Object.fromEntries(settings.environment);
  for (const key of Object.keys(settings.advanced).sort()) out[key] = settings.advanced[key];
  return out;
}

/** The GPU resource name of a profile: the one its node groups agree on, else nvidia.com/gpu. */
export function profileGpuResource(profile: ResolvedProfile): string {
  const names = new Set<string>();
  const add = (s: Settings) => {
    const name = s.nodeGroup?.group.capacity?.gpu_resource;
    if (name) names.add(name);
  };
  add(profile.base);
  for (const option of profile.options) option.choices.forEach(add);
  return names.size === 1 ? [...names][0]! : DEFAULT_GPU_RESOURCE;
}

function sortedRecord(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
