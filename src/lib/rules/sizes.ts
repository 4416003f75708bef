import type { Entry } from '../catalog.ts';
import { error, warning, type Issue } from '../issues.ts';
import type { FieldPath, ResolvedProfile, Settings } from '../model.ts';
import { formatBytes, formatNumber, parseCpu, parseKubernetesMemory, parseMemory } from '../quantities.ts';
import type { ProfileInput, SizeInput } from '../schema/profile.ts';
import { locate, type Rule } from './context.ts';

/** Beyond this many combinations of menus, sizes are checked against each node group one by one. */
const MAX_COMBINATIONS = 4096;

/** Memory and CPU amounts parse; guarantees stay within limits; every pickable size fits its node group. */
export const checkSizes: Rule = ({ catalog, resolved, issues, profileByFile }) => {
  for (const entry of catalog.profiles) checkQuantities(entry, issues);
  for (const profile of resolved.profiles) {
    const entry = profileByFile.get(profile.file);
    if (entry) checkCombinations(profile, entry, issues);
  }
};

function checkQuantities(entry: Entry<ProfileInput>, issues: Issue[]): void {
  const sizes: [SizeInput, FieldPath][] = [];
  const p = entry.data;
  if (p.size) sizes.push([p.size, ['size']]);
  (p.sizes ?? []).forEach((size, i) => sizes.push([size, ['sizes', i]]));
  (p.options ?? []).forEach((option, o) =>
    option.choices.forEach((choice, c) => {
      if (choice.size) sizes.push([choice.size, ['options', o, 'choices', c, 'size']]);
    }),
  );
  for (const [size, at] of sizes) {
    for (const field of ['mem_guarantee', 'mem_limit'] as const) {
      const value = size[field];
      if (value !== undefined && parseMemory(value) === undefined) {
        issues.push(
          error(
            'InvalidMemory',
            locate(entry, [...at, field]),
            `${field} "${String(value)}" in profile "${entry.id}" is not a memory amount.`,
            'write 512M, 4G, 4Gi or 1.5G (upper-case K, M, G, T), or a number of bytes.',
          ),
        );
      }
    }
    for (const field of ['cpu_guarantee', 'cpu_limit'] as const) {
      const value = size[field];
      if (value !== undefined && parseCpu(value) === undefined) {
        issues.push(
          error(
            'InvalidCpu',
            locate(entry, [...at, field]),
            `${field} "${String(value)}" in profile "${entry.id}" is not a CPU amount.`,
            'write a number of cores such as 0.5 or 2 (or millicores such as "500m").',
          ),
        );
      }
    }
  }
}

interface Effective {
  size: {
    [K in 'cpu_guarantee' | 'cpu_limit' | 'mem_guarantee' | 'mem_limit' | 'gpus']?: {
      value: number;
      at: FieldPath;
    };
  };
  nodeGroup?: Settings['nodeGroup'];
}

function checkCombinations(profile: ResolvedProfile, entry: Entry<ProfileInput>, issues: Issue[]): void {
  const relevant = profile.options
    .map((o) => o.choices.filter((c) => c.size !== undefined || c.nodeGroup !== undefined))
    .filter((choices) => choices.length > 0);
  const total = relevant.reduce((n, choices) => n * choices.length, 1);
  const reported = new Set<string>();
  const report = (issue: Issue) => {
    const key = `${issue.code}|${issue.field ?? ''}|${issue.message}`;
    if (!reported.has(key)) issues.push(issue);
    reported.add(key);
  };
  if (total <= MAX_COMBINATIONS) {
    const walk = (index: number, chosen: Settings[]) => {
      if (index === relevant.length) {
        checkEffective(profile, entry, merge([profile.base, ...chosen]), report);
        return;
      }
      for (const choice of relevant[index] ?? []) walk(index + 1, [...chosen, choice]);
    };
    walk(0, []);
    return;
  }
  // Too many combinations to list: check every size against every node group it could meet.
  const groups = [profile.base, ...relevant.flat()].filter((s) => s.nodeGroup);
  for (const settings of [profile.base, ...relevant.flat()]) {
    for (const group of groups.length > 0 ? groups : [profile.base]) {
      checkEffective(profile, entry, merge([profile.base, group, settings]), report);
    }
  }
}

function merge(layers: Settings[]): Effective {
  const effective: Effective = { size: {} };
  for (const layer of layers) {
    if (layer.nodeGroup) effective.nodeGroup = layer.nodeGroup;
    const size = layer.size;
    if (!size || !layer.sizeAt) continue;
    const at = layer.sizeAt;
    if (size.cpu_guarantee !== undefined)
      effective.size.cpu_guarantee = { value: size.cpu_guarantee, at: [...at, 'cpu_guarantee'] };
    if (size.cpu_limit !== undefined)
      effective.size.cpu_limit = { value: size.cpu_limit, at: [...at, 'cpu_limit'] };
    if (size.mem_guarantee !== undefined)
      effective.size.mem_guarantee = { value: size.mem_guarantee.bytes, at: [...at, 'mem_guarantee'] };
    if (size.mem_limit !== undefined)
      effective.size.mem_limit = { value: size.mem_limit.bytes, at: [...at, 'mem_limit'] };
    if (size.gpus !== undefined) effective.size.gpus = { value: size.gpus, at: [...at, 'gpus'] };
  }
  return effective;
}

function checkEffective(
  profile: ResolvedProfile,
  entry: Entry<ProfileInput>,
  { size, nodeGroup }: Effective,
  report: (issue: Issue) => void,
): void {
  const pairs = [
    ['cpu_guarantee', 'cpu_limit', (n: number) => `${formatNumber(n)} CPU`],
    ['mem_guarantee', 'mem_limit', formatBytes],
  ] as const;
  for (const [guaranteeKey, limitKey, show] of pairs) {
    const guarantee = size[guaranteeKey];
    const limit = size[limitKey];
    if (guarantee && limit && guarantee.value > limit.value) {
      report(
        error(
          'GuaranteeAboveLimit',
          locate(entry, guarantee.at),
          `In profile "${profile.id}", ${guaranteeKey} (${show(guarantee.value)}) is above ${limitKey} (${show(limit.value)}); Kubernetes refuses such a pod.`,
          `lower ${guaranteeKey} to at most ${show(limit.value)}, or raise ${limitKey}.`,
        ),
      );
    }
  }
  const gpus = size.gpus?.value ?? 0;
  if (!nodeGroup) {
    if (gpus > 0 && size.gpus) {
      report(
        warning(
          'GpuWithoutNodeGroup',
          locate(entry, size.gpus.at),
          `Profile "${profile.id}" asks for ${gpus} GPU(s) but picks no node group, so the pod may wait for a GPU node forever.`,
          'add a GPU node group to the profile.',
        ),
      );
    }
    return;
  }
  const capacity = nodeGroup.group.capacity;
  if (!capacity) return;
  const limits: [keyof Effective['size'], number | undefined, (n: number) => string][] = [
    [
      'cpu_guarantee',
      capacity.cpu === undefined ? undefined : parseCpu(capacity.cpu),
      (n) => `${formatNumber(n)} CPU`,
    ],
    [
      'cpu_limit',
      capacity.cpu === undefined ? undefined : parseCpu(capacity.cpu),
      (n) => `${formatNumber(n)} CPU`,
    ],
    [
      'mem_guarantee',
      capacity.memory === undefined ? undefined : parseKubernetesMemory(capacity.memory),
      formatBytes,
    ],
    [
      'mem_limit',
      capacity.memory === undefined ? undefined : parseKubernetesMemory(capacity.memory),
      formatBytes,
    ],
    ['gpus', capacity.gpus ?? 0, (n) => `${n} GPU(s)`],
  ];
  for (const [key, available, show] of limits) {
    const wanted = size[key];
    if (!wanted || available === undefined || wanted.value <= available) continue;
    // A guarantee (or GPU) above the node never schedules; a CPU or memory limit above it can never be used.
    const schedulingKey = key === 'gpus' || key.endsWith('_guarantee');
    report(
      error(
        'ExceedsNodeCapacity',
        locate(entry, wanted.at),
        `In profile "${profile.id}", ${key} (${show(wanted.value)}) is more than a "${nodeGroup.id}" node has (${show(available)})${schedulingKey ? ': the pod would never schedule' : ': the limit can never be reached'}.`,
        `lower ${key} to at most ${show(available)}, or offer a bigger node group.`,
      ),
    );
  }
}
