import { parse } from 'yaml';

/**
 * The fields that differ between two versions of an entry file, in words an admin reads:
 * `image: quay.io/a:1 → quay.io/a:2`, `description: added`, `sizes[2]: removed`.
 *
 * @example describeEntryChanges('image: a:1\n', 'image: a:2\n') // ['image: a:1 → a:2']
 */
export function describeEntryChanges(before: string | undefined, after: string | undefined): string[] {
  const a = flatten(readYaml(before));
  const b = flatten(readYaml(after));
  const lines: string[] = [];
  for (const key of new Set([...a.keys(), ...b.keys()])) {
    const old = a.get(key);
    const now = b.get(key);
    if (old === now) continue;
    if (old === undefined) lines.push(`${key}: added (${now})`);
    else if (now === undefined) lines.push(`${key}: removed (was ${old})`);
    else lines.push(`${key}: ${old} \u2192 ${now}`);
  }
  return lines;
}

function readYaml(text: string | undefined): unknown {
  try {
    return text === undefined ? undefined : parse(text);
  } catch {
    return undefined;
  }
}

function flatten(value: unknown, prefix = '', out = new Map<string, string>()): Map<string, string> {
  if (Array.isArray(value)) value.forEach((item, i) => flatten(item, `${prefix}[${i}]`, out));
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  else if (value !== undefined && value !== null && prefix !== '') out.set(prefix, String(value));
  return out;
}
