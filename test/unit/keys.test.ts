import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { fieldsFromSchema, type DecapField } from '../../src/lib/cms/fields.ts';
import { KEY_PATTERN, PROFILE_SLUG_PATTERN, isValidKey, keyProblem } from '../../src/lib/keys.ts';
import { generateOutputs } from '../../src/lib/outputs.ts';
import { SLUG_PATTERN } from '../../src/lib/schema/common.ts';
import { ProfileSchema } from '../../src/lib/schema/profile.ts';
import { effectiveOverride } from '../../src/lib/spawn-semantics.ts';
import { validateContent } from '../../src/lib/validate.ts';
import { sampleFiles, withFiles } from '../helpers/content.ts';
import { kubespawnerProblems } from '../helpers/kubespawner-rules.ts';

const files = await sampleFiles();
const file = 'content/profiles/allocations.yaml';

/** A hand-written profile in the general form, with 2i2c-style keys. */
function profile(overrides: { slug?: string; optionKey?: string; choiceKey?: string } = {}) {
  return {
    display_name: 'Allocations',
    ...(overrides.slug === undefined ? {} : { slug: overrides.slug }),
    order: 40,
    options: [
      {
        key: overrides.optionKey ?? 'resource_allocation',
        display_name: 'Resource allocation',
        choices: [
          {
            key: overrides.choiceKey ?? 'mem_2_gb',
            display_name: '2 GB',
            default: true,
            size: { mem_guarantee: '2G', mem_limit: '2G' },
          },
          { key: '02-R', display_name: '4 GB', size: { mem_guarantee: '4G', mem_limit: '4G' } },
          { key: 'v1.5', display_name: '8 GB', size: { mem_guarantee: '8G', mem_limit: '8G' } },
        ],
      },
    ],
  };
}

const validate = (changes: Record<string, unknown>) => validateContent(withFiles(files, changes));

describe('key rules', () => {
  it.each(['resource_allocation', 'mem_2_gb', '02-R', 'Mem_1', 'v1.5', 'a', '-x', 'x-', '_', 'A.B_c-d'])(
    'keeps the menu or choice key %j as it is',
    (key) => {
      expect(isValidKey(key, 'option')).toBe(true);
      expect(isValidKey(key, 'choice')).toBe(true);
      expect(keyProblem(key, 'choice')).toBeUndefined();
    },
  );

  it.each([
    ['', /empty/],
    ['mem 2', /whitespace/],
    ['mem\t2', /whitespace/],
    ['res--cpu', /"--"/],
    ['unlisted-choice', /reserved by KubeSpawner/],
    ['a"b', /contains "\\""/],
    ["a'b", /contains "'"/],
    ['<b>', /contains "<", ">"/],
    ['a&b', /contains "&"/],
    ['a/b', /contains "\/"/],
    ['é', /contains "é"/],
  ])('refuses the key %j', (key, reason) => {
    expect(isValidKey(key, 'choice')).toBe(false);
    const problem = keyProblem(key, 'choice');
    expect(problem?.reason).toMatch(reason);
    expect(problem?.hint).toBeTruthy();
  });

  it('refuses a profile slug ending in "-", which runs into the "--" of the form field names', () => {
    expect(isValidKey('gpu-', 'option')).toBe(true);
    expect(isValidKey('gpu-', 'slug')).toBe(false);
    expect(keyProblem('gpu-', 'slug')?.reason).toMatch(/ending in "-"/);
    expect(isValidKey('GPU_Large', 'slug')).toBe(true);
  });
});

describe('hand-written keys in the general form', () => {
  it('validates and generates them verbatim, with a slug that cannot be a file name', () => {
    const result = validate({ [file]: profile({ slug: 'GPU_Large' }) });
    expect(result.issues).toEqual([]);
    const list = generateOutputs(result.resolved).profileList;
    const entry = list.find((p) => p.display_name === 'Allocations');
    expect(entry?.slug).toBe('GPU_Large');
    expect(Object.keys(entry?.profile_options ?? {})).toEqual(['resource_allocation']);
    expect(Object.keys(entry?.profile_options?.['resource_allocation']?.choices ?? {})).toEqual([
      'mem_2_gb',
      '02-R',
      'v1.5',
    ]);
    expect(kubespawnerProblems(list)).toEqual([]);
    // What a user saved is what KubeSpawner is asked for.
    expect(effectiveOverride(list, { profile: 'GPU_Large', resource_allocation: '02-R' })).toMatchObject({
      mem_limit: '4G',
    });
  });

  it('uses the id as the slug when there is no slug field', () => {
    const result = validate({ [file]: profile() });
    expect(result.ok).toBe(true);
    expect(generateOutputs(result.resolved).profileList.map((p) => p.slug)).toContain('allocations');
  });

  const refused: {
    name: string;
    change: Parameters<typeof profile>[0];
    field: string;
    code: string;
    message: RegExp;
  }[] = [
    {
      name: 'a menu key with "--"',
      change: { optionKey: 'res--cpu' },
      field: 'options[0].key',
      code: 'InvalidKey',
      message: /"res--cpu" cannot be a menu key: it contains "--"/,
    },
    {
      name: 'a menu key with a space',
      change: { optionKey: 'resource allocation' },
      field: 'options[0].key',
      code: 'InvalidKey',
      message: /cannot be a menu key: it contains whitespace/,
    },
    {
      name: 'an empty choice key',
      change: { choiceKey: '' },
      field: 'options[0].choices[0].key',
      code: 'InvalidKey',
      message: /cannot be a choice key: it is empty/,
    },
    {
      name: 'the reserved choice key',
      change: { choiceKey: 'unlisted-choice' },
      field: 'options[0].choices[0].key',
      code: 'ReservedKey',
      message: /"unlisted-choice" is reserved by KubeSpawner/,
    },
    {
      name: 'a choice key with a quote',
      change: { choiceKey: 'mem"2' },
      field: 'options[0].choices[0].key',
      code: 'InvalidKey',
      message: /unescaped into HTML names and ids/,
    },
    {
      name: 'a slug with "<"',
      change: { slug: 'gpu<b>' },
      field: 'slug',
      code: 'InvalidKey',
      message: /"gpu<b>" cannot be a profile slug: it contains "<", ">"/,
    },
    {
      name: 'a slug ending in "-"',
      change: { slug: 'gpu-' },
      field: 'slug',
      code: 'InvalidKey',
      message: /cannot be a profile slug: a slug ending in "-"/,
    },
  ];

  it.each(refused)('refuses $name, with file, line, field and hint', ({ change, field, code, message }) => {
    const text = stringify(profile(change));
    const result = validate({ [file]: text });
    expect(result.ok).toBe(false);
    const issue = result.issues.find((i) => i.field === field);
    expect(issue, JSON.stringify(result.issues, null, 2)).toBeDefined();
    expect(issue?.code).toBe(code);
    expect(issue?.file).toBe(file);
    expect(issue?.message).toMatch(message);
    expect(issue?.hint).toBeTruthy();
    const lines = text.split('\n');
    const choices = lines.findIndex((l) => l.includes('choices:'));
    const expectedLine =
      field === 'slug'
        ? lines.findIndex((l) => l.startsWith('slug:')) + 1
        : field === 'options[0].key'
          ? lines.findIndex((l) => l.includes('key:')) + 1
          : lines.findIndex((l, i) => i > choices && l.includes('key:')) + 1;
    expect(issue?.line).toBe(expectedLine);
  });

  it('refuses two profiles with the same slug, pointing at the slug field', () => {
    const result = validate({ [file]: profile({ slug: 'gpu' }) });
    const issue = result.issues.find((i) => i.code === 'DuplicateSlug');
    expect(issue).toMatchObject({ file, field: 'slug', line: 2, severity: 'error' });
    expect(issue?.message).toMatch(/"gpu" and "allocations" both have the slug "gpu"/);
    expect(issue?.hint).toBeTruthy();
  });
});

describe('keys the content model derives (friendly fields)', () => {
  it('leaves the hand-written sample content exactly as it was: image, node and size menus, id slugs', () => {
    const result = validate({});
    const list = generateOutputs(result.resolved).profileList;
    expect(list.map((p) => [p.slug, Object.keys(p.profile_options ?? {})])).toEqual([
      ['data-science', ['image', 'node', 'size']],
      ['rstudio', []],
      ['gpu', []],
    ]);
  });
});

describe('the editor (/admin) fields', () => {
  const fields = fieldsFromSchema(ProfileSchema);
  const byName = (list: DecapField[] | undefined, name: string) => list?.find((f) => f.name === name);

  it('checks menu and choice keys with the same pattern as validation, saying what is allowed', () => {
    const options = byName(fields, 'options');
    for (const key of [
      byName(options?.fields, 'key'),
      byName(byName(options?.fields, 'choices')?.fields, 'key'),
    ]) {
      expect(key?.['pattern']).toEqual([KEY_PATTERN, expect.stringContaining('kept exactly as typed')]);
      const pattern = new RegExp((key?.['pattern'] as string[])[0]!);
      expect(['resource_allocation', 'mem_2_gb', '02-R'].every((k) => pattern.test(k))).toBe(true);
      expect(['mem--2', 'unlisted-choice', 'a b', ''].some((k) => pattern.test(k))).toBe(false);
    }
  });

  it('offers an optional slug field checked like a profile slug, and leaves size keys and ids as they were', () => {
    const slug = byName(fields, 'slug');
    expect(slug).toMatchObject({ widget: 'string', required: false });
    expect(slug?.['pattern']).toEqual([PROFILE_SLUG_PATTERN, expect.stringContaining('no "-" at the end')]);
    const sizeKey = byName(byName(fields, 'sizes')?.fields, 'key');
    expect(sizeKey?.['pattern']).toEqual([SLUG_PATTERN, expect.stringContaining('lower-case')]);
  });
});
