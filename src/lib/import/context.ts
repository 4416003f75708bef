import type { Entry } from '../catalog.ts';
import { warning, error, type Issue } from '../issues.ts';
import type { ImageInput } from '../schema/image.ts';
import type { NodeGroupInput } from '../schema/node-group.ts';
import { claimUnique, isSlug, toSlug } from './slugs.ts';
import type { SourcePath, ValuesSource } from './source.ts';

/** What describes a new image best where it is first met: the choice that offers it. */
export interface ImageHints {
  key?: string;
  displayName?: string;
  description?: string;
}

/** Everything the import has learned so far, and the issues it reports. */
export interface ImportContext {
  source: ValuesSource;
  issues: Issue[];
  images: ImageRegistry;
  nodeGroups: NodeGroupRegistry;
  /** The keys `advanced` may hold in this project (configurator.yaml); undefined: not checked here. */
  allowedAdvanced?: ReadonlySet<string>;
  /** A hub-wide setting of the same values file (`singleuser.memory.limit`), for messages about nulls. */
  hubWide(path: readonly string[]): unknown;
}

/** Reports a warning at a place in the values file. */
export function warn(
  ctx: ImportContext,
  code: string,
  path: SourcePath,
  message: string,
  hint?: string,
): void {
  ctx.issues.push(warning(code, ctx.source.at(path), message, hint));
}

/** Reports an error at a place in the values file. */
export function fail(
  ctx: ImportContext,
  code: string,
  path: SourcePath,
  message: string,
  hint?: string,
): void {
  ctx.issues.push(error(code, ctx.source.at(path), message, hint));
}

/** Why KubeSpawner ignores a key where it was found, for the warning. */
const IGNORED_BECAUSE: Record<string, string> = {
  description: "KubeSpawner's spawn page shows only the profile's description",
  slug: 'choices are known by their key; KubeSpawner reads `slug` on profiles only',
  dynamic_image_building: "only 2i2c's own spawn-page template reads it",
  kubespawner_override:
    'KubeSpawner reads kubespawner_override on choices and on unlisted_choice only, so this one never applied',
  default: 'defaults are set on choices (`default: true` on one choice), never on a menu',
  description_in_choices: "only 2i2c's own spawn-page template reads it",
};

/** Reports a key KubeSpawner never reads; it is left out. */
export function reportIgnored(ctx: ImportContext, path: SourcePath, key: string, where: string): void {
  warn(
    ctx,
    'ImportIgnoredKey',
    path,
    `\`${key}\` on ${where} is not read by KubeSpawner (${IGNORED_BECAUSE[key] ?? 'it is no key of profile_list'}). It was left out.`,
  );
}

/** Images de-duplicated by reference: existing content images are reused, new ones get ids and files. */
export interface ImageRegistry {
  idFor(reference: string, hints: ImageHints): string;
  /** The image with this id, new or existing. */
  get(id: string): ImageInput | undefined;
  created(): { id: string; data: ImageInput }[];
}

/** Creates the image registry, seeded with the project's images. */
export function createImageRegistry(existing: readonly Entry<ImageInput>[]): ImageRegistry {
  const byReference = new Map(existing.map((entry) => [entry.data.image, entry.id]));
  const taken = new Set(existing.map((entry) => entry.id));
  const made = new Map<string, { data: ImageInput; named: boolean }>();
  const known = new Map(existing.map((entry) => [entry.id, entry.data]));
  return {
    get: (id) => made.get(id)?.data ?? known.get(id),
    idFor(reference, hints) {
      const known = byReference.get(reference);
      if (known !== undefined) {
        const mine = made.get(known);
        // An image first met without a name (a profile's own image) takes the name of the first choice offering it.
        if (mine && !mine.named && hints.displayName) {
          mine.data.display_name = hints.displayName;
          mine.named = true;
        }
        if (mine && mine.data.description === undefined && hints.description)
          mine.data.description = hints.description;
        return known;
      }
      const { repository, tag } = splitReference(reference);
      const candidates = [hints.key, repository, tag ? `${repository}-${tag}` : undefined]
        .map((c) => (c === undefined ? '' : toSlug(c)))
        .filter((c) => c !== '' && isSlug(c));
      const id = candidates.find((c) => !taken.has(c)) ?? claimUnique(candidates[0] ?? 'image', taken);
      taken.add(id);
      byReference.set(reference, id);
      const data: ImageInput = {
        display_name: hints.displayName ?? (tag ? `${repository}:${tag}` : repository),
        image: reference,
      };
      if (hints.description) data.description = hints.description;
      made.set(id, { data, named: hints.displayName !== undefined });
      return id;
    },
    created: () => [...made].map(([id, { data }]) => ({ id, data })),
  };
}

/** Node groups de-duplicated by node selector and tolerations: existing ones are reused, new ones derived. */
export interface NodeGroupRegistry {
  idFor(selector: Record<string, string>, tolerations: NodeGroupInput['tolerations']): string;
  /** The id of a known node group with exactly this selector and these tolerations. */
  find(selector: Record<string, string>, tolerations: NodeGroupInput['tolerations']): string | undefined;
  get(id: string): NodeGroupInput | undefined;
  created(): { id: string; data: NodeGroupInput }[];
}

/** Creates the node-group registry, seeded with the project's node groups. */
export function createNodeGroupRegistry(existing: readonly Entry<NodeGroupInput>[]): NodeGroupRegistry {
  const all = new Map(existing.map((entry) => [entry.id, entry.data]));
  const bySignature = new Map(
    existing.map((entry) => [signature(entry.data.node_selector, entry.data.tolerations), entry.id]),
  );
  const taken = new Set(all.keys());
  const made = new Map<string, NodeGroupInput>();
  return {
    idFor(selector, tolerations) {
      const key = signature(selector, tolerations);
      const known = bySignature.get(key);
      if (known !== undefined) return known;
      const values = Object.keys(selector)
        .sort()
        .map((label) => selector[label] ?? '');
      const id = claimUnique(toSlug(values.join('-')) || 'nodes', taken);
      const data: NodeGroupInput = {
        display_name: values.filter((v) => v !== '').join(', ') || id,
        node_selector: sorted(selector),
      };
      if (tolerations && tolerations.length > 0) data.tolerations = tolerations;
      bySignature.set(key, id);
      all.set(id, data);
      made.set(id, data);
      return id;
    },
    find: (selector, tolerations) => bySignature.get(signature(selector, tolerations)),
    get: (id) => all.get(id),
    created: () => [...made].map(([id, data]) => ({ id, data })),
  };
}

/** The repository name (last path segment) and tag of an image reference, for naming. */
export function splitReference(reference: string): { repository: string; tag?: string } {
  const withoutDigest = reference.split('@')[0] ?? reference;
  const lastSlash = withoutDigest.lastIndexOf('/');
  const name = withoutDigest.slice(lastSlash + 1);
  const colon = name.indexOf(':');
  return colon < 0 ? { repository: name } : { repository: name.slice(0, colon), tag: name.slice(colon + 1) };
}

function signature(selector: Record<string, string>, tolerations: NodeGroupInput['tolerations']): string {
  return JSON.stringify([sorted(selector), (tolerations ?? []).map((t) => sorted(t))]);
}

function sorted<T extends object>(record: T): T {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) as T;
}
