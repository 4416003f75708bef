/**
 * The editor's names for content fields. Checks report a field as its path in the YAML (`sizes[0].cpu`) and
 * quote keys in their messages (`"display_name"`); the editor shows the labels the admin sees on the form
 * ("Sizes › 1 › CPU", “Display name”), taken from the Decap config the page starts with.
 */
import type { Issue } from '../lib/issues.ts';

interface FieldConfig {
  name?: string;
  label?: string;
  fields?: FieldConfig[];
  field?: FieldConfig;
}
interface CollectionConfig {
  name: string;
  fields?: FieldConfig[];
  files?: { fields?: FieldConfig[] }[];
}

const byCollection = new Map<string, FieldConfig[]>();

/** Learns the field labels of every collection in a Decap config. */
export function learnFieldLabels(config: { collections?: unknown }): void {
  for (const collection of (config.collections ?? []) as CollectionConfig[])
    byCollection.set(collection.name, collection.fields ?? collection.files?.[0]?.fields ?? []);
}

/** A field path as the form names it ("Sizes › 1 › CPU"), or undefined when a part is not on the form. */
export function labelPath(collection: string, path: string): string | undefined {
  return labelsAlong(collection, path)?.join(' \u203a ');
}

/** The form's name for each part of a field path (items counted from 1); undefined when one is not on it. */
function labelsAlong(collection: string, path: string): string[] | undefined {
  const parts = path.match(/[^.[\]]+|\[\d+\]/g) ?? [];
  if (parts.length === 0) return undefined;
  let fields = byCollection.get(collection);
  const names: string[] = [];
  for (const part of parts) {
    if (part.startsWith('[')) {
      names.push(String(Number(part.slice(1, -1)) + 1));
      continue;
    }
    const field = fields?.find((f) => f.name === part);
    if (!field) return undefined;
    names.push(field.label ?? part);
    fields = field.fields ?? (field.field ? [field.field] : undefined);
  }
  return names;
}

/** An issue in the form's words: where (the labels), the message with quoted keys as labels, and the hint. */
export function issueInFormWords(
  collection: string,
  issue: Issue,
): { where?: string; message: string; hint?: string } {
  const within = (key: string) => (issue.field ? `${issue.field}.${key}` : key);
  let missing: string | undefined;
  let message = issue.message.replace(/"([A-Za-z_][\w-]*)"/g, (quoted, key: string) => {
    const label = labelsAlong(collection, within(key))?.at(-1);
    if (!label) return quoted;
    if (issue.code === 'MissingField') missing = label;
    return `\u201c${label}\u201d`;
  });
  const where = issue.field ? labelPath(collection, issue.field) : undefined;
  // "… is missing in sizes[0]." names the place as the form does.
  if (where) {
    const escaped = issue.field!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    message = message.replace(new RegExp(`(?<![\\w.[\\]])${escaped}(?![\\w[]|\\.\\w)`, 'g'), where);
  }
  const hint = missing ? `fill in \u201c${missing}\u201d.` : issue.hint;
  return { ...(where ? { where } : {}), message, ...(hint ? { hint } : {}) };
}
