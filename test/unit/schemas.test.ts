import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderJsonSchemas } from '../../src/lib/json-schemas.ts';
import { renderValidators } from '../../src/lib/schema/write-validators.ts';
import { checkSchema } from '../../src/lib/schema-check.ts';
import { COMPILED_SCHEMAS } from '../../src/lib/schema/compiled.ts';
import { projectRoot } from '../helpers/content.ts';

describe('published JSON Schemas', () => {
  it.each(Object.entries(renderJsonSchemas()))(
    'public/schemas/%s matches src/lib/schema (run npm run schemas)',
    async (name, text) => {
      expect(await readFile(path.join(projectRoot, 'public', 'schemas', name), 'utf8')).toBe(text);
    },
  );

  it('src/lib/schema/validators.generated.js is compiled from src/lib/schema (run npm run schemas)', async () => {
    const file = path.join(projectRoot, 'src', 'lib', 'schema', 'validators.generated.js');
    expect(await readFile(file, 'utf8')).toBe(renderValidators());
  });

  it('has a compiled validator, declared in validators.generated.d.ts, for every schema checkSchema takes', async () => {
    const declared = await readFile(
      path.join(projectRoot, 'src', 'lib', 'schema', 'validators.generated.d.ts'),
      'utf8',
    );
    const generated = (await import('../../src/lib/schema/validators.generated.js')) as Record<
      string,
      unknown
    >;
    for (const name of Object.keys(COMPILED_SCHEMAS)) {
      expect(typeof generated[name], name).toBe('function');
      expect(declared).toContain(`export const ${name}: ValidateFunction;`);
    }
    const target = { file: 'content/images/x.yaml', lineOf: () => undefined };
    expect(checkSchema('image', { display_name: 'X', image: 'quay.io/a/b:1' }, target)).toEqual([]);
    expect(checkSchema('image', { image: 'quay.io/a/b:1' }, target).map((i) => i.code)).toEqual([
      'MissingField',
    ]);
  });

  it('documents every field with a description, so that editors and the CMS can show it as a hint', () => {
    const undocumented: string[] = [];
    const walk = (schema: unknown, where: string): void => {
      if (typeof schema !== 'object' || schema === null) return;
      const node = schema as Record<string, unknown>;
      const properties = node['properties'] as Record<string, Record<string, unknown>> | undefined;
      for (const [key, child] of Object.entries(properties ?? {})) {
        if (
          typeof child['description'] !== 'string' &&
          !(
            // Toleration fields are Kubernetes' own.
            ['key', 'value', 'operator', 'effect', 'tolerationSeconds'].includes(key)
          )
        )
          undocumented.push(`${where}.${key}`);
        walk(child, `${where}.${key}`);
      }
      if (node['items']) walk(node['items'], `${where}[]`);
      for (const variant of (node['anyOf'] as unknown[] | undefined) ?? []) walk(variant, where);
    };
    for (const [name, text] of Object.entries(renderJsonSchemas())) walk(JSON.parse(text), name);
    expect(undocumented).toEqual([]);
  });
});
