import { parse, stringify } from 'yaml';
import { ImageSchema } from '../schema/image.ts';
import { NodeGroupSchema } from '../schema/node-group.ts';
import { ProfileSchema } from '../schema/profile.ts';
import { SettingsSchema } from '../schema/settings.ts';
import { EDITOR_ONLY_FIELDS } from './config.ts';

/** The CMS collections and the schema that orders their keys. */
export const COLLECTION_SCHEMAS = {
  images: ImageSchema,
  profiles: ProfileSchema,
  node_groups: NodeGroupSchema,
  settings: SettingsSchema,
} as const;

/** A CMS collection name. */
export type CollectionName = keyof typeof COLLECTION_SCHEMAS;

/**
 * Normalises what the editor produced before it is written: trims the image reference, drops empty values
 * (empty text, empty lists and maps, which the form leaves behind) and the CMS-only id field.
 */
export function normalizeEntryData(
  collection: string,
  data: Record<string, unknown>,
): Record<string, unknown> {
  const copy = prune(data) as Record<string, unknown> | undefined;
  const out = { ...copy };
  for (const field of EDITOR_ONLY_FIELDS) delete out[field];
  if (collection === 'images' && typeof out['image'] === 'string') out['image'] = out['image'].trim();
  return out;
}

/** Serialises an entry as the project writes YAML: keys in schema order, empty values left out. */
export function entryToYaml(collection: string, data: Record<string, unknown>): string {
  return stringify(entryYamlData(collection, data), { lineWidth: 0 });
}

/** The data an entry's file holds: normalised, keys in schema order. */
export function entryYamlData(collection: string, data: Record<string, unknown>): unknown {
  const schema = COLLECTION_SCHEMAS[collection as CollectionName] as unknown;
  return orderKeys(normalizeEntryData(collection, data), schema);
}

/** Parses an entry file for the editor (a YAML map; anything else is an empty entry). */
export function yamlToEntry(text: string): Record<string, unknown> {
  const data: unknown = parse(text);
  return data && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>) : {};
}

function prune(value: unknown): unknown {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (Array.isArray(value)) {
    const items = value.map(prune).filter((v) => v !== undefined);
    return items.length > 0 ? items : undefined;
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => [k, prune(v)] as const)
      .filter(([, v]) => v !== undefined);
    return entries.length > 0 ? Object.fromEntries(entries) : undefined;
  }
  return value;
}

function orderKeys(value: unknown, schema: unknown): unknown {
  const node = schema as { properties?: Record<string, unknown>; items?: unknown } | undefined;
  if (Array.isArray(value)) return value.map((item) => orderKeys(item, node?.items));
  if (!value || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  const known = Object.keys(node?.properties ?? {});
  const keys = [
    ...known.filter((k) => k in record),
    ...Object.keys(record).filter((k) => !known.includes(k)),
  ];
  return Object.fromEntries(keys.map((k) => [k, orderKeys(record[k], node?.properties?.[k])]));
}
