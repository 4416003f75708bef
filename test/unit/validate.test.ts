import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { validateContent } from '../../src/lib/validate.ts';
import { checkPythonRegexSyntax } from '../../src/lib/python-regex.ts';
import { sampleFiles, withFiles } from '../helpers/content.ts';
import type { SourceFile } from '../../src/lib/catalog.ts';

const files = await sampleFiles();
const text = (path: string) => files.find((f) => f.path === path)!.text;
const data = (path: string) => parse(text(path)) as Record<string, unknown>;
const lineContaining = (yamlText: string, needle: string) =>
  yamlText.split('\n').findIndex((l) => l.includes(needle)) + 1;
const validate = (changed: SourceFile[]) =>
  validateContent(changed, { checkPythonRegex: checkPythonRegexSyntax });

describe('the sample content', () => {
  it('is valid, with no warnings', () => {
    const result = validate(files);
    expect(result.issues).toEqual([]);
    expect(result.ok).toBe(true);
  });
});

interface Case {
  name: string;
  changes: Record<string, unknown>;
  code: string;
  file: string;
  field?: string;
  line?: number;
  message: RegExp;
  severity?: 'error' | 'warning';
}

const dataScience = 'content/profiles/data-science.yaml';
const gpu = 'content/profiles/gpu.yaml';
const scipy = 'content/images/scipy.yaml';

const cases: Case[] = [
  {
    name: 'reports a YAML syntax error with its line',
    changes: { [scipy]: 'display_name: SciPy\nimage: [unclosed\n' },
    code: 'YamlSyntax',
    file: scipy,
    message: /not valid YAML/,
  },
  {
    name: 'rejects an unknown key with its line',
    changes: { [gpu]: `${text(gpu)}gpu_count: 2\n` },
    code: 'UnknownKey',
    file: gpu,
    field: 'gpu_count',
    line: text(gpu).split('\n').length,
    message: /"gpu_count" is not a known field/,
  },
  {
    name: 'rejects a wrong type',
    changes: { [gpu]: { ...data(gpu), order: 'third' } },
    code: 'WrongType',
    file: gpu,
    field: 'order',
    message: /order must be a whole number/,
  },
  {
    name: 'rejects a missing required field',
    changes: { [scipy]: { display_name: 'SciPy' } },
    code: 'MissingField',
    file: scipy,
    message: /required field "image" is missing/,
  },
  {
    name: 'rejects an upper-case repository name',
    changes: { [scipy]: { display_name: 'SciPy', image: 'quay.io/Jupyter/scipy-notebook:1' } },
    code: 'ImageUppercase',
    file: scipy,
    field: 'image',
    line: 2,
    message: /Image "scipy"/,
  },
  {
    name: 'rejects an empty tag',
    changes: { [scipy]: { display_name: 'SciPy', image: 'quay.io/jupyter/scipy-notebook:' } },
    code: 'ImageEmptyTag',
    file: scipy,
    message: /Image "scipy"/,
  },
  {
    name: 'rejects a malformed digest',
    changes: { [scipy]: { display_name: 'SciPy', image: 'quay.io/jupyter/scipy-notebook@sha256:1234' } },
    code: 'ImageBadDigest',
    file: scipy,
    message: /Image "scipy"/,
  },
  {
    name: 'rejects an image without tag or digest',
    changes: { [scipy]: { display_name: 'SciPy', image: 'quay.io/jupyter/scipy-notebook' } },
    code: 'ImageMissingTag',
    file: scipy,
    message: /names no tag or digest/,
  },
  {
    name: 'warns about :latest',
    changes: { [scipy]: { display_name: 'SciPy', image: 'quay.io/jupyter/scipy-notebook:latest' } },
    code: 'ImageLatestTag',
    file: scipy,
    severity: 'warning',
    message: /uses the tag "latest"/,
  },
  {
    name: 'trims and reports spaces around an image reference',
    changes: { [scipy]: 'display_name: SciPy\nimage: "  quay.io/jupyter/scipy-notebook:2024-03-18  "\n' },
    code: 'ImageTrimmed',
    file: scipy,
    line: 2,
    severity: 'warning',
    message: /had spaces around it/,
  },
  {
    name: 'rejects a file name that is not a valid id',
    changes: { 'content/images/SciPy_2.yaml': { display_name: 'x', image: 'quay.io/a/b:1' } },
    code: 'InvalidId',
    file: 'content/images/SciPy_2.yaml',
    message: /not a valid id/,
  },
  {
    name: 'rejects a size key that is not a slug',
    changes: {
      [dataScience]: {
        ...data(dataScience),
        sizes: [{ key: 'Small_1', display_name: 'S', cpu_limit: 1 }],
      },
    },
    code: 'InvalidSlug',
    file: dataScience,
    field: 'sizes[0].key',
    message: /not a valid id or key/,
  },
  {
    name: 'rejects the reserved key unlisted-choice',
    changes: {
      [dataScience]: {
        ...data(dataScience),
        sizes: [{ key: 'unlisted-choice', display_name: 'S', cpu_limit: 1 }],
      },
    },
    code: 'ReservedKey',
    file: dataScience,
    field: 'sizes[0].key',
    message: /reserved by KubeSpawner/,
  },
  {
    name: 'rejects two size choices with the same key',
    changes: {
      [dataScience]: {
        ...data(dataScience),
        sizes: [
          { key: 'small', display_name: 'S', cpu_limit: 1 },
          { key: 'small', display_name: 'S2', cpu_limit: 2 },
        ],
      },
    },
    code: 'DuplicateChoiceKey',
    file: dataScience,
    field: 'sizes[1].key',
    message: /two entries with the key "small"/,
  },
  {
    name: 'rejects a profile that lists the same image twice',
    changes: { [dataScience]: { ...data(dataScience), images: [{ image: 'scipy' }, { image: 'scipy' }] } },
    code: 'DuplicateImage',
    file: dataScience,
    field: 'images[1].image',
    message: /lists the image "scipy" twice/,
  },
  {
    name: 'rejects a profile that lists the same node group twice',
    changes: {
      [dataScience]: {
        ...data(dataScience),
        node_groups: [{ node_group: 'small' }, { node_group: 'small' }],
      },
    },
    code: 'DuplicateNodeGroup',
    file: dataScience,
    message: /lists the node group "small" twice/,
  },
  {
    name: 'rejects a reference to an image that does not exist',
    changes: { [gpu]: { ...data(gpu), images: [{ image: 'pytorch-2' }] } },
    code: 'UnknownImage',
    file: gpu,
    field: 'images[0].image',
    line: lineContaining(stringify({ ...data(gpu), images: [{ image: 'pytorch-2' }] }), 'pytorch-2'),
    message: /offers image "pytorch-2", but content\/images\/ has no image/,
  },
  {
    name: 'rejects a reference to a node group that does not exist',
    changes: { [gpu]: { ...data(gpu), node_groups: [{ node_group: 'a100' }] } },
    code: 'UnknownNodeGroup',
    file: gpu,
    message: /offers node group "a100"/,
  },
  {
    name: 'rejects a second default profile',
    changes: { [gpu]: { ...data(gpu), default: true } },
    code: 'MultipleDefaultProfiles',
    file: gpu,
    field: 'default',
    message: /"data-science" and "gpu" are both marked as the default/,
  },
  {
    name: 'rejects two default images',
    changes: {
      [dataScience]: {
        ...data(dataScience),
        images: [
          { image: 'scipy', default: true },
          { image: 'pangeo', default: true },
        ],
      },
    },
    code: 'MultipleDefaults',
    file: dataScience,
    field: 'images[1].default',
    message: /marks both "scipy" and "pangeo" as the default image/,
  },
  {
    name: 'rejects two default node groups',
    changes: {
      [dataScience]: {
        ...data(dataScience),
        node_groups: [
          { node_group: 'small', default: true },
          { node_group: 'large', default: true },
        ],
      },
    },
    code: 'MultipleDefaults',
    file: dataScience,
    message: /default node group/,
  },
  {
    name: 'rejects two default sizes',
    changes: {
      [dataScience]: {
        ...data(dataScience),
        sizes: [
          { key: 'a', display_name: 'A', default: true, cpu_limit: 1 },
          { key: 'b', display_name: 'B', default: true, cpu_limit: 1 },
        ],
      },
    },
    code: 'MultipleDefaults',
    file: dataScience,
    message: /default size/,
  },
  {
    name: 'rejects a memory amount in an unknown unit',
    changes: { [gpu]: { ...data(gpu), size: { mem_limit: '4gb' } } },
    code: 'InvalidMemory',
    file: gpu,
    field: 'size.mem_limit',
    message: /"4gb" in profile "gpu" is not a memory amount/,
  },
  {
    name: 'rejects a guarantee above its limit',
    changes: { [gpu]: { ...data(gpu), size: { mem_guarantee: '8G', mem_limit: '4Gi', gpus: 1 } } },
    code: 'GuaranteeAboveLimit',
    file: gpu,
    field: 'size.mem_guarantee',
    message: /mem_guarantee \(8 GiB\) is above mem_limit \(4 GiB\)/,
  },
  {
    name: 'rejects a CPU guarantee above its limit',
    changes: { [gpu]: { ...data(gpu), size: { cpu_guarantee: 2, cpu_limit: '500m', gpus: 1 } } },
    code: 'GuaranteeAboveLimit',
    file: gpu,
    message: /cpu_guarantee \(2 CPU\) is above cpu_limit \(0.5 CPU\)/,
  },
  {
    name: 'rejects a size bigger than its node group',
    changes: { [gpu]: { ...data(gpu), size: { mem_guarantee: '20G', mem_limit: '20G', gpus: 1 } } },
    code: 'ExceedsNodeCapacity',
    file: gpu,
    field: 'size.mem_guarantee',
    message: /more than a "gpu-t4" node has \(14 GiB\): the pod would never schedule/,
  },
  {
    name: 'rejects more GPUs than the node has',
    changes: { [gpu]: { ...data(gpu), size: { gpus: 2 } } },
    code: 'ExceedsNodeCapacity',
    file: gpu,
    field: 'size.gpus',
    message: /gpus \(2 GPU\(s\)\) is more than a "gpu-t4" node has/,
  },
  {
    name: 'checks every size against every node group a user can combine it with',
    changes: {
      'content/node-groups/small.yaml': {
        display_name: 'Small',
        node_selector: { a: 'b' },
        capacity: { cpu: 3.92, memory: '16Gi' },
      },
    },
    code: 'ExceedsNodeCapacity',
    file: dataScience,
    field: 'sizes[2].mem_guarantee',
    message: /mem_guarantee \(28 GiB\) is more than a "small" node has \(16 GiB\)/,
  },
  {
    name: 'rejects a custom-image pattern that does not compile in JavaScript',
    changes: {
      [dataScience]: { ...data(dataScience), custom_image: { enabled: true, validation_regex: '^[a-z$' } },
    },
    code: 'RegexJavaScript',
    file: dataScience,
    field: 'custom_image.validation_regex',
    message: /does not compile as a JavaScript pattern/,
  },
  {
    name: 'rejects a custom-image pattern that compiles in JavaScript but not in Python',
    changes: {
      [dataScience]: {
        ...data(dataScience),
        custom_image: { enabled: true, validation_regex: '^(?<name>[a-z]+):.+$' },
      },
    },
    code: 'RegexPython',
    file: dataScience,
    message: /does not compile in Python/,
  },
  {
    name: 'rejects a custom-image pattern with a double quote',
    changes: {
      [dataScience]: {
        ...data(dataScience),
        custom_image: { enabled: true, validation_regex: '^[a-z"]+:.+$' },
      },
    },
    code: 'RegexQuote',
    file: dataScience,
    message: /contains a double quote/,
  },
  {
    name: 'rejects an advanced key KubeSpawner does not know',
    changes: { [gpu]: { ...data(gpu), advanced: { workdir: '/home' } } },
    code: 'UnknownOverrideKey',
    file: gpu,
    field: 'advanced.workdir',
    message: /"workdir" is not a KubeSpawner setting/,
  },
  {
    name: 'rejects an advanced key that has its own field',
    changes: { [gpu]: { ...data(gpu), advanced: { mem_limit: '4G' } } },
    code: 'ModelledOverrideKey',
    file: gpu,
    message: /"mem_limit" has its own field/,
  },
  {
    name: 'warns that HTML in a description is shown as text',
    changes: { [gpu]: { ...data(gpu), description: 'Hi <script>alert(1)</script>' } },
    code: 'DescriptionHtml',
    file: gpu,
    severity: 'warning',
    message: /contains HTML; it is shown as text/,
  },
  {
    name: 'rejects a default image in settings that does not exist',
    changes: { 'content/settings.yaml': { default_image: 'nope' } },
    code: 'UnknownImage',
    file: 'content/settings.yaml',
    field: 'default_image',
    message: /default image "nope" does not exist/,
  },
  {
    name: 'rejects both a fixed size and a list of sizes',
    changes: { [dataScience]: { ...data(dataScience), size: { cpu_limit: 1 } } },
    code: 'ConflictingSizes',
    file: dataScience,
    message: /both a fixed size and a list of sizes/,
  },
];

describe('validation', () => {
  it.each(cases)('$name', (c) => {
    const result = validate(withFiles(files, c.changes));
    const match = result.issues.find((i) => i.code === c.code);
    expect(match, JSON.stringify(result.issues, null, 2)).toBeDefined();
    expect(match?.severity).toBe(c.severity ?? 'error');
    expect(match?.file).toBe(c.file);
    expect(match?.message).toMatch(c.message);
    expect(match?.hint).toBeTruthy();
    if (c.field) expect(match?.field).toBe(c.field);
    if (c.line) expect(match?.line).toBe(c.line);
    expect(result.ok).toBe((c.severity ?? 'error') === 'warning');
  });

  it('reports every issue, not only the first', () => {
    const result = validate(
      withFiles(files, {
        [scipy]: { display_name: 'SciPy', image: 'quay.io/Jupyter/x:1' },
        [gpu]: { ...data(gpu), images: [{ image: 'missing' }], default: true },
      }),
    );
    expect(result.issues.map((i) => i.code)).toEqual(
      expect.arrayContaining(['ImageUppercase', 'UnknownImage', 'MultipleDefaultProfiles']),
    );
  });

  it('does not cascade: a profile using a broken image is not told the image is missing', () => {
    const result = validate(withFiles(files, { [scipy]: { display_name: 'SciPy' } }));
    expect(result.issues.map((i) => i.code)).toEqual(['MissingField']);
  });
});
