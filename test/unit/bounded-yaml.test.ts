import { describe, expect, it } from 'vitest';
import { parseYamlDocument } from '../../src/lib/documents.ts';
import { generateCheckedOutputs } from '../../src/lib/output-limits.ts';
import { validateContent } from '../../src/lib/validate.ts';
import { YAML_LIMITS } from '../../src/lib/yaml-limits.ts';
import { sampleFiles, withFiles } from '../helpers/content.ts';
import { aliasBomb, deepYaml } from '../helpers/hostile.ts';

const FILE = 'content/profiles/bomb.yaml';

describe('bounded YAML parsing', () => {
  it('refuses an alias bomb at once, naming the file and the line of the first alias', () => {
    for (const levels of [6, 7]) {
      const started = performance.now();
      const { document, issues } = parseYamlDocument(FILE, aliasBomb(levels));
      expect(performance.now() - started).toBeLessThan(500);
      expect(document).toBeUndefined();
      expect(issues).toMatchObject([{ code: 'YamlAliasBudget', file: FILE, line: 5, severity: 'error' }]);
      expect(issues[0]!.message).toMatch(/expand to more than 100,000 values/);
    }
  });

  it('accepts a few ordinary anchors and aliases', () => {
    const text = 'display_name: A\nenvironment:\n  - &v { name: A, value: "1" }\n  - *v\n';
    expect(parseYamlDocument(FILE, text).issues).toEqual([]);
  });

  it('refuses nesting deeper than the limit with its line, without overflowing the stack', () => {
    for (const depth of [YAML_LIMITS.maxDepth + 1, 100_000]) {
      const { issues } = parseYamlDocument(FILE, deepYaml(depth));
      expect(issues).toMatchObject([{ code: 'YamlTooDeep', file: FILE, line: 3 }]);
    }
    expect(parseYamlDocument(FILE, deepYaml(10)).issues).toEqual([]);
  });

  it('refuses a file over the size limit before parsing it', () => {
    const text = `display_name: Big\ndescription: '${'x'.repeat(YAML_LIMITS.maxChars)}'\n`;
    expect(parseYamlDocument(FILE, text).issues).toMatchObject([
      { code: 'YamlTooLarge', file: FILE, line: 1 },
    ]);
  });

  it('reports a duplicate key as an error with its line', () => {
    const { issues } = parseYamlDocument(FILE, 'display_name: A\norder: 1\norder: 2\n');
    expect(issues).toMatchObject([{ code: 'DuplicateKey', file: FILE, line: 3, severity: 'error' }]);
  });

  it('makes validation of the whole content report the bomb instead of expanding it', async () => {
    const result = validateContent(withFiles(await sampleFiles(), { [FILE]: aliasBomb(7) }));
    expect(result.ok).toBe(false);
    expect(result.issues).toContainEqual(
      expect.objectContaining({ code: 'YamlAliasBudget', file: FILE, line: 5 }),
    );
  });
});

describe('advanced values against KubeSpawner trait types', () => {
  const profile = (advanced: string) =>
    `display_name: Typed\nimages:\n  - image: scipy\nadvanced:\n${advanced}`;
  const check = async (advanced: string) =>
    validateContent(
      withFiles(await sampleFiles(), { 'content/profiles/typed.yaml': profile(advanced) }),
    ).issues.filter((i) => i.file === 'content/profiles/typed.yaml' && i.severity === 'error');

  it.each([
    ['  args: [[a, b], c]\n', 'args', /a list of texts/],
    ['  start_timeout: "600"\n', 'start_timeout', /a whole number/],
    ['  working_dir: [/home]\n', 'working_dir', /a text/],
    ['  disable_user_config: "yes"\n', 'disable_user_config', /true or false/],
    ['  cmd: { run: x }\n', 'cmd', /a text or a list of texts/],
  ])('refuses %j', async (advanced, key, words) => {
    const issues = await check(advanced);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ code: 'AdvancedWrongType', field: `advanced.${key}`, line: 5 });
    expect(issues[0]!.message).toMatch(words);
  });

  it('accepts values of the right types', async () => {
    expect(
      await check('  args: [--debug]\n  cmd: start.sh\n  start_timeout: 600\n  working_dir: /home/jovyan\n'),
    ).toEqual([]);
  });
});

describe('the size ceiling of generated outputs', () => {
  it('reports an output over the ceiling as an issue naming the largest profile, with no outputs', async () => {
    const result = validateContent(await sampleFiles());
    expect(generateCheckedOutputs(result.resolved).outputs).toBeDefined();
    const over = generateCheckedOutputs(result.resolved, 1000);
    expect(over.outputs).toBeUndefined();
    expect(over.issues).toMatchObject([{ code: 'OutputTooLarge', severity: 'error' }]);
    expect(over.issues[0]!.file).toMatch(/^content\/profiles\//);
  });
});

describe('bounded parsing of values files (import)', () => {
  it('reports an alias bomb, deep nesting and a huge file as issues, not exceptions', async () => {
    const { parseValues } = await import('../../src/lib/import/source.ts');
    const bomb = `singleuser:\n  profileList:\n${aliasBomb(7)
      .split('\n')
      .map((line) => `    ${line}`)
      .join('\n')}`;
    expect(parseValues('values.yaml', bomb).issues).toMatchObject([{ code: 'ImportYamlSyntax', line: 7 }]);
    expect(
      parseValues('values.yaml', `a: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`).issues,
    ).toMatchObject([{ code: 'YamlTooDeep', line: 1 }]);
    expect(parseValues('values.yaml', `a: ${'['.repeat(500)}${']'.repeat(500)}\n`).issues).toMatchObject([
      { code: 'YamlTooDeep', line: 1 },
    ]);
    expect(parseValues('values.yaml', `a: '${'x'.repeat(YAML_LIMITS.maxChars)}'\n`).issues).toMatchObject([
      { code: 'YamlTooLarge' },
    ]);
  });
});
