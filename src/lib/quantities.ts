/**
 * Memory and CPU amounts. Profile sizes use KubeSpawner's units (K, M, G, T are 1024-based, as its
 * ByteSpecification reads them); `Ki`/`Mi`/`Gi`/`Ti` mean the same and are rewritten, because KubeSpawner
 * rejects them. Node capacities are Kubernetes quantities (`G` = 10^9, `Gi` = 2^30), as `kubectl` prints them.
 */

const BINARY: Record<string, number> = { K: 2 ** 10, M: 2 ** 20, G: 2 ** 30, T: 2 ** 40 };
const DECIMAL: Record<string, number> = { k: 1e3, K: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };
const NUMBER = '(\\d+(?:\\.\\d+)?|\\.\\d+)';
const KUBESPAWNER_MEMORY = new RegExp(`^${NUMBER}([KMGT])(i?)$`);
const KUBERNETES_QUANTITY = new RegExp(`^${NUMBER}(?:([KMGTPE])i|([kKMGTPE]))?$`);
const MILLI = new RegExp(`^${NUMBER}m$`);

/** A memory amount parsed from a profile: bytes, plus the text KubeSpawner accepts for it. */
export interface Memory {
  bytes: number;
  /** What goes into `mem_limit` / `mem_guarantee`: an integer of bytes or `<n>K|M|G|T`. */
  kubespawner: number | string;
}

/** Parses a profile memory amount (`512M`, `4G`, `4Gi`, `1.5G` or a byte count); undefined when invalid. */
export function parseMemory(value: number | string): Memory | undefined {
  if (typeof value === 'number') {
    return Number.isSafeInteger(value) && value > 0 ? { bytes: value, kubespawner: value } : undefined;
  }
  const text = value.trim();
  if (/^\d+$/.test(text)) {
    const bytes = Number(text);
    return bytes > 0 ? { bytes, kubespawner: bytes } : undefined;
  }
  const match = KUBESPAWNER_MEMORY.exec(text);
  if (!match) return undefined;
  const [, amount = '', unit = ''] = match;
  const number = Number(amount);
  const factor = BINARY[unit];
  if (!factor || !(number > 0)) return undefined;
  // KubeSpawner computes int(float(num) * factor); the number is written back exactly as typed.
  const bytes = Math.floor(number * factor);
  return bytes > 0 ? { bytes, kubespawner: `${amount}${unit}` } : undefined;
}

/** Parses a Kubernetes memory quantity (node capacity) into bytes; undefined when invalid. */
export function parseKubernetesMemory(value: number | string): number | undefined {
  if (typeof value === 'number') return value > 0 ? value : undefined;
  const match = KUBERNETES_QUANTITY.exec(value.trim());
  if (!match) return undefined;
  const [, amount = '', binary, decimal] = match;
  const number = Number(amount);
  if (binary) return number * 1024 ** ' KMGTPE'.indexOf(binary);
  if (decimal) return number * (DECIMAL[decimal] ?? NaN);
  return number;
}

/** Parses CPU cores (`2`, `0.5`, `"500m"`, `"2"`) into a number; undefined when invalid. */
export function parseCpu(value: number | string): number | undefined {
  if (typeof value === 'number') return value > 0 && Number.isFinite(value) ? value : undefined;
  const text = value.trim();
  const milli = MILLI.exec(text);
  if (milli) {
    const cores = Number(milli[1]) / 1000;
    return cores > 0 ? cores : undefined;
  }
  if (!new RegExp(`^${NUMBER}$`).test(text)) return undefined;
  const cores = Number(text);
  return cores > 0 ? cores : undefined;
}

/** Formats bytes for people: 4 GiB, 512 MiB. */
export function formatBytes(bytes: number): string {
  for (const [unit, factor] of [
    ['TiB', 2 ** 40],
    ['GiB', 2 ** 30],
    ['MiB', 2 ** 20],
    ['KiB', 2 ** 10],
  ] as const) {
    if (bytes >= factor) return `${formatNumber(Math.round((bytes / factor) * 100) / 100)} ${unit}`;
  }
  return `${bytes} B`;
}

/** Writes a number without a trailing `.0` and without exponent notation for everyday sizes. */
export function formatNumber(value: number): string {
  return String(Number(value.toFixed(6)));
}
