import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { generateOutputs } from '../../src/lib/outputs.ts';
import { effectiveOverride } from '../../src/lib/spawn-semantics.ts';
import { validateContent } from '../../src/lib/validate.ts';
import type { SourceFile } from '../../src/lib/catalog.ts';
import { kubespawnerProblems } from '../helpers/kubespawner-rules.ts';
import { projectRoot, sampleFiles, withFiles } from '../helpers/content.ts';

const files = await sampleFiles();
const build = (input: SourceFile[]) => {
  const result = validateContent(input);
  expect(result.issues.filter((i) => i.severity === 'error')).toEqual([]);
  return generateOutputs(result.resolved);
};
const sample = build(files);
const profile = (slug: string) => sample.profileList.find((p) => p.slug === slug)!;

/** Compares with a golden file; `UPDATE_GOLDEN=1 npm test` rewrites it after a deliberate change. */
async function expectGolden(name: string, text: string): Promise<void> {
  const file = path.join(projectRoot, 'test', 'fixtures', 'golden', name);
  if (process.env['UPDATE_GOLDEN'] === '1') await writeFile(file, text);
  expect(text).toBe(await readFile(file, 'utf8'));
}

describe('profile_list.json from the sample content', () => {
  it('matches the reviewed golden files', async () => {
    await expectGolden('profile_list.json', sample.profileListJson);
    await expectGolden('values.yaml', sample.valuesYaml);
  });

  it('follows every KubeSpawner 7.1 rule from the research notes', () => {
    expect(kubespawnerProblems(JSON.parse(sample.profileListJson))).toEqual([]);
  });

  it('is byte-identical whatever order the files are read in', () => {
    const again = build([...files].reverse());
    expect(again.profileListJson).toBe(sample.profileListJson);
    expect(again.valuesYaml).toBe(sample.valuesYaml);
  });

  it('orders profiles by order, then settings.profile_order, then id', () => {
    expect(sample.profileList.map((p) => p.slug)).toEqual(['data-science', 'rstudio', 'gpu']);
  });

  it('puts a single image in kubespawner_override.image and several in a menu with the default first-class', () => {
    expect(profile('rstudio').kubespawner_override?.['image']).toBe('docker.io/rocker/binder:4.3');
    const images = profile('data-science').profile_options?.['image'];
    expect(Object.keys(images?.choices ?? {})).toEqual(['scipy', 'datascience', 'pangeo']);
    expect(images?.choices['scipy']?.default).toBe(true);
    expect(images?.choices['pangeo']?.default).toBeUndefined();
  });

  it('turns a custom image into an unlisted choice whose override uses {value}', () => {
    const unlisted = profile('data-science').profile_options?.['image']?.unlisted_choice;
    expect(unlisted?.enabled).toBe(true);
    expect(unlisted?.kubespawner_override).toEqual({ image: '{value}' });
    expect(
      effectiveOverride(sample.profileList, {
        profile: 'data-science',
        'image--unlisted-choice': 'quay.io/me/x:1',
      })['image'],
    ).toBe('quay.io/me/x:1');
  });

  it('writes memory without Gi, CPU as numbers, and GPUs as extra_resource_limits', () => {
    const medium = profile('data-science').profile_options?.['size']?.choices['medium']?.kubespawner_override;
    expect(medium).toMatchObject({ cpu_guarantee: 1, cpu_limit: 2, mem_guarantee: '7.5G', mem_limit: '8G' });
    expect(profile('gpu').kubespawner_override).toMatchObject({
      extra_resource_limits: { 'nvidia.com/gpu': '1' },
      node_selector: { 'node.kubernetes.io/instance-type': 'g4dn.xlarge' },
      tolerations: [{ key: 'nvidia.com/gpu', operator: 'Equal', value: 'present', effect: 'NoSchedule' }],
    });
  });

  it('carries allowed_groups as a top-level key of the profile only when set', () => {
    expect(profile('gpu').allowed_groups).toEqual(['ml-research']);
    expect('allowed_groups' in profile('rstudio')).toBe(false);
  });

  it('resolves what a user gets for a combination of choices, as KubeSpawner merges overrides', () => {
    expect(
      effectiveOverride(sample.profileList, {
        profile: 'data-science',
        image: 'pangeo',
        node: 'large',
        size: 'large',
      }),
    ).toEqual({
      default_url: '/lab',
      environment: { JUPYTER_ENABLE_LAB: 'yes' },
      image: 'docker.io/pangeo/pangeo-notebook:2026.04.29',
      node_selector: { 'node.kubernetes.io/instance-type': 'r5.4xlarge' },
      cpu_guarantee: 3,
      cpu_limit: 3.5,
      mem_guarantee: '28G',
      mem_limit: '28G',
    });
  });

  it('writes values.yaml that Helm (YAML 1.1) reads back with every string still a string', () => {
    expect(parse(sample.valuesYaml, { version: '1.1' })).toEqual(JSON.parse(JSON.stringify(sample.values)));
    expect(sample.values.singleuser.image).toEqual({
      name: 'quay.io/jupyter/scipy-notebook',
      tag: '2024-03-18',
    });
    expect(sample.values.singleuser.defaultUrl).toBe('/lab');
    expect(sample.values.singleuser.profileList).toEqual(sample.profileList);
  });
});

describe('markup typed by a person never reaches the spawn page', () => {
  const hostile = withFiles(files, {
    'content/profiles/evil.yaml': {
      display_name: 'Evil <img src=x onerror=alert(1)> & "quotes"',
      description:
        'Hi <script>alert(1)</script> [x](javascript:alert(1)) **bold** <a href="x" onclick="y">a</a>',
      images: [{ image: 'scipy' }],
      sizes: [{ key: 'small', display_name: '<b>Small</b>', cpu_limit: 1 }],
      custom_image: { enabled: true, label: '<i>Own</i> image', validation_message: '"><script>x</script>' },
    },
  });
  const result = validateContent(hostile);
  it('is valid content (only a warning about the HTML)', () => {
    expect(result.issues.map((i) => `${i.severity}:${i.code}`)).toEqual(['warning:DescriptionHtml']);
  });
  const evil = generateOutputs(result.resolved).profileList.find((p) => p.slug === 'evil')!;
  const text = JSON.stringify(evil);

  it('escapes display names and labels', () => {
    expect(evil.display_name).toBe('Evil &lt;img src=x onerror=alert(1)&gt; &amp; &quot;quotes&quot;');
    expect(evil.profile_options?.['size']?.choices['small']?.display_name).toBe('&lt;b&gt;Small&lt;/b&gt;');
    expect(evil.profile_options?.['image']?.unlisted_choice?.display_name).toBe(
      '&lt;i&gt;Own&lt;/i&gt; image',
    );
  });

  it('renders Markdown in descriptions but shows HTML as text and drops javascript: links', () => {
    expect(evil.description).toContain('<strong>bold</strong>');
    expect(evil.description).toContain('&lt;script&gt;');
    expect(evil.description).not.toContain('href="javascript:');
  });

  it('leaves no tag other than the Markdown ones, and no event handler', () => {
    expect(text).not.toMatch(/<(script|img|b|i|a [^>]*onclick)/i);
    expect(text).not.toMatch(/<[a-z]+[^>]*\son[a-z]+=/i);
    expect(kubespawnerProblems(JSON.parse(JSON.stringify([evil])))).toEqual([]);
  });
});
