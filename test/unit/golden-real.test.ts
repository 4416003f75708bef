import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readContentFiles } from '../../src/lib/load.ts';
import { generateOutputs } from '../../src/lib/outputs.ts';
import type { ProfileListEntry } from '../../src/lib/profile-list.ts';
import { DEFAULT_ADVANCED_ALLOWED_KEYS } from '../../src/lib/schema/project.ts';
import { validateContent } from '../../src/lib/validate.ts';
import { projectRoot, fixturesRoot } from '../helpers/content.ts';
import {
  memoryBytes,
  normaliseOverride,
  profileListMeaning,
  pythonSlugify,
  type KeyMap,
} from '../helpers/meaning.ts';

/**
 * Golden tests: real profile lists (test/fixtures/real-profile-lists/, from 2i2c-org/infrastructure), each
 * re-expressed by hand as content under test/fixtures/real/<name>/content/, and the sample content against a
 * hand-written list (test/fixtures/real/sample/profile-list.yaml). The generated list must mean the same as the
 * original: same profiles, menus, choices, defaults and, for every combination of choices, the same effective
 * kubespawner_override (test/helpers/meaning.ts).
 *
 * Renamed, because content keys must be slugs:
 * - Option and choice keys with "_" (resource_allocation, mem_1_7, mem_7_gb, ...) become "-" (resource-allocation,
 *   mem-1-7, ...); `keyMap` renames the original's keys before comparing. After such a migration the spawn form
 *   pre-selects the default for users whose saved choice has an old key, and a spawn request that still names
 *   an old key fails in KubeSpawner (a bare KeyError, research/kubespawner.md §7).
 * - Profiles without a slug get the id KubeSpawner derives with python-slugify from the display name, and
 *   settings.profile_order keeps the original order where ids alone would sort differently.
 *
 * Dropped, because KubeSpawner 7.1 never reads them (research/kubespawner.md §1.3); the meaning ignores them:
 * - `description` on a choice (every real fixture): the default template shows only the profile's description.
 *   Where the choice picks an image, the text became that image's description (shown in the preview only).
 * - `slug` on a choice (cloudbank-monmouth, cloudbank-cau, awi-ciroh-prod, nmfs-openscapes-workshop,
 *   2i2c-aws-us-orcid-demo): choices are known by their key; a `slug` inside one is not read.
 * - `dynamic_image_building` on an option (nmfs-openscapes-workshop, nasa-ghg-hub-common, 2i2c-aws-us-orcid-demo):
 *   read by 2i2c's own spawn-page template only.
 * - `description` on an unlisted_choice (nasa-ghg-hub-common, 2i2c-aws-us-orcid-demo): not read by the template.
 * - `unlisted_choice: {enabled: false}` (nasa-ghg-hub-common, 2nd profile): the same as no unlisted choice.
 * Dropped from the original before comparing (`drop` below), because it is inert but would show in the override:
 * - `default: true` inside a profile's kubespawner_override (cloudbank-berea, cloudbank-monmouth): KubeSpawner sets
 *   an attribute `default` on the spawner, which nothing reads (it is no trait); the profile's own
 *   `default: true` is kept.
 *
 * Approximations:
 * - nmfs-openscapes-workshop: the unlisted choice's override sets `image_pull_policy: Always` besides the image; a
 *   content custom image only ever sets the image. The only listed image sets the same policy, so the policy moves
 *   to the profile's `advanced`: every combination (listed or typed image) still ends with Always.
 * - awi-ciroh-prod and 2i2c-aws-us-orcid-demo: `mem_limit: null` on the GPU profile is left out (no limit either
 *   way under the z2jh defaults, see normaliseOverride).
 * - awi-ciroh-prod: the image menu that four profiles share through a YAML anchor is repeated in each profile file
 *   (content has no way to share a menu between profiles).
 * - 2i2c-aws-us-orcid-demo: the image menu marks two choices as default (02-community-base-image and 04-cryo);
 *   content allows one. KubeSpawner starts the first when nothing is picked, so that one is kept and the server
 *   side is unchanged, but the browser used to pre-select the last (04-cryo) and now pre-selects the first.
 * - Node groups carry no capacity: the sources do not state it, so the capacity checks do not run.
 *
 * nasa-ghg-hub-common sets `init_containers`, which `advanced` accepts only where the infrastructure admins allow it
 * (configurator.yaml advanced.allowed_keys); the test allows it as such a hub would, and the default refuses it.
 */

interface Fixture {
  name: string;
  /** Folder of the content, relative to the project. */
  contentRoot: string;
  /** The hand-written list: a YAML file with the list under `profileList`. */
  original: string;
  keyMap?: KeyMap;
  /** `<code> <file under the content root>` of every warning expected from validation, sorted. */
  warnings: string[];
  /** Paths in the original list deleted before comparing (inert keys, see above). */
  drop?: (string | number)[][];
  /** Extra `advanced` keys this hub's infrastructure admins allow (configurator.yaml advanced.allowed_keys). */
  allowAdvanced?: string[];
}

const real = (name: string) => path.join(fixturesRoot, 'real-profile-lists', `${name}.yaml`);
const underscoresToDashes = (...keys: string[]): KeyMap =>
  Object.fromEntries(keys.map((key) => [key, key.replaceAll('_', '-')]));

const FIXTURES: Fixture[] = [
  {
    name: 'sample',
    contentRoot: 'content',
    original: path.join(projectRoot, 'test', 'fixtures', 'real', 'sample', 'profile-list.yaml'),
    warnings: [],
  },
  {
    name: 'cloudbank-berea',
    contentRoot: 'test/fixtures/real/cloudbank-berea/content',
    original: real('cloudbank-berea'),
    warnings: [],
    drop: [[0, 'kubespawner_override', 'default']],
  },
  {
    name: 'dubois-common',
    contentRoot: 'test/fixtures/real/dubois-common/content',
    original: real('dubois-common'),
    keyMap: underscoresToDashes('resource_allocation', 'mem_1_7', 'mem_3_4'),
    warnings: ['ImageLatestTag images/du-bois-stem.yaml'],
  },
  {
    name: 'nmfs-openscapes-workshop',
    contentRoot: 'test/fixtures/real/nmfs-openscapes-workshop/content',
    original: real('nmfs-openscapes-workshop'),
    keyMap: underscoresToDashes('mem_7_gb'),
    warnings: [],
  },
  {
    name: 'cloudbank-monmouth',
    contentRoot: 'test/fixtures/real/cloudbank-monmouth/content',
    original: real('cloudbank-monmouth'),
    warnings: [
      'ImageImplicitRegistry images/ml-notebook.yaml',
      'ImageImplicitRegistry images/pangeo-notebook.yaml',
      'ImageImplicitRegistry images/pytorch-notebook.yaml',
    ],
    drop: [[0, 'kubespawner_override', 'default']],
  },
  {
    name: 'cloudbank-cau',
    contentRoot: 'test/fixtures/real/cloudbank-cau/content',
    original: real('cloudbank-cau'),
    warnings: [],
  },
  {
    name: 'awi-ciroh-prod',
    contentRoot: 'test/fixtures/real/awi-ciroh-prod/content',
    original: real('awi-ciroh-prod'),
    warnings: ['ImageImplicitRegistry images/pytorch.yaml', 'ImageImplicitRegistry images/tensorflow.yaml'],
  },
  {
    name: 'nasa-ghg-hub-common',
    contentRoot: 'test/fixtures/real/nasa-ghg-hub-common/content',
    original: real('nasa-ghg-hub-common'),
    allowAdvanced: ['init_containers'],
    keyMap: underscoresToDashes(
      'resource_allocation',
      'mem_2_gb',
      'mem_4_gb',
      'mem_7_gb',
      'mem_15_gb',
      'mem_29_gb',
      'mem_60_gb',
      'mem_119_gb',
      'mem_60_6',
    ),
    warnings: ['ImageImplicitRegistry images/rocker-binder.yaml'],
  },
  {
    name: '2i2c-aws-us-orcid-demo',
    contentRoot: 'test/fixtures/real/2i2c-aws-us-orcid-demo/content',
    original: real('2i2c-aws-us-orcid-demo'),
    keyMap: underscoresToDashes(
      'resource_allocation',
      'mem_2_gb',
      'mem_4_gb',
      'mem_7_gb',
      'mem_15_gb',
      'mem_29_gb',
      'mem_60_gb',
      'mem_119_gb',
    ),
    warnings: [],
  },
];

async function readOriginal(fixture: Fixture): Promise<unknown[]> {
  const list = (parse(await readFile(fixture.original, 'utf8')) as { profileList: unknown[] }).profileList;
  for (const at of fixture.drop ?? []) deletePath(list, at);
  return list;
}

async function generate(fixture: Fixture) {
  const files = await readContentFiles(projectRoot, fixture.contentRoot);
  const result = validateContent(files, {
    contentRoot: fixture.contentRoot,
    advancedAllowedKeys: [...DEFAULT_ADVANCED_ALLOWED_KEYS, ...(fixture.allowAdvanced ?? [])],
  });
  return { files, result, outputs: generateOutputs(result.resolved) };
}

/** Deletes a key that must exist, so that the list of dropped keys above cannot go stale. */
function deletePath(root: unknown, at: (string | number)[]): void {
  let node = root as Record<string | number, unknown>;
  for (const part of at.slice(0, -1)) node = node[part] as Record<string | number, unknown>;
  const last = at[at.length - 1]!;
  expect(node, `drop ${at.join('.')}`).toHaveProperty([String(last)]);
  delete node[last];
}

describe.each(FIXTURES)('golden: $name', (fixture) => {
  it('is valid content, with exactly the expected warnings', async () => {
    const { files, result } = await generate(fixture);
    expect(files.length).toBeGreaterThan(0);
    expect(result.issues.filter((i) => i.severity === 'error')).toEqual([]);
    const warnings = result.issues
      .filter((i) => i.severity === 'warning')
      .map((i) => `${i.code} ${i.file.slice(fixture.contentRoot.length + 1)}`)
      .sort();
    expect(warnings).toEqual(fixture.warnings);
  });

  it('generates a list that means the same as the original', async () => {
    const { outputs } = await generate(fixture);
    const original = profileListMeaning(await readOriginal(fixture), fixture.keyMap);
    expect(profileListMeaning(outputs.profileList)).toEqual(original);
  });
});

describe('the meaning of a profile list', () => {
  const dubois = FIXTURES.find((f) => f.name === 'dubois-common')!;

  it('changes when one memory value of the generated list changes', async () => {
    const { outputs } = await generate(dubois);
    const changed = structuredClone(outputs.profileList) as ProfileListEntry[];
    const override =
      changed[0]?.profile_options?.['resource-allocation']?.choices['mem-3-4']?.kubespawner_override;
    expect(override?.['mem_limit']).toBe(3620925866);
    override!['mem_limit'] = 3620925867;
    expect(profileListMeaning(changed)).not.toEqual(profileListMeaning(outputs.profileList));
    expect(profileListMeaning(changed)).not.toEqual(
      profileListMeaning(await readOriginal(dubois), dubois.keyMap),
    );
  });

  it('changes without the key map, since the original keys differ', async () => {
    const { outputs } = await generate(dubois);
    expect(profileListMeaning(outputs.profileList)).not.toEqual(
      profileListMeaning(await readOriginal(dubois)),
    );
  });

  it('sees the default profile and the default choice as KubeSpawner picks them', () => {
    const list = [
      { display_name: 'A', profile_options: { x: { choices: { a: {}, b: { default: true } } } } },
      { display_name: 'B', default: true },
      { display_name: 'C', default: true },
    ];
    const meaning = profileListMeaning(list);
    expect(meaning.map((p) => p.default)).toEqual([false, true, false]);
    expect(meaning[0]?.options[0]?.default_choice).toBe('b');
    expect(profileListMeaning([{ display_name: 'A' }, { display_name: 'B' }]).map((p) => p.default)).toEqual([
      true,
      false,
    ]);
  });

  it('derives slugs like python-slugify (examples verified in research/kubespawner.md §1.4)', () => {
    expect(pythonSlugify('Demo - profile_list entry 1')).toBe('demo-profile-list-entry-1');
    expect(pythonSlugify('GPU (NVIDIA T4) \u2014 16 GiB')).toBe('gpu-nvidia-t4-16-gib');
    expect(pythonSlugify('\u00dcn\u00efc\u00f6d\u00e9 & Co.!')).toBe('unicode-co');
    expect(pythonSlugify("it's")).toBe('it-s');
    expect(pythonSlugify('Data Science: Python 3.11')).toBe('data-science-python-3-11');
    expect(pythonSlugify('0.5 NVIDIA Tesla T4, ~1.5 CPU (~8 GB CPU RAM)')).toBe(
      '0-5-nvidia-tesla-t4-1-5-cpu-8-gb-cpu-ram',
    );
  });

  it('reads memory as KubeSpawner does: 1024-based suffixes, ints are bytes', () => {
    expect(memoryBytes('512M')).toBe(512 * 2 ** 20);
    expect(memoryBytes('7.234G')).toBe(Math.trunc(7.234 * 2 ** 30));
    expect(memoryBytes(1810462933)).toBe(1810462933);
    expect(memoryBytes('4Gi')).toBe('4Gi');
  });

  it('treats a null mem_limit like an unset one, and normalises CPU and GPU values', () => {
    expect(
      normaliseOverride({
        mem_limit: null,
        mem_guarantee: '14G',
        cpu_limit: 2,
        extra_resource_limits: { 'nvidia.com/gpu': 1 },
      }),
    ).toEqual({
      cpu_limit: 2,
      extra_resource_limits: { 'nvidia.com/gpu': '1' },
      mem_guarantee: 14 * 2 ** 30,
    });
  });
});
