import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { SourceFile } from '../../src/lib/catalog.ts';
import { importProfileList, type ImportOptions } from '../../src/lib/import/index.ts';
import { pythonSlugify, toSlug } from '../../src/lib/import/slugs.ts';
import { generateOutputs } from '../../src/lib/outputs.ts';
import { validateContent } from '../../src/lib/validate.ts';
import { profileListMeaning, pythonSlugify as helperSlugify } from '../helpers/meaning.ts';

const run = (text: string, options: Partial<ImportOptions> = {}) =>
  importProfileList(text, { fileName: 'values.yaml', ...options });

/** The imported files as data, by path. */
function data(files: readonly SourceFile[]): Record<string, unknown> {
  return Object.fromEntries(files.map((f) => [f.path, parse(f.text)]));
}

function codes(issues: readonly { code: string }[]): string[] {
  return issues.map((i) => i.code);
}

describe('finding the profile list', () => {
  const list = `profileList:\n  - display_name: A\n`;
  it.each([
    ['singleuser.profileList', `singleuser:\n  profileList:\n    - display_name: A\n`],
    [
      'jupyterhub.singleuser.profileList',
      `jupyterhub:\n  singleuser:\n    profileList:\n      - display_name: A\n`,
    ],
    [
      'basehub.jupyterhub.singleuser.profileList',
      `basehub:\n  jupyterhub:\n    singleuser:\n      profileList:\n        - display_name: A\n`,
    ],
    ['profileList', list],
  ])('finds it at %s without --key', (key, text) => {
    const result = run(text);
    expect(result.key).toBe(key);
    expect(result.profiles).toEqual(['a']);
  });

  it('takes --key, and says where it looked when there is nothing', () => {
    expect(run(`hub:\n  list:\n    - display_name: A\n`, { key: 'hub.list' }).profiles).toEqual(['a']);
    const missing = run(`singleuser: {}\n`);
    expect(missing.ok).toBe(false);
    expect(missing.issues[0]?.code).toBe('ImportKeyNotFound');
    expect(missing.issues[0]?.message).toContain('singleuser.profileList, jupyterhub.singleuser.profileList');
    expect(run(`profileList: {a: {display_name: A}}\n`).issues[0]?.code).toBe('ImportNotAList');
  });

  it('reports YAML errors with their line, and writes nothing', () => {
    const result = run(`profileList:\n  - display_name: A\n   bad: indent\n`);
    expect(result.ok).toBe(false);
    expect(result.files).toEqual([]);
    expect(result.issues[0]).toMatchObject({ code: 'ImportYamlSyntax', file: 'values.yaml' });
    expect(result.issues[0]?.line).toBeGreaterThan(1);
  });

  it('refuses a profile without display_name (KubeSpawner fails at spawn on it)', () => {
    const result = run(`profileList:\n  - slug: a\n`);
    expect(result.ok).toBe(false);
    expect(result.issues[0]).toMatchObject({ code: 'ImportInvalidProfile', line: 2 });
  });
});

describe('reading the values file as Helm does', () => {
  const text = `# comments are fine
x-defaults:
  override: &base
    image: quay.io/jupyter/scipy-notebook:2024-03-18
    default: true
    node_selector:
      node.kubernetes.io/instance-type: r5.xlarge
singleuser:
  profileList:
    - display_name: First
      kubespawner_override:
        <<: *base
        cpu_limit: 2
    - display_name: Second
      kubespawner_override: *base
      profile_options:
        env:
          display_name: Flag
          choices:
            on:
              display_name: "On"
              kubespawner_override:
                environment: {ENABLED: yes, COUNT: 3}
`;

  it('resolves merge keys and aliases, copies shared parts, and names the line where a problem is written', () => {
    const result = run(text);
    expect(result.profiles).toEqual(['first', 'second']);
    const files = data(result.files);
    expect(files['content/profiles/first.yaml']).toMatchObject({
      images: [{ image: 'scipy-notebook' }],
      node_groups: [{ node_group: 'r5-xlarge' }],
      size: { cpu_limit: 2 },
    });
    expect(files['content/profiles/second.yaml']).toMatchObject({ images: [{ image: 'scipy-notebook' }] });
    const defaults = result.issues.filter((i) => i.code === 'ImportDefaultInOverride');
    // Both profiles reach the same `default: true`, written once on line 5 (inside the anchor).
    expect(defaults.map((i) => i.line)).toEqual([5, 5]);
    expect(defaults[0]?.field).toBe('singleuser.profileList[0].kubespawner_override.default');
  });

  it('reads YAML 1.1 booleans as Helm does, and turns them into text for environment variables', () => {
    const result = run(text);
    // `on` is a boolean key in YAML 1.1, as Helm reads it: the choice key becomes "true".
    const second = data(result.files)['content/profiles/second.yaml'] as {
      options: { choices: { key: string; environment: unknown }[] }[];
    };
    expect(second.options[0]?.choices[0]).toMatchObject({
      key: 'true',
      environment: [
        { name: 'ENABLED', value: 'True' },
        { name: 'COUNT', value: '3' },
      ],
    });
    const converted = result.issues.filter((i) => i.code === 'ImportValueConverted');
    expect(converted.map((i) => i.line)).toEqual([23, 23]);
  });
});

describe('comments', () => {
  it('carries the comments of a profile, a menu and a choice to the same place in the content file', () => {
    const result = run(`profileList:
  # Everyone starts here
  - display_name: A
    kubespawner_override:
      # dedicated nodes
      node_selector: {node.kubernetes.io/instance-type: r5.xlarge}
    profile_options:
      image: # requested in ticket 12
        display_name: Environment
        choices:
          rocker: # repurposed
            display_name: Rocker
            kubespawner_override:
              image: rocker/binder:4.4
                # launch RStudio
              default_url: /rstudio
`);
    const text = result.files.find((f) => f.path === 'content/profiles/a.yaml')?.text;
    expect(text).toMatch(/^# Imported by .*\n# Everyone starts here\n# dedicated nodes\n/);
    expect(text).toContain('options:\n  # requested in ticket 12\n  - key: image');
    expect(text).toContain('choices:\n      # repurposed\n      # launch RStudio\n      - key: rocker');
    expect(validateContent(result.files).ok).toBe(true);
  });
});

describe('content entries', () => {
  it('de-duplicates images by reference and node groups by selector and tolerations', () => {
    const result = run(`profileList:
  - display_name: CPU
    kubespawner_override:
      image: quay.io/pangeo/pangeo-notebook:2024.01.01
      node_selector: {node.kubernetes.io/instance-type: r5.xlarge}
  - display_name: Also CPU
    kubespawner_override:
      image: quay.io/pangeo/pangeo-notebook:2024.01.01
      node_selector: {node.kubernetes.io/instance-type: r5.xlarge}
  - display_name: Tainted
    kubespawner_override:
      image: quay.io/pangeo/pangeo-notebook:2024.02.02
      node_selector: {node.kubernetes.io/instance-type: r5.xlarge}
      tolerations: [{key: dedicated, operator: Equal, value: big, effect: NoSchedule}]
`);
    expect(result.images).toEqual(['pangeo-notebook', 'pangeo-notebook-2024-02-02']);
    expect(result.nodeGroups).toEqual(['r5-xlarge', 'r5-xlarge-2']);
    expect(data(result.files)['content/node-groups/r5-xlarge-2.yaml']).toEqual({
      display_name: 'r5.xlarge',
      node_selector: { 'node.kubernetes.io/instance-type': 'r5.xlarge' },
      tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'big', effect: 'NoSchedule' }],
    });
    expect(validateContent(result.files).ok).toBe(true);
  });

  it("reuses the project's images and node groups, and never takes their ids for something else", () => {
    const existing: SourceFile[] = [
      {
        path: 'content/images/scipy.yaml',
        text: 'display_name: SciPy\nimage: quay.io/jupyter/scipy-notebook:1\n',
      },
      {
        path: 'content/images/pangeo-notebook.yaml',
        text: 'display_name: Old\nimage: quay.io/pangeo/pangeo-notebook:0\n',
      },
      {
        path: 'content/node-groups/small.yaml',
        text: 'display_name: Small\nnode_selector: {node.kubernetes.io/instance-type: r5.xlarge}\n',
      },
    ];
    const result = run(
      `profileList:
  - display_name: A
    kubespawner_override:
      image: quay.io/jupyter/scipy-notebook:1
      node_selector: {node.kubernetes.io/instance-type: r5.xlarge}
  - display_name: B
    kubespawner_override: {image: quay.io/pangeo/pangeo-notebook:1}
`,
      { existing },
    );
    expect(result.nodeGroups).toEqual([]);
    expect(result.images).toEqual(['pangeo-notebook-1']);
    expect(data(result.files)['content/profiles/a.yaml']).toMatchObject({
      images: [{ image: 'scipy' }],
      node_groups: [{ node_group: 'small' }],
    });
  });

  it('takes singleuser.image and singleuser.defaultUrl into settings.yaml, unless it exists', () => {
    const text = `singleuser:
  defaultUrl: /lab
  image: {name: quay.io/jupyter/base-notebook, tag: '2024-03-18'}
  profileList: [{display_name: A}]
`;
    expect(data(run(text).files)['content/settings.yaml']).toEqual({
      default_image: 'base-notebook',
      default_url: '/lab',
    });
    const kept = run(text, { existing: [{ path: 'content/settings.yaml', text: 'default_url: /tree\n' }] });
    expect(kept.files.map((f) => f.path)).not.toContain('content/settings.yaml');
    expect(codes(kept.issues)).toContain('ImportSettingsKept');
  });

  it('derives a missing slug as KubeSpawner does, and keeps a slug that cannot be a file name in `slug`', () => {
    const result = run(`profileList:
  - display_name: "GPU (NVIDIA T4) \u2014 16 GiB"
  - {display_name: B, slug: Big_One}
  - {display_name: C, slug: big-one}
  - {display_name: D, slug: 02-R}
`);
    // Big_One's file name is derived, and never takes the id of a profile whose slug is a file name already.
    expect(result.profiles).toEqual(['gpu-nvidia-t4-16-gib', 'big-one-2', 'big-one', '02-r']);
    expect(codes(result.issues)).toEqual([]);
    const files = data(result.files);
    expect(files['content/profiles/gpu-nvidia-t4-16-gib.yaml']).not.toHaveProperty('slug');
    expect(files['content/profiles/big-one-2.yaml']).toMatchObject({ slug: 'Big_One' });
    expect(files['content/profiles/big-one.yaml']).not.toHaveProperty('slug');
    expect(files['content/profiles/02-r.yaml']).toMatchObject({ slug: '02-R' });
    const validation = validateContent(result.files);
    expect(validation.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(generateOutputs(validation.resolved).profileList.map((p) => p.slug)).toEqual([
      'gpu-nvidia-t4-16-gib',
      'Big_One',
      'big-one',
      '02-R',
    ]);
  });

  it('still gives the second of two profiles with the same slug another one, since KubeSpawner never started it', () => {
    const result = run(`profileList:
  - {display_name: B, slug: big}
  - {display_name: C, slug: big}
  - {display_name: D, slug: big-2}
`);
    expect(codes(result.issues)).toEqual(['ImportDuplicateSlug']);
    // Never one that a later profile has: users who saved "big-2" keep getting D.
    expect(result.profiles).toEqual(['big', 'big-3', 'big-2']);
  });

  it('refuses, naming it, a slug or key the spawn form cannot carry, and never renames it', () => {
    const result = run(`profileList:
  - display_name: A
    slug: "a b"
    profile_options:
      res--cpu:
        display_name: R
        choices:
          unlisted-choice: {display_name: X}
          'x"y': {display_name: Y}
          ok_1: {display_name: Z}
`);
    expect(result.ok).toBe(false);
    const errors = result.issues.filter((i) => i.severity === 'error');
    expect(errors.map((i) => `${i.code} ${i.line} ${i.field}`)).toEqual([
      'ImportInvalidKey 3 profileList[0].slug',
      'ImportInvalidKey 5 profileList[0].profile_options.res--cpu',
      'ImportInvalidKey 8 profileList[0].profile_options.res--cpu.choices.unlisted-choice',
      'ImportInvalidKey 9 profileList[0].profile_options.res--cpu.choices.x"y',
    ]);
    expect(errors[0]?.message).toMatch(/slug "a b".*cannot be kept: it contains whitespace/);
    expect(errors[1]?.message).toMatch(/menu "res--cpu".*"--"/);
    expect(errors[2]?.message).toMatch(/"unlisted-choice" is reserved/);
    expect(errors[3]?.message).toMatch(/choice "x"y".*contains "\\""/);
    for (const issue of errors) {
      expect(issue.message).toContain('never renames');
      expect(issue.hint).toContain('values file');
    }
    expect(codes(result.issues)).not.toContain('ImportKeyRenamed');
  });
});

describe('friendly fields and the general form', () => {
  it('uses images, custom_image and sizes when the menus match them exactly', () => {
    const text = `profileList:
  - display_name: Friendly
    kubespawner_override:
      node_selector: {node.kubernetes.io/instance-type: r5.xlarge}
      environment: {JUPYTER_ENABLE_LAB: "yes"}
      default_url: /lab
      working_dir: /home/jovyan
    profile_options:
      image:
        display_name: Image
        choices:
          scipy: {display_name: SciPy, kubespawner_override: {image: quay.io/jupyter/scipy-notebook:1}}
          r: {display_name: R, default: true, kubespawner_override: {image: quay.io/jupyter/r-notebook:1}}
        unlisted_choice:
          enabled: true
          display_name: Your image
          validation_regex: ^.+:.+$
          validation_message: name:tag
          kubespawner_override: {image: '{value}'}
      size:
        display_name: Size
        choices:
          small: {display_name: Small, kubespawner_override: {mem_limit: 2G, cpu_limit: 1}}
          large: {display_name: Large, kubespawner_override: {mem_limit: 8G, cpu_limit: 4, extra_resource_limits: {nvidia.com/gpu: "1"}}}
`;
    const result = run(text);
    expect(result.issues).toEqual([]);
    expect(data(result.files)['content/profiles/friendly.yaml']).toEqual({
      display_name: 'Friendly',
      order: 10,
      images: [{ image: 'scipy' }, { image: 'r', default: true }],
      custom_image: {
        enabled: true,
        label: 'Your image',
        validation_regex: '^.+:.+$',
        validation_message: 'name:tag',
      },
      node_groups: [{ node_group: 'r5-xlarge' }],
      sizes: [
        { key: 'small', display_name: 'Small', mem_limit: '2G', cpu_limit: 1 },
        { key: 'large', display_name: 'Large', mem_limit: '8G', cpu_limit: 4, gpus: 1 },
      ],
      environment: [{ name: 'JUPYTER_ENABLE_LAB', value: 'yes' }],
      default_url: '/lab',
      advanced: { working_dir: '/home/jovyan' },
    });
    const validation = validateContent(result.files);
    expect(validation.ok).toBe(true);
    const original = (parse(text) as { profileList: unknown[] }).profileList;
    expect(profileListMeaning(generateOutputs(validation.resolved).profileList)).toEqual(
      profileListMeaning(original),
    );
  });

  it('keeps the general form where a menu sets more than one thing or comes after a general menu', () => {
    const result = run(`profileList:
  - display_name: General
    profile_options:
      resources:
        display_name: Resources
        choices:
          a: {display_name: A, kubespawner_override: {mem_limit: 1G}}
      image:
        display_name: Image
        choices:
          scipy: {display_name: SciPy, kubespawner_override: {image: quay.io/jupyter/scipy-notebook:1}}
          r: {display_name: R, kubespawner_override: {image: quay.io/jupyter/r-notebook:1, image_pull_policy: Always}}
`);
    const profile = data(result.files)['content/profiles/general.yaml'] as { options: { key: string }[] };
    expect(profile.options.map((o) => o.key)).toEqual(['resources', 'image']);
    expect(profile).not.toHaveProperty('images');
  });
});

describe('problems in the source', () => {
  const text = `profileList:
  - display_name: A
    default: true
    kubespawner_override:
      mem_limit: null
      imag: typo
      cpu_limit: "500m"
    profile_options:
      resource_allocation:
        display_name: Resources
        dynamic_image_building: {enabled: true}
        kubespawner_override: {mem_limit: 1G}
        choices:
          Mem_1:
            display_name: One
            description: Shown nowhere
            slug: one
            default: true
            kubespawner_override: {mem_guarantee: 1G, default: true}
          mem_2:
            display_name: Two
            default: true
            kubespawner_override: {mem_guarantee: 2Gi}
  - display_name: B
    default: true
`;
  const result = run(text);
  const at = (code: string) =>
    result.issues.filter((i) => i.code === code).map((i) => `${i.line} ${i.field}`);

  it('reports each at its line and field, and still imports the rest', () => {
    expect(result.ok).toBe(true);
    expect(at('ImportDefaultInOverride')).toEqual([
      '19 profileList[0].profile_options.resource_allocation.choices.Mem_1.kubespawner_override.default',
    ]);
    expect(at('ImportExtraDefault')).toEqual([
      '22 profileList[0].profile_options.resource_allocation.choices.mem_2.default',
      '25 profileList[1].default',
    ]);
    // Keys are kept as they are: `resource_allocation`, `Mem_1`, `mem_2`.
    expect(at('ImportKeyRenamed')).toEqual([]);
    const profile = Object.values(data(result.files)).find(
      (d) => (d as { display_name?: string }).display_name === 'A',
    ) as { options: { key: string; choices: { key: string }[] }[] };
    expect(profile.options.map((o) => [o.key, o.choices.map((c) => c.key)])).toEqual([
      ['resource_allocation', ['Mem_1', 'mem_2']],
    ]);
    expect(at('ImportIgnoredKey')).toEqual([
      '11 profileList[0].profile_options.resource_allocation.dynamic_image_building',
      '12 profileList[0].profile_options.resource_allocation.kubespawner_override',
      '16 profileList[0].profile_options.resource_allocation.choices.Mem_1.description',
      '17 profileList[0].profile_options.resource_allocation.choices.Mem_1.slug',
    ]);
    expect(at('ImportUnknownKey')).toEqual(['6 profileList[0].kubespawner_override.imag']);
    expect(at('ImportValueConverted')).toEqual([
      '7 profileList[0].kubespawner_override.cpu_limit',
      '23 profileList[0].profile_options.resource_allocation.choices.mem_2.kubespawner_override.mem_guarantee',
    ]);
    expect(result.issues.find((i) => i.code === 'ImportNullDropped')?.message).toContain(
      'That is the same unless the hub-wide singleuser.memory.limit is set.',
    );
  });

  it('says what a dropped null changes when the same file sets the hub-wide value', () => {
    const hubWide = run(`singleuser:
  memory: {limit: 4G}
  profileList:
    - display_name: A
      kubespawner_override: {mem_limit: null, mem_guarantee: null}
`);
    expect(hubWide.issues.map((i) => i.message)).toEqual([
      expect.stringContaining('z2jh sets singleuser.memory.guarantee to 1G by default'),
      expect.stringContaining(
        'This file sets singleuser.memory.limit to "4G" for the whole hub, so this profile now gets that value.',
      ),
    ]);
  });

  it('keeps the first default, as KubeSpawner starts it', () => {
    const files = data(result.files);
    expect(files['content/profiles/a.yaml']).toMatchObject({
      default: true,
      size: { cpu_limit: 0.5 },
      options: [
        {
          key: 'resource_allocation',
          choices: [
            { key: 'Mem_1', default: true, size: { mem_guarantee: '1G' } },
            { key: 'mem_2', size: { mem_guarantee: '2Gi' } },
          ],
        },
      ],
    });
    expect(files['content/profiles/b.yaml']).not.toHaveProperty('default');
    expect(validateContent(result.files).ok).toBe(true);
  });

  it('reports a null that used to reset a value set earlier as a change', () => {
    const changed = run(`profileList:
  - display_name: A
    kubespawner_override: {mem_limit: 4G}
    profile_options:
      size:
        display_name: Size
        choices:
          unlimited: {display_name: No limit, kubespawner_override: {mem_limit: null}}
`);
    expect(changed.issues.map((i) => `${i.code} ${i.line}`)).toEqual(['ImportNullNotExpressible 8']);
  });

  it('keeps KubeSpawner settings content has no field for under advanced, and reports those it cannot hold', () => {
    const advanced = run(`profileList:
  - display_name: A
    kubespawner_override:
      image_pull_policy: Always
      extra_resource_limits: {nvidia.com/gpu: "1", example.com/fpga: "1"}
      tolerations: [{key: a, operator: Exists}]
      environment: {FROM_SECRET: {valueFrom: {secretKeyRef: {name: s, key: k}}}}
      profile_list: []
`);
    expect(data(advanced.files)['content/profiles/a.yaml']).toMatchObject({
      advanced: {
        image_pull_policy: 'Always',
        extra_resource_limits: { 'nvidia.com/gpu': '1', 'example.com/fpga': '1' },
      },
    });
    expect(advanced.issues.map((i) => `${i.code} ${i.line}`)).toEqual([
      'ImportNotExpressible 6',
      'ImportNotExpressible 7',
      'ImportUnknownKey 8',
    ]);
  });
});

describe('the "Other..." entry', () => {
  const menu = (extra: string, choiceExtra: string, other = '') => `profileList:
  - display_name: A
    profile_options:
      image:
        display_name: Image
        choices:
          one: {display_name: One, kubespawner_override: {image: quay.io/a/one:1${choiceExtra}}}
        unlisted_choice:
          enabled: true
          display_name: Custom
          validation_regex: ^.+:.+$
          validation_message: name:tag
          kubespawner_override: {image: '{value}'${extra}}
${other}`;

  it('moves a further setting to the profile when every choice of the menu has the same', () => {
    const result = run(menu(', image_pull_policy: Always', ', image_pull_policy: Always'));
    expect(codes(result.issues)).toEqual(['ImportCustomImageSettingMoved']);
    expect(data(result.files)['content/profiles/a.yaml']).toMatchObject({
      advanced: { image_pull_policy: 'Always' },
    });
  });

  it('reports it, and leaves it out, when moving it would change other choices', () => {
    expect(codes(run(menu(', image_pull_policy: Always', '')).issues)).toEqual(['ImportNotExpressible']);
    const typed = run(menu(`, environment: {TYPED: '{value}'}`, ''));
    expect(typed.issues.map((i) => `${i.code} ${i.line}`)).toEqual(['ImportNotExpressible 13']);
  });

  it('is left out, with a warning, when it does not set the image from the typed text', () => {
    const result = run(menu('', '').replace(`{image: '{value}'}`, `{image: 'quay.io/{value}'}`));
    expect(codes(result.issues)).toEqual(['ImportNotExpressible']);
    expect(JSON.stringify(data(result.files))).not.toContain('custom_image');
  });

  it('says where content adds its own defaults', () => {
    const bare = `profileList:
  - display_name: A
    profile_options:
      image:
        display_name: Image
        choices: {}
        unlisted_choice: {enabled: true, kubespawner_override: {image: '{value}'}}
`;
    expect(codes(run(bare).issues)).toEqual(['ImportCustomImageDefault', 'ImportCustomImageDefault']);
  });
});

describe('the allow-list of advanced keys', () => {
  it('names the line of every key the project does not allow', () => {
    const result = run(
      `profileList:
  - display_name: A
    kubespawner_override:
      working_dir: /home/jovyan
      privileged: true
`,
      { advancedAllowedKeys: ['working_dir'] },
    );
    expect(result.ok).toBe(false);
    expect(result.issues.map((i) => `${i.code} ${i.line}`)).toEqual(['ImportKeyNotAllowed 5']);
    expect(result.issues[0]?.hint).toContain('advanced.allowed_keys in configurator.yaml');
  });
});

describe('slugs', () => {
  it('renames keys deterministically', () => {
    expect(toSlug('mem_7_gb')).toBe('mem-7-gb');
    expect(toSlug('02-R')).toBe('02-r');
    expect(toSlug('__A..b__')).toBe('a-b');
    expect(toSlug('x'.repeat(70))).toHaveLength(63);
  });

  it('derives profile slugs like the test helper that mirrors python-slugify', () => {
    for (const name of [
      'Demo - profile_list entry 1',
      "it's",
      '0.5 NVIDIA Tesla T4, ~1.5 CPU (~8 GB CPU RAM)',
    ]) {
      expect(pythonSlugify(name)).toBe(helperSlugify(name));
    }
  });
});
