import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createImageChecker } from '../../src/registry/checker.ts';
import type { Clock } from '../../src/registry/types.ts';
import { buildOciLayout, pushImage, type OciLayout } from './helpers/images.ts';
import { requireTools } from './helpers/processes.ts';
import { startProxy, type TestProxy } from './helpers/proxy.ts';
import { startRegistry, type TestRegistry } from './helpers/registry.ts';

describe('the result cache', () => {
  let registry: TestRegistry;
  let layout: OciLayout;
  let proxy: TestProxy;
  let dir: string;
  let now = Date.now();
  const clock: Clock = { now: () => now, sleep: async (ms) => void (now += ms) };
  const heads = (): number => proxy.requests.filter((r) => r.method === 'HEAD').length;

  beforeAll(async () => {
    requireTools('docker-registry', 'skopeo');
    [registry, layout, dir] = await Promise.all([
      startRegistry(),
      buildOciLayout(),
      mkdtemp(path.join(tmpdir(), 'z2jh-cache-')),
    ]);
    await pushImage(layout, 'single', `${registry.host}/test/tiny:v1`);
    proxy = await startProxy(registry.host);
  }, 120_000);

  afterAll(async () => {
    await proxy?.stop();
    await registry?.stop();
    await layout?.remove();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('reuses results by reference, in memory and in a JSON file across checkers, until the TTL has passed', async () => {
    const cacheFile = path.join(dir, '.cache', 'image-checks.json');
    const settings = { cacheFile, cacheTtlMs: 3_600_000 };
    const references = [`${proxy.host}/test/tiny:v1`, `${proxy.host}/test/tiny:nope`];
    const first = await createImageChecker({ settings, clock }).checkMany(references);
    expect([...first.values()].map((r) => [r.status, r.cached])).toEqual([
      ['exists', undefined],
      ['not-found', undefined],
    ]);
    expect(heads()).toBe(2);

    const stored = JSON.parse(await readFile(cacheFile, 'utf8')) as { version: number; results: object };
    expect(stored.version).toBe(1);
    expect(Object.keys(stored.results)).toEqual([
      `${proxy.host}/test/tiny:nope`,
      `${proxy.host}/test/tiny:v1`,
    ]);

    const second = await createImageChecker({ settings, clock }).checkMany(references);
    expect([...second.values()].map((r) => r.cached)).toEqual([true, true]);
    expect(second.get(references[0] ?? '')?.digest).toBe(layout.singleDigest);
    expect(heads()).toBe(2);

    now += 6 * 60_000; // a negative answer is kept 5 minutes at most, so a freshly pushed image is seen soon
    const third = await createImageChecker({ settings, clock }).checkMany(references);
    expect([...third.values()].map((r) => r.cached)).toEqual([true, undefined]);
    expect(heads()).toBe(3);

    now += 3_600_000;
    await createImageChecker({ settings, clock }).checkMany(references);
    expect(heads()).toBe(5);
  });

  it('asks again when told to refresh, and shares one request between callers asking at once', async () => {
    const checker = createImageChecker({ clock });
    const before = heads();
    const reference = `${proxy.host}/test/tiny:v1`;
    const same = await Promise.all([
      checker.check(reference),
      checker.check(reference),
      checker.check(reference),
    ]);
    expect(same.map((r) => r.status)).toEqual(['exists', 'exists', 'exists']);
    expect(heads() - before).toBe(1);
    await checker.check(reference);
    expect(heads() - before).toBe(1);
    await checker.check(reference, { refresh: true });
    expect(heads() - before).toBe(2);
  });

  it('asks once for references that name the same manifest differently (a digest wins over a tag)', async () => {
    const checker = createImageChecker({ clock });
    const before = heads();
    const byDigest = `${proxy.host}/test/tiny@${layout.singleDigest}`;
    const withTag = `${proxy.host}/test/tiny:v1@${layout.singleDigest}`;
    const results = await checker.checkMany([byDigest, withTag]);
    expect([...results.keys()]).toEqual([byDigest, withTag]);
    expect([...results.values()].map((r) => [r.reference, r.status])).toEqual([
      [byDigest, 'exists'],
      [withTag, 'exists'],
    ]);
    expect(heads() - before).toBe(1);
  });
});
