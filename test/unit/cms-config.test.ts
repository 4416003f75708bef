import { describe, expect, it } from 'vitest';
import { buildCmsConfig, EDITOR_ONLY_FIELDS, READONLY_WIDGET } from '../../src/lib/cms/config.ts';
import type { DecapField } from '../../src/lib/cms/fields.ts';
import { entryToYaml, yamlToEntry } from '../../src/lib/cms/entry-format.ts';
import { ImageSchema } from '../../src/lib/schema/image.ts';
import { NodeGroupSchema } from '../../src/lib/schema/node-group.ts';
import { ProfileSchema } from '../../src/lib/schema/profile.ts';
import { SettingsSchema } from '../../src/lib/schema/settings.ts';

interface Node {
  properties?: Record<string, Node>;
  required?: string[];
  description?: string;
  pattern?: string;
  items?: Node;
  anyOf?: Node[];
  type?: string;
  const?: unknown;
  patternProperties?: unknown;
}

const config = buildCmsConfig({ base: '/' });
const collection = (name: string) => config.collections.find((c) => c['name'] === name)!;

/** Walks schema and fields side by side and lists every difference. */
function drift(schema: Node, fields: DecapField[], where: string): string[] {
  const problems: string[] = [];
  const byName = new Map(fields.map((f) => [f.name, f]));
  for (const [name, child] of Object.entries(schema.properties ?? {})) {
    const field = byName.get(name);
    const at = `${where}.${name}`;
    if (!field) {
      if (child.type === 'object' && !child.properties) continue; // free-form maps (advanced) are not editable
      problems.push(`${at}: no CMS field`);
      continue;
    }
    byName.delete(name);
    if (field.required !== (schema.required ?? []).includes(name)) problems.push(`${at}: required differs`);
    if (field.hint !== child.description) problems.push(`${at}: hint differs from the schema description`);
    if (child.pattern && (field['pattern'] as string[] | undefined)?.[0] !== child.pattern)
      problems.push(`${at}: pattern differs`);
    if (child.type === 'integer' && field['value_type'] !== 'int') problems.push(`${at}: must save integers`);
    if (child.anyOf?.every((v) => typeof v.const === 'string')) {
      expect(field['options'], at).toEqual(child.anyOf.map((v) => v.const));
    }
    if (child.type === 'object' && child.properties) problems.push(...drift(child, field.fields ?? [], at));
    if (child.type === 'array' && child.items?.properties)
      problems.push(...drift(child.items, field.fields ?? [], `${at}[]`));
  }
  for (const name of byName.keys())
    if (!EDITOR_ONLY_FIELDS.includes(name)) problems.push(`${where}.${name}: CMS field not in the schema`);
  return problems;
}

describe('the Decap configuration derived from the schemas', () => {
  it.each([
    ['images', ImageSchema],
    ['profiles', ProfileSchema],
  ] as const)(
    '%s: same fields, requiredness, hints, patterns and number types as validation',
    (name, schema) => {
      expect(drift(schema as Node, collection(name)['fields'] as DecapField[], name)).toEqual([]);
    },
  );

  it('settings: same fields as validation', () => {
    const files = collection('settings')['files'] as { fields: DecapField[] }[];
    expect(drift(SettingsSchema as Node, files[0]!.fields, 'settings')).toEqual([]);
  });

  it('catches drift: a field with another hint is reported', () => {
    const fields = structuredClone(collection('images')['fields'] as DecapField[]);
    fields.find((f) => f.name === 'image')!.hint = 'something else';
    expect(drift(ImageSchema as Node, fields, 'images')).toEqual([
      'images.image: hint differs from the schema description',
    ]);
  });

  it('picks images and node groups with relation widgets that search names and show the reference', () => {
    const images = (collection('profiles')['fields'] as DecapField[]).find((f) => f.name === 'images')!;
    const picker = images.fields!.find((f) => f.name === 'image')!;
    expect(picker).toMatchObject({ widget: 'relation', collection: 'images', value_field: '{{slug}}' });
    expect(picker['search_fields']).toEqual(['display_name', 'image']);
    expect(picker['display_fields']).toEqual(['{{display_name}} ({{image}})']);
    const groups = (collection('profiles')['fields'] as DecapField[]).find((f) => f.name === 'node_groups')!;
    expect(groups.fields!.find((f) => f.name === 'node_group')).toMatchObject({
      widget: 'relation',
      collection: 'node_groups',
    });
  });

  it('makes node groups visible but not creatable, deletable or editable', () => {
    const nodeGroups = collection('node_groups');
    expect(nodeGroups).toMatchObject({ create: false, delete: false, publish: false });
    const fields = nodeGroups['fields'] as DecapField[];
    expect(fields.map((f) => f.name)).toEqual(Object.keys((NodeGroupSchema as Node).properties!));
    expect(fields.every((f) => f.widget === READONLY_WIDGET)).toBe(true);
  });

  it('talks to this server by default, and to GitHub with the editorial workflow when the project says so', () => {
    expect(config['backend']).toEqual({ name: 'proxy', proxy_url: '/api/v1', branch: 'main' });
    const github = buildCmsConfig({
      base: '/hub-config/',
      project: {
        cms: {
          backend: { name: 'github', repo: 'org/hub', base_url: 'https://oauth.example.org' },
          publish_mode: 'editorial_workflow',
        },
      },
    });
    expect(github['backend']).toEqual({
      name: 'github',
      repo: 'org/hub',
      branch: 'main',
      base_url: 'https://oauth.example.org',
    });
    expect(github['publish_mode']).toBe('editorial_workflow');
  });
});

describe('the YAML the editor writes', () => {
  it('drops the editor-only id and empty values, trims the image and keeps schema key order', () => {
    const yaml = entryToYaml('images', {
      description: '',
      image: ' quay.io/a/b:1 ',
      id: 'x',
      display_name: 'X',
    });
    expect(yaml).toBe('display_name: X\nimage: quay.io/a/b:1\n');
    const profile = entryToYaml('profiles', {
      sizes: [{ mem_limit: '2G', key: 'a', display_name: 'A', cpu_limit: null }],
      display_name: 'P',
      custom_image: {},
      environment: [],
    });
    expect(yamlToEntry(profile)).toEqual({
      display_name: 'P',
      sizes: [{ key: 'a', display_name: 'A', mem_limit: '2G' }],
    });
    expect(profile.indexOf('display_name: P')).toBe(0);
  });
});

describe('list labels and summaries, as Decap renders them', () => {
  /** Every list field under `fields`, depth first. */
  const lists = (fields: DecapField[]): DecapField[] =>
    fields.flatMap((f) => [
      ...(f.widget === 'list' ? [f] : []),
      ...lists(f.fields ?? []),
      ...(f.field ? lists([f.field]) : []),
    ]);

  it('summarises an offered image as "<image> (default)" with Decap\'s own template engine', async () => {
    // @ts-expect-error Decap's packages ship no declarations for this module
    const { compileStringTemplate } = (await import('decap-cms-lib-widgets/dist/esm/stringTemplate.js')) as {
      compileStringTemplate(template: string, date: null, id: string, data: unknown): string;
    };
    const { Map: ImmutableMap, fromJS } = await import('immutable');
    const offered = lists(collection('profiles')['fields'] as DecapField[]).find((f) =>
      (f.fields ?? []).some((child) => child.name === 'image'),
    );
    expect(offered?.['summary']).toBeDefined();
    const render = (item: Record<string, unknown>) =>
      compileStringTemplate(String(offered!['summary']), null, '', ImmutableMap({ fields: fromJS(item) }));
    expect(render({ image: 'scipy', default: true })).toBe('scipy (default)');
    expect(render({ image: 'scipy', default: false })).toBe('scipy');
  });

  it('names one item of every list in the singular, never "Item"', () => {
    const all = config.collections.flatMap((c) => lists((c['fields'] as DecapField[] | undefined) ?? []));
    expect(all.length).toBeGreaterThan(0);
    for (const list of all) {
      expect(list['label_singular'], list.name).toBeTruthy();
      expect(list['label_singular'], list.name).not.toMatch(/[^s]s$/);
      if (list.field) expect(list.field.label, list.name).not.toBe('Item');
    }
    const groups = lists(collection('profiles')['fields'] as DecapField[]).find(
      (f) => f.name === 'allowed_groups',
    );
    expect(groups?.['label_singular']).toBe('Allowed group');
  });
});
