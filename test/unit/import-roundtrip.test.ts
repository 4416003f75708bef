import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { importProfileList, type ImportResult } from '../../src/lib/import/index.ts';
import { generateOutputs } from '../../src/lib/outputs.ts';
import { DEFAULT_ADVANCED_ALLOWED_KEYS } from '../../src/lib/schema/project.ts';
import { validateContent } from '../../src/lib/validate.ts';
import { fixturesRoot } from '../helpers/content.ts';
import { kubespawnerProblems } from '../helpers/kubespawner-rules.ts';
import { profileListMeaning } from '../helpers/meaning.ts';
import { savedUserOptions, spawnOutcome } from '../helpers/saved-choices.ts';

/**
 * Round trip: every real profile list in test/fixtures/real-profile-lists/ is imported, the content validated
 * (no errors; exactly the expected warnings) and built, and then:
 * - every `user_options` a user of the original hub could have saved (test/helpers/saved-choices.ts: no profile,
 *   each profile with each menu left out, set to each choice key or to an "Other..." text) is accepted by the built
 *   list exactly when the original accepted it, and yields the same spawner settings. The same `user_options` go to
 *   both lists: keys and slugs are users' saved state and the import keeps them verbatim (`resource_allocation`,
 *   `mem_7_gb`, `02-R`), so nothing is renamed in between;
 * - the built list means the same to KubeSpawner's form (test/helpers/meaning.ts: same profiles, menus, choices and
 *   defaults, keys compared as they are).
 *
 * What differs, and why that is the same to KubeSpawner:
 * - `default: true` inside a kubespawner_override (cloudbank-berea and cloudbank-monmouth on the profile,
 *   uw-escience-common on a choice) is no KubeSpawner setting: KubeSpawner sets an attribute nothing reads. The
 *   import leaves it out and reports it (ImportDefaultInOverride); the meaning helper keeps any override key, so the
 *   test deletes exactly those keys from the original (`drop`) and checks they are the ones the import reported.
 * - `mem_limit: null` (ImportNullDropped) means "no limit", the same as no key under the z2jh defaults; the meaning
 *   helper treats both alike.
 * - Keys KubeSpawner never reads (choice `description` and `slug`, `dynamic_image_building`, unlisted
 *   `description`/`description_in_choices`) are reported (ImportIgnoredKey) and left out; the meaning ignores them.
 * - 2i2c-aws-us-orcid-demo marks two image choices as default: the first is kept (KubeSpawner's server-side pick),
 *   reported as ImportExtraDefault; the browser used to pre-select the last.
 * - nmfs-openscapes-workshop: the "Other..." image entry also sets image_pull_policy, which a content custom image
 *   cannot; every listed choice sets the same, so the import moves it to the profile (ImportCustomImageSettingMoved).
 * init_containers (disasters-common, nasa-ghg-hub-common) goes under `advanced`, which the default allow-list
 * refuses: those two are validated as a hub whose infrastructure admins allow it, and refused by default.
 */

interface Case {
  name: string;
  /** How many issues of each code the import reports. */
  importIssues: Record<string, number>;
  /** `<code> <file under content/>` of every validation warning, sorted. */
  warnings: string[];
  /** `advanced` keys beyond the default allow-list that this hub needs. */
  allow?: string[];
  /** Inert keys deleted from the original before comparing (each reported as ImportDefaultInOverride). */
  drop?: (string | number)[][];
}

const CASES: Case[] = [
  {
    name: '2i2c-aws-us-orcid-demo',
    importIssues: { ImportExtraDefault: 1, ImportIgnoredKey: 4, ImportNullDropped: 1 },
    warnings: [],
  },
  {
    name: '2i2c-aws-us-showcase',
    importIssues: { ImportIgnoredKey: 6, ImportNullDropped: 8 },
    warnings: [
      'ImageImplicitRegistry images/pangeo-notebook.yaml',
      'ImageImplicitRegistry images/pytorch.yaml',
      'ImageImplicitRegistry images/rocker-geospatial.yaml',
      'ImageImplicitRegistry images/tensorflow.yaml',
    ],
  },
  {
    name: 'aimatx-2i2c-hub-common',
    importIssues: { ImportIgnoredKey: 4, ImportNullDropped: 1 },
    warnings: ['ImageImplicitRegistry images/rocker-geospatial.yaml'],
  },
  {
    name: 'awi-ciroh-prod',
    importIssues: { ImportIgnoredKey: 5, ImportNullDropped: 1 },
    warnings: ['ImageImplicitRegistry images/pytorch.yaml', 'ImageImplicitRegistry images/tensorflow.yaml'],
  },
  {
    name: 'bnext-bio-staging',
    importIssues: { ImportIgnoredKey: 4 },
    warnings: [],
  },
  {
    name: 'cloudbank-berea',
    importIssues: { ImportDefaultInOverride: 1 },
    warnings: [],
    drop: [[0, 'kubespawner_override', 'default']],
  },
  {
    name: 'cloudbank-cau',
    importIssues: { ImportIgnoredKey: 1 },
    warnings: [],
  },
  {
    name: 'cloudbank-monmouth',
    importIssues: { ImportDefaultInOverride: 1, ImportIgnoredKey: 2 },
    warnings: [
      'ImageImplicitRegistry images/01-tensorflow.yaml',
      'ImageImplicitRegistry images/02-pytorch.yaml',
      'ImageImplicitRegistry images/03-pangeo.yaml',
    ],
    drop: [[0, 'kubespawner_override', 'default']],
  },
  {
    name: 'disasters-common',
    importIssues: { ImportIgnoredKey: 4, ImportNullDropped: 1 },
    warnings: ['ImageImplicitRegistry images/02-rocker.yaml'],
    allow: ['init_containers'],
  },
  {
    name: 'dubois-common',
    importIssues: {},
    warnings: ['ImageLatestTag images/jupyter-r-notebook.yaml'],
  },
  {
    name: 'earthscope-common',
    importIssues: { ImportIgnoredKey: 5, ImportNullDropped: 1 },
    warnings: [
      'ImageLatestTag images/geolab-general.yaml',
      'ImageLatestTag images/geolab-gpu.yaml',
      'ImageLatestTag images/geolab-sfg.yaml',
    ],
  },
  {
    name: 'leap-public',
    importIssues: { ImportIgnoredKey: 2 },
    warnings: [
      'ImageImplicitRegistry images/pangeo.yaml',
      'ImageImplicitRegistry images/pytorch.yaml',
      'ImageImplicitRegistry images/tensorflow.yaml',
    ],
  },
  {
    name: 'nasa-cryo-common',
    importIssues: { ImportIgnoredKey: 4, ImportNullDropped: 1 },
    warnings: [
      'ImageImplicitRegistry images/03-pythonml.yaml',
      'ImageImplicitRegistry images/05-matlab.yaml',
      'ImageLatestTag images/02-pythonpace.yaml',
      'ImageLatestTag images/04-r.yaml',
      'ImageLatestTag images/05-matlab.yaml',
      'ImageLatestTag images/06-oceanhackweek.yaml',
    ],
  },
  {
    name: 'nasa-ghg-hub-common',
    importIssues: { ImportIgnoredKey: 4 },
    warnings: ['ImageImplicitRegistry images/02-rocker.yaml'],
    allow: ['init_containers'],
  },
  {
    name: 'nmfs-openscapes-common',
    importIssues: { ImportIgnoredKey: 5, ImportNullDropped: 1 },
    warnings: [
      'ImageLatestTag images/aomlomics.yaml',
      'ImageLatestTag images/arcgis.yaml',
      'ImageLatestTag images/asar.yaml',
      'ImageLatestTag images/coastwatch.yaml',
      'ImageLatestTag images/cryo.yaml',
      'ImageLatestTag images/echopype.yaml',
      'ImageLatestTag images/echosm.yaml',
      'ImageLatestTag images/iorocker.yaml',
      'ImageLatestTag images/ohw-spanish.yaml',
      'ImageLatestTag images/ohw.yaml',
      'ImageLatestTag images/pace.yaml',
      'ImageLatestTag images/positron.yaml',
      'ImageLatestTag images/vast.yaml',
    ],
  },
  {
    name: 'nmfs-openscapes-workshop',
    importIssues: { ImportCustomImageSettingMoved: 1, ImportIgnoredKey: 3 },
    warnings: [],
  },
  {
    name: 'openscapeshub-common',
    importIssues: { ImportIgnoredKey: 3 },
    warnings: [
      'ImageImplicitRegistry images/01-python.yaml',
      'ImageImplicitRegistry images/03-matlab.yaml',
      'ImageLatestTag images/02-r.yaml',
    ],
  },
  {
    name: 'projectpythia-common',
    importIssues: { ImportIgnoredKey: 5, ImportNullDropped: 1 },
    warnings: ['ImageImplicitRegistry images/pangeo.yaml'],
  },
  {
    name: 'ucec-ebfm',
    importIssues: { ImportIgnoredKey: 3, ImportNullDropped: 1 },
    warnings: [
      'ImageImplicitRegistry images/02-pangeo.yaml',
      'ImageImplicitRegistry images/03-rocker.yaml',
      'ImageImplicitRegistry images/pytorch.yaml',
      'ImageImplicitRegistry images/tensorflow.yaml',
    ],
  },
  {
    name: 'uw-escience-common',
    importIssues: {
      ImportDefaultInOverride: 1,
      ImportIgnoredKey: 3,
      ImportNullDropped: 1,
    },
    warnings: ['ImageImplicitRegistry images/03-pangeo.yaml', 'ImageImplicitRegistry images/04-rocker.yaml'],
    drop: [
      [0, 'profile_options', 'resource_allocation', 'choices', 'mem_7_gb', 'kubespawner_override', 'default'],
    ],
  },
];

const folder = path.join(fixturesRoot, 'real-profile-lists');

async function load(c: Case): Promise<{ text: string; result: ImportResult }> {
  const text = await readFile(path.join(folder, `${c.name}.yaml`), 'utf8');
  return { text, result: importProfileList(text, { fileName: `${c.name}.yaml` }) };
}

function countCodes(result: ImportResult): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const issue of result.issues) counts[issue.code] = (counts[issue.code] ?? 0) + 1;
  return counts;
}

it('covers every real profile list', async () => {
  const files = (await readdir(folder))
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.replace(/\.yaml$/, ''));
  expect(CASES.map((c) => c.name).sort()).toEqual(files.sort());
});

describe.each(CASES)('import round trip: $name', (c) => {
  it('imports with exactly the expected issues, and validates without errors', async () => {
    const { result } = await load(c);
    expect(result.ok).toBe(true);
    expect(countCodes(result)).toEqual(c.importIssues);
    for (const issue of result.issues) {
      expect(issue.file).toBe(`${c.name}.yaml`);
      expect(issue.line).toBeGreaterThan(3);
    }
    const validation = validateContent(result.files, {
      advancedAllowedKeys: [...DEFAULT_ADVANCED_ALLOWED_KEYS, ...(c.allow ?? [])],
    });
    expect(validation.issues.filter((i) => i.severity === 'error')).toEqual([]);
    const warnings = validation.issues
      .filter((i) => i.severity === 'warning')
      .map((i) => `${i.code} ${i.file.slice('content/'.length)}`)
      .sort();
    expect(warnings).toEqual(c.warnings);
  });

  it('builds a profile list that means the same to KubeSpawner', async () => {
    const { text, result } = await load(c);
    const original = (parse(text, { merge: true }) as { profileList: unknown[] }).profileList;
    const reported = result.issues.filter((i) => i.code === 'ImportDefaultInOverride').map((i) => i.field);
    expect(reported).toEqual((c.drop ?? []).map((at) => fieldOf(['profileList', ...at])));
    for (const at of c.drop ?? []) deletePath(original, at);
    const validation = validateContent(result.files, {
      advancedAllowedKeys: [...DEFAULT_ADVANCED_ALLOWED_KEYS, ...(c.allow ?? [])],
    });
    const built = generateOutputs(validation.resolved).profileList;
    expect(profileListMeaning(built)).toEqual(profileListMeaning(original));
  });

  it('accepts every user_options a user of the original hub could have saved, with the same settings', async () => {
    const { text, result } = await load(c);
    const original = (parse(text, { merge: true }) as { profileList: unknown[] }).profileList;
    for (const at of c.drop ?? []) deletePath(original, at);
    const validation = validateContent(result.files, {
      advancedAllowedKeys: [...DEFAULT_ADVANCED_ALLOWED_KEYS, ...(c.allow ?? [])],
    });
    const built = generateOutputs(validation.resolved).profileList;
    expect(kubespawnerProblems(built)).toEqual([]);
    const saved = savedUserOptions(original);
    let accepted = 0;
    for (const userOptions of saved) {
      const before = spawnOutcome(original, userOptions);
      expect(spawnOutcome(built, userOptions), JSON.stringify(userOptions)).toEqual(before);
      if ('settings' in before) accepted += 1;
    }
    // Every profile and every choice key of the original is among what was compared and accepted.
    expect(accepted).toBeGreaterThan(original.length);
  });

  if (c.allow) {
    it('is refused under the default allow-list, at the lines of the keys it needs', async () => {
      const { text } = await load(c);
      const refused = importProfileList(text, {
        fileName: `${c.name}.yaml`,
        advancedAllowedKeys: DEFAULT_ADVANCED_ALLOWED_KEYS,
      });
      expect(refused.ok).toBe(false);
      const errors = refused.issues.filter((i) => i.severity === 'error');
      expect(errors.length).toBeGreaterThan(0);
      for (const issue of errors) {
        expect(issue.code).toBe('ImportKeyNotAllowed');
        expect(c.allow?.some((key) => issue.field?.endsWith(`.kubespawner_override.${key}`))).toBe(true);
        expect(text.split('\n')[issue.line! - 1]).toMatch(new RegExp(`^\\s*(${c.allow?.join('|')}):`));
      }
      const validation = validateContent(refused.files);
      expect(new Set(validation.issues.filter((i) => i.severity === 'error').map((i) => i.code))).toEqual(
        new Set(['AdvancedKeyNotAllowed']),
      );
    });
  }
});

function fieldOf(at: (string | number)[]): string {
  return at.map((part, i) => (typeof part === 'number' ? `[${part}]` : i === 0 ? part : `.${part}`)).join('');
}

/** Deletes a key that must exist, so that the list of dropped keys cannot go stale. */
function deletePath(root: unknown, at: (string | number)[]): void {
  let node = root as Record<string | number, unknown>;
  for (const part of at.slice(0, -1)) node = node[part] as Record<string | number, unknown>;
  const last = at[at.length - 1]!;
  expect(node, `drop ${at.join('.')}`).toHaveProperty([String(last)]);
  delete node[last];
}
