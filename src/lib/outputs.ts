import { generateHelmValues, renderHelmValues, type HelmValues } from './helm-values.ts';
import type { ResolvedCatalog } from './model.ts';
import { generateProfileList, type ProfileListEntry } from './profile-list.ts';

/** The artifacts KubeSpawner and Helm consume, as data and as the exact bytes written. */
export interface Outputs {
  profileList: ProfileListEntry[];
  profileListJson: string;
  values: HelmValues;
  valuesYaml: string;
}

/** Generates every output from a validated catalogue. Pure and deterministic. */
export function generateOutputs(resolved: ResolvedCatalog): Outputs {
  const profileList = generateProfileList(resolved);
  const values = generateHelmValues(profileList, {
    ...(resolved.defaultImage === undefined ? {} : { defaultImage: resolved.defaultImage }),
    ...(resolved.defaultUrl === undefined ? {} : { defaultUrl: resolved.defaultUrl }),
  });
  return {
    profileList,
    profileListJson: `${JSON.stringify(profileList, null, 2)}\n`,
    values,
    valuesYaml: renderHelmValues(values),
  };
}
