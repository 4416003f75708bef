import { generateHelmValues, renderHelmValues } from '../lib/helm-values.ts';
import { parseImageReference } from '../lib/image-reference.ts';
import type { ResolvedCatalog } from '../lib/model.ts';
import type { Outputs } from '../lib/outputs.ts';
import type { Override, ProfileListEntry } from '../lib/profile-list.ts';
import type { ImageCheckResult } from './types.ts';

/** What pinning did: each image written with its digest, and each image that could not be pinned and why. */
export interface PinReport {
  pinned: { image: string; pinnedAs: string }[];
  unpinned: { image: string; status: ImageCheckResult['status'] | 'unchecked'; message: string }[];
}

/** The image with the digest it resolved to (`repo:tag@sha256:…`; the tag is kept), or undefined. */
export function pinnedReference(image: string, result: ImageCheckResult | undefined): string | undefined {
  const parsed = parseImageReference(image);
  if (!parsed.ok || result?.status !== 'exists' || result.digest === undefined) return undefined;
  if (parsed.reference.digest !== undefined) return image;
  return `${image}@${result.digest}`;
}

/**
 * Rewrites the `image` of each profile's `kubespawner_override` and of each choice's override to `image@sha256:…`
 * so spawns are reproducible. `unlisted_choice` overrides (`{value}` templates) are never touched. Pure: returns a
 * new list.
 */
export function pinDigests(
  profileList: readonly ProfileListEntry[],
  results: ReadonlyMap<string, ImageCheckResult>,
): { profileList: ProfileListEntry[]; report: PinReport } {
  const report: PinReport = { pinned: [], unpinned: [] };
  const seen = new Set<string>();
  const pin = (override: Override | undefined): void => {
    const image = override?.['image'];
    if (override === undefined || typeof image !== 'string' || image.includes('{value}')) return;
    const pinned = pinnedReference(image, results.get(image));
    if (pinned !== undefined) override['image'] = pinned;
    if (seen.has(image)) return;
    seen.add(image);
    if (pinned !== undefined) {
      if (pinned !== image) report.pinned.push({ image, pinnedAs: pinned });
      return;
    }
    const result = results.get(image);
    report.unpinned.push({
      image,
      status: result?.status ?? 'unchecked',
      message: result?.message ?? `${image} was not checked, so its digest is unknown.`,
    });
  };
  const list = structuredClone(profileList) as ProfileListEntry[];
  for (const entry of list) {
    pin(entry.kubespawner_override);
    for (const option of Object.values(entry.profile_options ?? {})) {
      for (const choice of Object.values(option.choices)) pin(choice.kubespawner_override);
    }
  }
  return { profileList: list, report };
}

/** The outputs with every image pinned: profile_list.json and values.yaml (profileList and singleuser.image). */
export function pinOutputs(
  outputs: Outputs,
  resolved: Pick<ResolvedCatalog, 'defaultImage' | 'defaultUrl'>,
  results: ReadonlyMap<string, ImageCheckResult>,
): { outputs: Outputs; report: PinReport } {
  const { profileList, report } = pinDigests(outputs.profileList, results);
  let defaultImage = resolved.defaultImage;
  if (defaultImage !== undefined) {
    const pinned = pinnedReference(defaultImage, results.get(defaultImage));
    if (pinned === undefined && !report.unpinned.some((u) => u.image === defaultImage)) {
      const result = results.get(defaultImage);
      report.unpinned.push({
        image: defaultImage,
        status: result?.status ?? 'unchecked',
        message: result?.message ?? `${defaultImage} was not checked, so its digest is unknown.`,
      });
    }
    if (
      pinned !== undefined &&
      pinned !== defaultImage &&
      !report.pinned.some((p) => p.image === defaultImage)
    ) {
      report.pinned.push({ image: defaultImage, pinnedAs: pinned });
    }
    defaultImage = pinned ?? defaultImage;
  }
  const values = generateHelmValues(profileList, {
    ...(defaultImage === undefined ? {} : { defaultImage }),
    ...(resolved.defaultUrl === undefined ? {} : { defaultUrl: resolved.defaultUrl }),
  });
  return {
    outputs: {
      profileList,
      profileListJson: `${JSON.stringify(profileList, null, 2)}\n`,
      values,
      valuesYaml: renderHelmValues(values),
    },
    report,
  };
}
