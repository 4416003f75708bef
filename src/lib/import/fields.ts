import { DEFAULT_GPU_RESOURCE } from '../profile-list.ts';
import { parseCpu } from '../quantities.ts';
import type { NodeGroupInput } from '../schema/node-group.ts';
import { warn, type ImageHints, type ImportContext } from './context.ts';
import type { LevelSettings } from './overrides.ts';
import type { SourcePath } from './source.ts';

/*
 * The kubespawner_override keys content has its own fields for (image, default_url, environment, CPU, memory,
 * GPUs), each checked against what content accepts; what does not fit is reported at its line.
 */

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const DEFAULT_URL = /^\/[^\s"<>]*$/;
const KUBESPAWNER_MEMORY = /^\d+(\.\d+)?[KMGT]$/;
const CONTENT_MEMORY = /^\d+(\.\d+)?[KMGT]i?$/;

/** Takes one key content has its own field for into the level's settings. */
export function takeModelled(
  ctx: ImportContext,
  out: LevelSettings,
  key: string,
  value: unknown,
  path: SourcePath,
  imageHints: ImageHints,
): void {
  switch (key) {
    case 'image':
      if (typeof value === 'string' && value.trim() !== '') {
        out.image = ctx.images.idFor(value.trim(), imageHints);
        out.sets.add(key);
      } else
        notExpressible(ctx, path, `image must be a text reference; ${describe(value)} cannot be imported.`);
      return;
    case 'default_url':
      if (typeof value === 'string' && DEFAULT_URL.test(value)) {
        out.defaultUrl = value;
        out.sets.add(key);
      } else notExpressible(ctx, path, `default_url ${describe(value)} is not a path such as /lab.`);
      return;
    case 'environment':
      takeEnvironment(ctx, out, value, path);
      return;
    case 'cpu_guarantee':
    case 'cpu_limit':
      takeCpu(ctx, out, key, value, path);
      return;
    case 'mem_guarantee':
    case 'mem_limit':
      takeMemory(ctx, out, key, value, path);
      return;
  }
}

function takeCpu(
  ctx: ImportContext,
  out: LevelSettings,
  key: 'cpu_guarantee' | 'cpu_limit',
  value: unknown,
  path: SourcePath,
): void {
  if (typeof value === 'number' && value > 0 && Number.isFinite(value)) {
    out.size = { ...out.size, [key]: value };
    out.sets.add(key);
    return;
  }
  const cores = typeof value === 'string' ? parseCpu(value) : undefined;
  if (cores !== undefined) {
    warn(
      ctx,
      'ImportValueConverted',
      path,
      `${key} "${String(value)}" is text; KubeSpawner refuses text here (TraitError: expected a float), so this spawn failed. It was imported as the number ${cores}.`,
    );
    out.size = { ...out.size, [key]: cores };
    out.sets.add(key);
    return;
  }
  notExpressible(ctx, path, `${key} ${describe(value)} is not a number of CPU cores.`);
}

function takeMemory(
  ctx: ImportContext,
  out: LevelSettings,
  key: 'mem_guarantee' | 'mem_limit',
  value: unknown,
  path: SourcePath,
): void {
  if (typeof value === 'number' && value > 0 && Number.isFinite(value)) {
    const bytes = Math.trunc(value);
    if (bytes !== value)
      warn(
        ctx,
        'ImportValueConverted',
        path,
        `${key} ${value} was rounded down to ${bytes} bytes, as KubeSpawner does.`,
      );
    out.size = { ...out.size, [key]: bytes };
    out.sets.add(key);
    return;
  }
  if (typeof value === 'string' && CONTENT_MEMORY.test(value.trim())) {
    if (!KUBESPAWNER_MEMORY.test(value.trim())) {
      warn(
        ctx,
        'ImportValueConverted',
        path,
        `${key} "${value}" uses a unit KubeSpawner refuses (it reads K, M, G, T as 1024-based and rejects Ki, Mi, Gi, Ti), so this spawn failed. The content writes it as KubeSpawner accepts it.`,
      );
    }
    out.size = { ...out.size, [key]: value.trim() };
    out.sets.add(key);
    return;
  }
  notExpressible(ctx, path, `${key} ${describe(value)} is not a memory amount (512M, 4G or bytes).`);
}

function takeEnvironment(ctx: ImportContext, out: LevelSettings, value: unknown, path: SourcePath): void {
  if (!isRecord(value)) {
    notExpressible(
      ctx,
      path,
      `environment must be a mapping of names to values; ${describe(value)} cannot be imported.`,
    );
    return;
  }
  const variables: { name: string; value: string }[] = [];
  for (const [name, raw] of Object.entries(value)) {
    const at = [...path, name];
    if (!ENV_NAME.test(name)) {
      notExpressible(
        ctx,
        at,
        `The environment variable name "${name}" is not a valid name (letters, digits, _).`,
      );
    } else if (raw === null) {
      notExpressible(
        ctx,
        at,
        `environment.${name}: null removes a variable the hub sets for everyone; content cannot remove variables.`,
      );
    } else if (typeof raw === 'string') {
      variables.push({ name, value: raw });
    } else if (typeof raw === 'number' || typeof raw === 'boolean') {
      const text = typeof raw === 'boolean' ? (raw ? 'True' : 'False') : String(raw);
      warn(
        ctx,
        'ImportValueConverted',
        at,
        `environment.${name} is ${typeof raw === 'boolean' ? 'a YAML boolean (YAML 1.1 reads yes/no/on/off as booleans)' : 'a number'}, but Kubernetes takes only text; it was imported as "${text}".`,
        'check the value; quote it in YAML to keep text as text.',
      );
      variables.push({ name, value: text });
    } else {
      notExpressible(
        ctx,
        at,
        `environment.${name} is not text (a valueFrom reference?); content environment variables are text only.`,
      );
    }
  }
  if (variables.length > 0) {
    out.environment = variables;
    out.sets.add('environment');
  }
}

/** `extra_resource_limits: {nvidia.com/gpu: "1"}` alone becomes `gpus: 1`; anything else stays under advanced. */
export function takeGpus(
  ctx: ImportContext,
  out: LevelSettings,
  value: unknown,
  override: Record<string, unknown>,
  path: SourcePath,
): boolean {
  if (!isRecord(value)) return false;
  const entries = Object.entries(value);
  const [first] = entries;
  if (entries.length !== 1 || !first) return false;
  const [resource, amount] = first;
  const count = typeof amount === 'number' ? amount : typeof amount === 'string' ? Number(amount) : NaN;
  if (!Number.isInteger(count) || count <= 0 || count > 64) return false;
  if (resource !== gpuResourceOf(ctx, override)) return false;
  if (typeof amount === 'number') {
    warn(
      ctx,
      'ImportValueConverted',
      [...path, resource],
      `extra_resource_limits.${resource} is a number; Kubernetes quantities are text, and content writes "${count}".`,
    );
  }
  out.size = { ...out.size, gpus: count };
  out.sets.add('extra_resource_limits');
  return true;
}

/** The GPU resource the generator will name for this override's node group (nvidia.com/gpu unless it says). */
function gpuResourceOf(ctx: ImportContext, override: Record<string, unknown>): string {
  const selector = override['node_selector'];
  if (!isRecord(selector)) return DEFAULT_GPU_RESOURCE;
  const tolerations = override['tolerations'];
  const id = ctx.nodeGroups.find(
    stringRecord(selector),
    Array.isArray(tolerations) && tolerations.every(isToleration) ? tolerations : undefined,
  );
  const group = id === undefined ? undefined : ctx.nodeGroups.get(id);
  return group?.capacity?.gpu_resource ?? DEFAULT_GPU_RESOURCE;
}

/** Reports something content cannot hold; it is left out. */
export function notExpressible(ctx: ImportContext, path: SourcePath, message: string, hint?: string): void {
  warn(
    ctx,
    'ImportNotExpressible',
    path,
    `${message} It was left out.`,
    hint ?? 'add it to the imported content by hand in a form content accepts, or drop it on purpose.',
  );
}

/** True for a toleration in the shape node groups hold. */
export function isToleration(value: unknown): value is NonNullable<NodeGroupInput['tolerations']>[number] {
  if (!isRecord(value)) return false;
  const allowed: Record<string, (v: unknown) => boolean> = {
    key: (v) => typeof v === 'string',
    operator: (v) => v === 'Equal' || v === 'Exists',
    value: (v) => typeof v === 'string',
    effect: (v) => v === 'NoSchedule' || v === 'PreferNoSchedule' || v === 'NoExecute',
    tolerationSeconds: (v) => Number.isInteger(v),
  };
  return Object.entries(value).every(([k, v]) => allowed[k]?.(v) === true);
}

/** Node labels as text, as Kubernetes takes them. */
export function stringRecord(record: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(record).map(([k, v]) => [k, typeof v === 'boolean' ? (v ? 'true' : 'false') : String(v)]),
  );
}

function describe(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}

/** True for a plain mapping. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
