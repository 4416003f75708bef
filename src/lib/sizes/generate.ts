import type { SizeInput } from '../schema/profile.ts';
import { claimUnique } from '../import/slugs.ts';

/** What one node of a group can give to pods: its allocatable resources, parsed. */
export interface NodeCapacity {
  /** Allocatable CPU cores, e.g. 3.92. */
  cpu: number;
  /** Allocatable memory in bytes. */
  memoryBytes: number;
  gpus?: number;
  /** Extended resource name of the GPUs (informational: the node group names it for the generator). */
  gpuResource?: string;
}

/** How to cut a node into sizes. */
export interface SizeOptions {
  /** Node-group id every size is pinned to. */
  nodeGroup: string;
  /** The smallest memory share offered, in bytes (default 1 GiB). */
  floorBytes?: number;
  /** Part of the allocatable CPU and memory kept free for daemon sets and system pods (default 0.05). */
  overheadFraction?: number;
  /** Prefix for keys, so that sizes of several node groups can share one menu (e.g. "large" → "large-mem-15"). */
  keyPrefix?: string;
}

/** One generated size, pinned to its node group. */
export interface GeneratedSize {
  key: string;
  display_name: string;
  default?: true;
  node_group: string;
  size: SizeInput;
}

/** The default smallest size: 1 GiB. */
export const DEFAULT_FLOOR_BYTES = 2 ** 30;
/** The default share of a node kept free for what else runs on it. */
export const DEFAULT_OVERHEAD_FRACTION = 0.05;

const GIB = 2 ** 30;
const MIB = 2 ** 20;

/**
 * Cuts a node into sizes: the usable part (allocatable minus `overheadFraction`) whole, then halves, quarters, …
 * down to `floorBytes` of memory. Each size guarantees its memory share and may use no more (guarantee = limit:
 * memory cannot be taken back from a running server); it is guaranteed the same share of the usable CPU, and may
 * burst up to the whole node's CPU. On GPU nodes the GPUs are shared out the same way, and halving stops where a
 * share would get a fraction of a GPU (Kubernetes hands out whole GPUs only). Amounts are rounded down (memory to
 * 0.01 GiB, or to MiB below 1 GiB; CPU to millicores), so every size fits. Smallest first; the smallest is the
 * default. Empty when even the whole node is below the floor.
 */
export function generateSizeChoices(capacity: NodeCapacity, options: SizeOptions): GeneratedSize[] {
  const floor = options.floorBytes ?? DEFAULT_FLOOR_BYTES;
  const overhead = options.overheadFraction ?? DEFAULT_OVERHEAD_FRACTION;
  const usableMemory = capacity.memoryBytes * (1 - overhead);
  const usableCpu = capacity.cpu * (1 - overhead);
  const gpus = capacity.gpus ?? 0;
  const shares: number[] = [];
  for (let share = 1; usableMemory * share >= floor; share /= 2) {
    if (gpus > 0 && !Number.isInteger(gpus * share)) break;
    shares.push(share);
    if (shares.length >= 16) break;
  }
  const taken = new Set<string>();
  const sizes = shares.reverse().map((share): GeneratedSize => {
    const memory = memoryText(usableMemory * share);
    const cpuGuarantee = Math.max(0.001, roundDown(usableCpu * share, 3));
    const cpuLimit = roundDown(capacity.cpu, 3);
    const gpuShare = gpus * share;
    const size: SizeInput = {
      mem_guarantee: memory.text,
      mem_limit: memory.text,
      cpu_guarantee: cpuGuarantee,
      cpu_limit: cpuLimit,
    };
    if (gpuShare > 0) size.gpus = gpuShare;
    const gib = roundDown(memory.gib, 1);
    const base = [
      options.keyPrefix,
      gpuShare > 0 ? `gpu-${gpuShare}` : undefined,
      `mem-${String(gib).replace('.', '-')}`,
    ]
      .filter((part) => part !== undefined && part !== '')
      .join('-');
    return {
      key: claimUnique(base, taken),
      display_name: describeSize(memory.gib, cpuGuarantee, cpuLimit, gpuShare),
      node_group: options.nodeGroup,
      size,
    };
  });
  if (sizes[0]) sizes[0].default = true;
  return sizes;
}

/** A menu label such as "~7.4 GiB RAM, ~0.9 CPUs, up to 3.9 CPUs" or "1 GPU, ~14.2 GiB RAM, ~3.7 CPUs". */
export function describeSize(memoryGib: number, cpuGuarantee: number, cpuLimit: number, gpus = 0): string {
  const parts: string[] = [];
  if (gpus > 0) parts.push(`${gpus} GPU${gpus === 1 ? '' : 's'}`);
  // Rounded down like the key (mem-14-2 is "~14.2 GiB"), so the two never disagree.
  const gib = roundDown(memoryGib, 1);
  parts.push(`~${gib} GiB RAM`, `~${trim(cpuGuarantee, 1)} CPU${cpuGuarantee === 1 ? '' : 's'}`);
  if (cpuLimit > cpuGuarantee * 1.05) parts.push(`up to ${trim(cpuLimit, 1)} CPUs`);
  return parts.join(', ');
}

/** Memory rounded down to 0.01 GiB (or to MiB below 1 GiB), as KubeSpawner writes it, and that amount in GiB. */
function memoryText(bytes: number): { text: string; gib: number } {
  if (bytes >= GIB) {
    const gib = roundDown(bytes / GIB, 2);
    return { text: `${gib}G`, gib };
  }
  const mib = Math.floor(bytes / MIB);
  return { text: `${mib}M`, gib: mib / 1024 };
}

function roundDown(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  // The small epsilon keeps 3.45 * 1000 = 3449.9999… from losing a millicore.
  return Math.floor(value * factor + 1e-9) / factor;
}

function trim(value: number, decimals: number): string {
  return String(Number(value.toFixed(decimals)));
}
