import { KEY_PATTERN, PROFILE_SLUG_PATTERN } from '../keys.ts';
import { SLUG_PATTERN } from '../schema/common.ts';

/** A Decap CMS field definition (the subset this project writes). */
export interface DecapField {
  name: string;
  label: string;
  widget: string;
  required?: boolean;
  hint?: string;
  fields?: DecapField[];
  field?: DecapField;
  [option: string]: unknown;
}

/** The JSON Schema keywords this generator reads. */
interface SchemaNode {
  type?: string;
  description?: string;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  properties?: Record<string, SchemaNode>;
  required?: string[];
  items?: SchemaNode;
  anyOf?: SchemaNode[];
  const?: unknown;
  patternProperties?: Record<string, SchemaNode>;
  'x-cms'?: Record<string, unknown>;
}

const PATTERN_MESSAGES: Record<string, string> = {
  [SLUG_PATTERN]: 'lower-case letters, digits and single dashes, e.g. "scipy-2024"',
  [KEY_PATTERN]:
    'letters, digits, "_", "." and "-" (no spaces, no "--", not "unlisted-choice"), e.g. "mem_2_gb"; kept exactly as typed',
  [PROFILE_SLUG_PATTERN]:
    'letters, digits, "_", "." and "-" (no spaces, no "--", no "-" at the end), e.g. "GPU_large"; kept exactly as typed',
};

/**
 * Derives Decap CMS fields from a content schema, so that the CMS cannot drift from validation: the same names,
 * requiredness, hints (the schema descriptions), patterns, number types and allowed values. Fields the CMS cannot
 * edit (free-form maps such as `advanced`) are left out; Decap keeps such keys of an entry untouched.
 */
export function fieldsFromSchema(schema: unknown): DecapField[] {
  const node = schema as SchemaNode;
  const required = new Set(node.required ?? []);
  const fields: DecapField[] = [];
  for (const [name, child] of Object.entries(node.properties ?? {})) {
    const field = fieldFromSchema(name, child, required.has(name));
    if (field) fields.push(field);
  }
  return fields;
}

/** Derives one Decap field; undefined when the CMS has no widget for it. */
export function fieldFromSchema(name: string, schema: SchemaNode, required: boolean): DecapField | undefined {
  const base: DecapField = { name, label: labelOf(name), widget: 'string', required };
  if (schema.description) base.hint = schema.description;
  const hint = schema['x-cms'];
  if (hint) return { ...base, ...widgetOptions(schema, name), ...hint } as DecapField;
  const options = widgetOptions(schema, name);
  return options ? { ...base, ...options } : undefined;
}

function widgetOptions(schema: SchemaNode, name: string): Partial<DecapField> | undefined {
  if (schema.anyOf) {
    const literals = schema.anyOf.map((variant) => variant.const);
    if (literals.every((v) => typeof v === 'string')) return { widget: 'select', options: literals };
    return { widget: 'string' };
  }
  switch (schema.type) {
    case 'string':
      return schema.pattern
        ? {
            widget: 'string',
            pattern: [schema.pattern, PATTERN_MESSAGES[schema.pattern] ?? `must match ${schema.pattern}`],
          }
        : { widget: 'string' };
    case 'integer':
    case 'number':
      return {
        widget: 'number',
        value_type: schema.type === 'integer' ? 'int' : 'float',
        ...(schema.minimum === undefined ? {} : { min: schema.minimum }),
        ...(schema.maximum === undefined ? {} : { max: schema.maximum }),
      };
    case 'boolean':
      // No `default`: Decap would then pre-fill every list of objects with an item holding it.
      return { widget: 'boolean' };
    case 'object': {
      if (!schema.properties) return undefined;
      // Open, so that a size or a setting can be filled in at once (a closed one opens only from its chevron).
      return { widget: 'object', collapsed: false, fields: fieldsFromSchema(schema) };
    }
    case 'array': {
      const items = schema.items ?? {};
      if (items.type === 'object' && items.properties) {
        const fields = fieldsFromSchema(items);
        const summaryField = ['display_name', 'key', 'image', 'node_group', 'name'].find(
          (n) => items.properties?.[n],
        );
        return {
          widget: 'list',
          collapsed: true,
          label_singular: singular(labelOf(name)),
          fields,
          ...(summaryField ? { summary: summaryTemplate(items) } : {}),
        };
      }
      // Each item is labelled as one of the list ("Allowed group"), and "1 allowed group" reads as English.
      const field = fieldFromSchema(name, items, true);
      return field
        ? {
            widget: 'list',
            label_singular: singular(labelOf(name)),
            field: { ...field, label: singular(labelOf(name)) },
          }
        : undefined;
    }
    default:
      return undefined;
  }
}

function summaryTemplate(items: SchemaNode): string {
  const has = (n: string) => Boolean(items.properties?.[n]);
  if (has('display_name') && has('key')) return '{{fields.display_name}} ({{fields.key}})';
  if (has('name') && has('value')) return '{{fields.name}}={{fields.value}}';
  // Decap's ternary filter takes single-quoted arguments only (double quotes print the raw value: "scipytrue").
  if (has('image')) return "{{fields.image}}{{fields.default | ternary(' (default)', '')}}";
  if (has('node_group')) return "{{fields.node_group}}{{fields.default | ternary(' (default)', '')}}";
  return '{{fields.display_name}}';
}

/** `Allowed groups` → `Allowed group`, `Node groups` → `Node group` (the labels this project has). */
export function singular(label: string): string {
  if (/ies$/.test(label)) return label.replace(/ies$/, 'y');
  return /[^s]s$/.test(label) ? label.slice(0, -1) : label;
}

/** `display_name` → `Display name`. */
export function labelOf(name: string): string {
  const words = name.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}
