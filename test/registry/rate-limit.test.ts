import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createImageChecker } from '../../src/registry/checker.ts';
import type { Clock } from '../../src/registry/types.ts';
import { buildOciLayout, pushImage, type OciLayout } from './helpers/images.ts';
import { requireTools } from './helpers/processes.ts';
import { startProxy, type Intercept, type TestProxy } from './helpers/proxy.ts';
import { startRegistry, type TestRegistry } from './helpers/registry.ts';

/** Moves time forward instead of waiting, and remembers each wait. */
function fakeClock(): Clock & { waits: number[] } {
  let now = Date.now();
  const waits: number[] = [];
  return { waits, now: () => now, sleep: async (ms) => void (waits.push(ms), (now += ms)) };
}

describe('rate limits and failing registries (a proxy in front of a real registry)', () => {
  let registry: TestRegistry;
  let layout: OciLayout;
  const proxies: TestProxy[] = [];
  const proxy = async (intercept: Intercept): Promise<TestProxy> => {
    const started = await startProxy(registry.host, { intercept });
    proxies.push(started);
    return started;
  };
  const isHead = (method: string | undefined, url: string | undefined): boolean =>
    method === 'HEAD' && (url ?? '').includes('/manifests/');

  beforeAll(async () => {
    requireTools('docker-registry', 'skopeo');
    [registry, layout] = await Promise.all([startRegistry(), buildOciLayout()]);
    await pushImage(layout, 'single', `${registry.host}/test/tiny:v1`);
  }, 120_000);

  afterAll(async () => {
    await Promise.all(proxies.map((p) => p.stop()));
    await registry?.stop();
    await layout?.remove();
  });

  it('waits as Retry-After asks after a 429, then gets the 200', async () => {
    let limited = 0;
    const front = await proxy((request, response) => {
      if (!isHead(request.method, request.url) || limited++ > 0) return false;
      response.writeHead(429, { 'Retry-After': '1' }).end();
      return true;
    });
    const started = Date.now();
    const result = await createImageChecker().check(`${front.host}/test/tiny:v1`);
    expect(result).toMatchObject({ status: 'exists', digest: layout.singleDigest });
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(front.requests.filter((r) => isHead(r.method, r.path))).toHaveLength(2);
  });

  it('honours Retry-After as an HTTP date, also on the /v2/ ping', async () => {
    let limited = 0;
    const front = await proxy((request, response) => {
      if (request.url !== '/v2/' || limited++ > 0) return false;
      response.writeHead(429, { 'Retry-After': new Date(Date.now() + 2_000).toUTCString() }).end();
      return true;
    });
    const clock = fakeClock();
    const result = await createImageChecker({ clock }).check(`${front.host}/test/tiny:v1`);
    expect(result.status).toBe('exists');
    expect(clock.waits).toHaveLength(1);
    expect(clock.waits[0]).toBeGreaterThan(0);
    expect(clock.waits[0]).toBeLessThanOrEqual(2_000);
  });

  it('reports rate-limited, with the wait asked for, when the registry asks for more than it is worth waiting', async () => {
    const front = await proxy((request, response) => {
      if (!isHead(request.method, request.url)) return false;
      response.writeHead(429, { 'Retry-After': '120' }).end();
      return true;
    });
    const clock = fakeClock();
    const result = await createImageChecker({ clock }).check(`${front.host}/test/tiny:v1`);
    expect(result).toMatchObject({ status: 'rate-limited', retryAfterSeconds: 120 });
    expect(result.message).toContain('429 Too Many Requests');
    expect(result.message).toContain('wait 120 s');
    expect(clock.waits).toEqual([]);
  });

  it('backs off exponentially without Retry-After, then reports rate-limited', async () => {
    const front = await proxy((request, response) => {
      if (!isHead(request.method, request.url)) return false;
      response.writeHead(429).end();
      return true;
    });
    const clock = fakeClock();
    const result = await createImageChecker({ clock, maxRetries: 3 }).check(`${front.host}/test/tiny:v1`);
    expect(result.status).toBe('rate-limited');
    expect(clock.waits).toEqual([1000, 2000, 4000]);
    expect(front.requests.filter((r) => isHead(r.method, r.path))).toHaveLength(4);
  });

  it('reports a 5xx as could-not-check, not as a missing image', async () => {
    const front = await proxy((request, response) => {
      if (!isHead(request.method, request.url)) return false;
      response.writeHead(503).end();
      return true;
    });
    const result = await createImageChecker().check(`${front.host}/test/tiny:v1`);
    expect(result.status).toBe('could-not-check');
    expect(result.message).toContain('answered 503');
  });

  it('reads the digest from a GET when HEAD gives none', async () => {
    const front = await proxy((request, response) => {
      if (!isHead(request.method, request.url)) return false;
      response.writeHead(405).end();
      return true;
    });
    const result = await createImageChecker().check(`${front.host}/test/tiny:v1`);
    expect(result).toMatchObject({ status: 'exists', digest: layout.singleDigest });
  });
});
