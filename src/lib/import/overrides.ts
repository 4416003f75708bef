import { KUBESPAWNER_TRAITS, MODELLED_KEYS, NOT_PER_PROFILE } from '../kubespawner-keys.ts';
import type { NodeGroupInput } from '../schema/node-group.ts';
import type { SizeInput } from '../schema/profile.ts';
import { fail, warn, type ImageHints, type ImportContext } from './context.ts';
import { isRecord, isToleration, notExpressible, stringRecord, takeGpus, takeModelled } from './fields.ts';
import type { SourcePath } from './source.ts';

/** What one `kubespawner_override` sets, in the content model's terms. */
export interface LevelSettings {
  /** Image id. */
  image?: string;
  /** Node-group id. */
  nodeGroup?: string;
  size?: SizeInput;
  environment?: { name: string; value: string }[];
  defaultUrl?: string;
  advanced?: Record<string, unknown>;
  /** The KubeSpawner keys this override gives a value (not null), to judge nulls of later overrides. */
  sets: Set<string>;
}

/** KubeSpawner settings that are mappings: `null` for one of them is a TraitError at spawn. */
const DICT_TRAITS = new Set([
  'common_labels',
  'environment',
  'extra_annotations',
  'extra_container_config',
  'extra_labels',
  'extra_pod_config',
  'extra_resource_guarantees',
  'extra_resource_limits',
  'lifecycle_hooks',
  'node_selector',
  'storage_extra_annotations',
  'storage_extra_labels',
  'storage_selector',
]);

/** z2jh's hub-wide value behind a KubeSpawner key, for explaining what a dropped `null` changes. */
const HUB_WIDE: Record<string, { path: string[]; z2jhDefault?: string }> = {
  mem_limit: { path: ['memory', 'limit'] },
  mem_guarantee: { path: ['memory', 'guarantee'], z2jhDefault: '1G' },
  cpu_limit: { path: ['cpu', 'limit'] },
  cpu_guarantee: { path: ['cpu', 'guarantee'] },
  image_pull_policy: { path: ['image', 'pullPolicy'] },
  default_url: { path: ['defaultUrl'] },
};

/**
 * Splits a `kubespawner_override` into content fields: image (de-duplicated by reference), node group (from the
 * node selector and tolerations), size, environment, default URL and `advanced` for the other KubeSpawner keys.
 * What content cannot hold is reported at its line, never dropped silently. `earlier` lists the keys that
 * overrides applied before this one set, so that a `null` that used to reset one of them is reported as a change.
 */
export function splitOverride(
  ctx: ImportContext,
  override: unknown,
  path: SourcePath,
  earlier: ReadonlySet<string>,
  imageHints: ImageHints = {},
): LevelSettings {
  const out: LevelSettings = { sets: new Set() };
  if (override === undefined) return out;
  if (override === null || typeof override !== 'object' || Array.isArray(override)) {
    warn(
      ctx,
      'ImportNotExpressible',
      path,
      `kubespawner_override must be a mapping; KubeSpawner fails at spawn on ${override === null ? 'null' : 'this value'}. It was left out.`,
    );
    return out;
  }
  const o = override as Record<string, unknown>;
  const at = (key: string): SourcePath => [...path, key];
  for (const [key, value] of Object.entries(o)) {
    if (key === 'default') {
      warn(
        ctx,
        'ImportDefaultInOverride',
        at(key),
        '`default` inside kubespawner_override is not a KubeSpawner setting, so KubeSpawner ignores it (it never made anything the default). It was left out.',
        'to pre-select a profile or a choice, set `default: true` on the profile or choice itself.',
      );
      continue;
    }
    if (value === null) {
      reportNull(ctx, key, at(key), earlier);
      continue;
    }
    const name = key === 'image_spec' ? 'image' : key;
    if (key === 'image_spec') {
      warn(
        ctx,
        'ImportRenamedSetting',
        at(key),
        '`image_spec` is the deprecated name of `image`; it was imported as the image.',
      );
    }
    if (!KUBESPAWNER_TRAITS.has(name)) {
      warn(
        ctx,
        'ImportUnknownKey',
        at(key),
        `"${key}" is not a KubeSpawner setting: KubeSpawner ignores it${isRecord(value) ? ' (a mapping like this one even makes the spawn fail)' : ''}. It was left out.`,
        'check the spelling against the KubeSpawner documentation, and add it to the profile by hand if it was meant.',
      );
      continue;
    }
    if (NOT_PER_PROFILE.has(name)) {
      warn(
        ctx,
        'ImportUnknownKey',
        at(key),
        `"${key}" is a hub-wide KubeSpawner setting (or a hook) that content cannot set per profile. It was left out.`,
        'keep it in the hub-wide KubeSpawner configuration of the Helm values instead.',
      );
      continue;
    }
    if (name === 'node_selector' || name === 'tolerations') continue; // below, as a node group
    if (MODELLED_KEYS[name] !== undefined) {
      takeModelled(ctx, out, name, value, at(key), imageHints);
      continue;
    }
    if (name === 'extra_resource_limits' && takeGpus(ctx, out, value, o, at(key))) continue;
    if (ctx.allowedAdvanced && !ctx.allowedAdvanced.has(name)) {
      fail(
        ctx,
        'ImportKeyNotAllowed',
        at(key),
        `"${key}" goes under \`advanced\`, which this project allows only for ${[...ctx.allowedAdvanced].sort().join(', ') || 'no keys'} (configurator.yaml, advanced.allowed_keys); settings like it can weaken the isolation of users' servers.`,
        `infrastructure admins: add "${key}" to advanced.allowed_keys in configurator.yaml if hub admins may set it, then import again; or remove it from the values file.`,
      );
    }
    out.advanced = { ...out.advanced, [name]: withoutNulls(ctx, value, at(key)) };
    out.sets.add(name);
  }
  takeNodeGroup(ctx, out, o, path);
  return out;
}

function takeNodeGroup(
  ctx: ImportContext,
  out: LevelSettings,
  o: Record<string, unknown>,
  path: SourcePath,
): void {
  const selector = o['node_selector'];
  const tolerations = o['tolerations'];
  const hasSelector = isRecord(selector) && Object.keys(selector).length > 0;
  if (selector !== undefined && selector !== null && !isRecord(selector)) {
    notExpressible(ctx, [...path, 'node_selector'], `node_selector must be a mapping of node labels.`);
  }
  let kept: NodeGroupInput['tolerations'];
  if (tolerations !== undefined && tolerations !== null) {
    if (!hasSelector) {
      notExpressible(
        ctx,
        [...path, 'tolerations'],
        'tolerations without a node_selector beside them cannot become a node group (content takes tolerations from node groups).',
        'add the tolerations to the node group they belong to (load-node-groups), then pick that node group.',
      );
    } else if (Array.isArray(tolerations) && tolerations.every(isToleration)) {
      kept = tolerations.map((t) => ({ ...t }));
    } else {
      notExpressible(
        ctx,
        [...path, 'tolerations'],
        'these tolerations are not a list of {key, operator, value, effect, tolerationSeconds}, which node groups hold.',
      );
    }
  }
  if (!hasSelector) return;
  const labels = stringRecord(selector);
  for (const [label, value] of Object.entries(selector)) {
    if (typeof value !== 'string') {
      warn(
        ctx,
        'ImportValueConverted',
        [...path, 'node_selector', label],
        `node_selector.${label} is not text; Kubernetes takes only text labels, so it was imported as "${labels[label]}".`,
      );
    }
  }
  out.nodeGroup = ctx.nodeGroups.idFor(labels, kept);
  out.sets.add('node_selector');
  if (kept) out.sets.add('tolerations');
}

function reportNull(ctx: ImportContext, key: string, path: SourcePath, earlier: ReadonlySet<string>): void {
  if (DICT_TRAITS.has(key)) {
    warn(
      ctx,
      'ImportNullDropped',
      path,
      `\`${key}: null\` makes KubeSpawner fail at spawn (TraitError: ${key} expects a mapping). It was left out.`,
    );
    return;
  }
  if (earlier.has(key)) {
    warn(
      ctx,
      'ImportNullNotExpressible',
      path,
      `\`${key}: null\` resets a value that the profile or an earlier menu sets; content cannot write null, so it was left out and that value now stays for this choice.`,
      `set ${key} explicitly on every choice that needs it instead of on the profile.`,
    );
    return;
  }
  const hub = HUB_WIDE[key];
  const hubValue = hub ? ctx.hubWide(hub.path) : undefined;
  const consequence =
    hubValue !== undefined && hubValue !== null
      ? ` This file sets singleuser.${hub?.path.join('.')} to ${JSON.stringify(hubValue)} for the whole hub, so this profile now gets that value.`
      : hub?.z2jhDefault
        ? ` z2jh sets singleuser.${hub.path.join('.')} to ${hub.z2jhDefault} by default, so this profile now gets that unless the hub-wide value is null.`
        : hub
          ? ` That is the same unless the hub-wide singleuser.${hub.path.join('.')} is set.`
          : ' That is the same unless the hub-wide KubeSpawner configuration sets it.';
  warn(
    ctx,
    'ImportNullDropped',
    path,
    `\`${key}: null\` resets ${key} to KubeSpawner's default; content cannot write null, so it was left out.${consequence}`,
  );
}

function withoutNulls(ctx: ImportContext, value: unknown, path: SourcePath): unknown {
  if (Array.isArray(value)) return value.map((item, i) => withoutNulls(ctx, item, [...path, i]));
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    if (child === null) {
      notExpressible(
        ctx,
        [...path, key],
        `${key}: null (which deletes a key KubeSpawner merged in from the hub configuration) cannot be written in content.`,
      );
    } else out[key] = withoutNulls(ctx, child, [...path, key]);
  }
  return out;
}
