import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateContent } from '../../src/lib/validate.ts';
import { generateOutputs } from '../../src/lib/outputs.ts';
import type { ProfileListEntry } from '../../src/lib/profile-list.ts';
import { contentImageReferences, imageCheckIssues } from '../../src/registry/issues.ts';
import { pinDigests, pinOutputs } from '../../src/registry/pin.ts';
import { readRegistrySettings, registryKey } from '../../src/registry/settings.ts';
import type { ImageCheckResult, ImageCheckStatus } from '../../src/registry/types.ts';
import { sampleFiles, withFiles } from '../helpers/content.ts';

const DIGEST = `sha256:${'c'.repeat(64)}`;
const result = (reference: string, status: ImageCheckStatus, digest?: string): ImageCheckResult => ({
  reference,
  status,
  message: `${reference} is ${status}.`,
  checkedAt: 0,
  ...(digest === undefined ? {} : { digest }),
});

describe('registry settings from the environment', () => {
  let home: string;
  beforeAll(async () => {
    home = await mkdtemp(path.join(tmpdir(), 'z2jh-settings-'));
  });
  afterAll(() => rm(home, { recursive: true, force: true }));

  it('reads insecure registries, numbers, the cache file and credentials in every form', () => {
    const { settings, problems } = readRegistrySettings(
      {
        CONFIGURATOR_INSECURE_REGISTRIES: 'registry.internal:5000, mirror.lan',
        CONFIGURATOR_REGISTRY_CONCURRENCY: '2',
        CONFIGURATOR_REGISTRY_TIMEOUT: '2.5',
        CONFIGURATOR_IMAGE_CHECK_TTL: '0',
        CONFIGURATOR_IMAGE_CHECK_CACHE: '/tmp/x.json',
        CONFIGURATOR_TAGS_TTL: '120',
        CONFIGURATOR_REGISTRY_AUTH: JSON.stringify({
          'quay.io': 'robot+ci:token:with:colons',
          'ghcr.io': { username: 'me', password: 'pat' },
          'https://index.docker.io/v1/': { auth: Buffer.from('hub:secret').toString('base64') },
        }),
      },
      { home },
    );
    expect(problems).toEqual([]);
    expect(settings).toEqual({
      insecureRegistries: ['registry.internal:5000', 'mirror.lan'],
      concurrency: 2,
      timeoutMs: 2500,
      cacheTtlMs: 0,
      cacheFile: '/tmp/x.json',
      tagsTtlMs: 120_000,
      tagsPageSize: 1000,
      credentials: {
        'quay.io': { username: 'robot+ci', password: 'token:with:colons' },
        'ghcr.io': { username: 'me', password: 'pat' },
        'docker.io': { username: 'hub', password: 'secret' },
      },
    });
  });

  it('says what it could not use, and keeps the defaults', async () => {
    await mkdir(path.join(home, '.docker'), { recursive: true });
    await writeFile(
      path.join(home, '.docker', 'config.json'),
      JSON.stringify({
        auths: { 'quay.io': { auth: Buffer.from('a:b').toString('base64') }, 'x.io': {} },
        credsStore: 'desktop',
      }),
    );
    const { settings, problems } = readRegistrySettings(
      { CONFIGURATOR_REGISTRY_AUTH: '{not json', CONFIGURATOR_REGISTRY_CONCURRENCY: 'many' },
      { home },
    );
    expect(settings.concurrency).toBe(6);
    expect(settings.credentials).toEqual({ 'quay.io': { username: 'a', password: 'b' } });
    expect(problems).toEqual([
      'CONFIGURATOR_REGISTRY_CONCURRENCY="many" is not a number of at least 1; the default is used.',
      expect.stringContaining('names credential helpers (credsStore/credHelpers), which are not run'),
      'CONFIGURATOR_REGISTRY_AUTH is not valid JSON, so it is ignored.',
    ]);
  });

  it.each([
    ['https://index.docker.io/v1/', 'docker.io'],
    ['registry-1.docker.io', 'docker.io'],
    ['http://127.0.0.1:5000/v2/', '127.0.0.1:5000'],
    ['Quay.IO', 'quay.io'],
  ])('names the registry of the config key %s %s', (key, expected) => {
    expect(registryKey(key)).toBe(expected);
  });
});

describe('imageCheckIssues', () => {
  it("puts each result at the image file's image line: not found is an error, the rest warnings (errors when strict)", async () => {
    const files = withFiles(await sampleFiles(), {});
    const { catalog } = validateContent(files);
    const references = contentImageReferences(catalog);
    expect(references).toEqual(catalog.images.map((e) => e.data.image));
    const [first, second, third, fourth] = catalog.images;
    if (!first || !second || !third || !fourth)
      throw new Error('the sample content has fewer than four images');
    const results = new Map([
      [first.data.image, result(first.data.image, 'not-found')],
      [second.data.image, result(second.data.image, 'private-or-missing')],
      [third.data.image, result(third.data.image, 'rate-limited')],
      [fourth.data.image, result(fourth.data.image, 'exists', DIGEST)],
    ]);
    const issues = imageCheckIssues(catalog, results);
    expect(issues.map((i) => [i.code, i.severity, i.file, i.line, i.field])).toEqual([
      ['ImageNotFound', 'error', first.file, first.lineOf(['image']), 'image'],
      ['ImagePrivateOrMissing', 'warning', second.file, second.lineOf(['image']), 'image'],
      ['ImageCheckRateLimited', 'warning', third.file, third.lineOf(['image']), 'image'],
    ]);
    expect(issues[0]?.message).toBe(
      `Image "${first.id}" (${first.data.image}): ${first.data.image} is not-found.`,
    );
    expect(issues[1]?.hint).toContain('CONFIGURATOR_REGISTRY_AUTH');
    expect(imageCheckIssues(catalog, results, { strict: true }).map((i) => i.severity)).toEqual([
      'error',
      'error',
      'error',
    ]);
  });
});

describe('digest pinning', () => {
  const list: ProfileListEntry[] = [
    { display_name: 'A', slug: 'a', kubespawner_override: { image: 'quay.io/a/b:1', cpu_limit: 1 } },
    {
      display_name: 'B',
      slug: 'b',
      profile_options: {
        image: {
          display_name: 'Image',
          choices: {
            one: { display_name: 'One', kubespawner_override: { image: 'quay.io/a/b:1' } },
            two: { display_name: 'Two', kubespawner_override: { image: `quay.io/c/d@${DIGEST}` } },
            three: { display_name: 'Three', kubespawner_override: { image: 'quay.io/e/f:2' } },
          },
          unlisted_choice: {
            enabled: true,
            display_name: 'Other',
            display_name_in_choices: 'Other…',
            validation_regex: '^.+$',
            validation_message: 'x',
            kubespawner_override: { image: '{value}' },
          },
        },
      },
    },
  ];

  it('writes repo:tag@sha256 into profile and choice overrides, never into {value} templates, and reports the rest', () => {
    const results = new Map([
      ['quay.io/a/b:1', result('quay.io/a/b:1', 'exists', DIGEST)],
      ['quay.io/e/f:2', result('quay.io/e/f:2', 'rate-limited')],
    ]);
    const { profileList, report } = pinDigests(list, results);
    expect(profileList[0]?.kubespawner_override).toEqual({ image: `quay.io/a/b:1@${DIGEST}`, cpu_limit: 1 });
    const options = profileList[1]?.profile_options?.['image'];
    expect(options?.choices['one']?.kubespawner_override?.['image']).toBe(`quay.io/a/b:1@${DIGEST}`);
    expect(options?.choices['two']?.kubespawner_override?.['image']).toBe(`quay.io/c/d@${DIGEST}`);
    expect(options?.choices['three']?.kubespawner_override?.['image']).toBe('quay.io/e/f:2');
    expect(options?.unlisted_choice?.kubespawner_override['image']).toBe('{value}');
    expect(report.pinned).toEqual([{ image: 'quay.io/a/b:1', pinnedAs: `quay.io/a/b:1@${DIGEST}` }]);
    expect(report.unpinned.map((u) => [u.image, u.status])).toEqual([
      [`quay.io/c/d@${DIGEST}`, 'unchecked'],
      ['quay.io/e/f:2', 'rate-limited'],
    ]);
    expect(list[0]?.kubespawner_override?.['image']).toBe('quay.io/a/b:1');
  });

  it('pins the sample outputs, values.yaml included, so that z2jh joins name and tag into the pinned image', async () => {
    const { resolved } = validateContent(await sampleFiles());
    const outputs = generateOutputs(resolved);
    const images = Object.values(resolved.imageInfo).map((i) => i.reference);
    const results = new Map(images.map((image) => [image, result(image, 'exists', DIGEST)]));
    const pinned = pinOutputs(outputs, resolved, results);
    expect(pinned.report.unpinned).toEqual([]);
    expect(pinned.outputs.profileListJson).not.toBe(outputs.profileListJson);
    for (const image of images) {
      if (outputs.profileListJson.includes(`"${image}"`)) {
        expect(pinned.outputs.profileListJson).toContain(`"${image}@${DIGEST}"`);
      }
    }
    expect(pinned.outputs.valuesYaml).toContain(`@${DIGEST}`);
    expect(JSON.parse(pinned.outputs.profileListJson)).toEqual(pinned.outputs.profileList);
  });
});
