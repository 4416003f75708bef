import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createImageChecker } from '../../src/registry/checker.ts';
import { checkContentFreshness } from '../../src/registry/content-freshness.ts';
import { checkFreshness } from '../../src/registry/freshness.ts';
import type { Clock } from '../../src/registry/types.ts';
import { requireTools } from './helpers/processes.ts';
import { startProxy, type TestProxy } from './helpers/proxy.ts';
import { startRegistry, type TestRegistry } from './helpers/registry.ts';
import { pushCreatedImage, startPagingProxy, tokenPushAuth, type PagingProxy } from './helpers/tags.ts';
import { startTokenIssuer, type TokenIssuer } from './helpers/token-issuer.ts';

/** Moves time forward instead of waiting, and remembers each wait. */
function fakeClock(): Clock & { waits: number[]; advance(ms: number): void } {
  let now = Date.now();
  const waits: number[] = [];
  return {
    waits,
    now: () => now,
    sleep: async (ms) => void (waits.push(ms), (now += ms)),
    advance: (ms) => void (now += ms),
  };
}

const CREATED = '2024-01-01T00:00:00Z';

describe('newer tags from a real registry (Debian docker-registry on loopback)', () => {
  let registry: TestRegistry;
  let paging: PagingProxy;
  const proxies: TestProxy[] = [];
  let movedFrom = '';
  let movedTo = '';

  beforeAll(async () => {
    requireTools('docker-registry');
    registry = await startRegistry();
    const host = registry.host;
    await pushCreatedImage(
      host,
      'test/dates',
      ['2024-03-18', '2024-04-01', '2024-02-01', '2024-05-06', 'latest', 'main'],
      CREATED,
    );
    await pushCreatedImage(host, 'test/compact', ['20240318', '20240401', '20231231', 'stable'], CREATED);
    await pushCreatedImage(
      host,
      'test/calver',
      ['2026.04.29', '2026.05.01', '2026.5.2rc1', '2027.01.15', '2025.12.31'],
      CREATED,
    );
    await pushCreatedImage(
      host,
      'test/semver',
      ['cuda12-2024-03-18', 'cuda12-2024-04-01', 'cuda11-2025-01-01', 'v5.2.0', 'v5.2.1', 'v5.3.0-rc1', 'v5.10.0', '5.11.0',
        '4.3-python3.11', '4.4-python3.11', '4.4-python3.12', '4.5b1-python3.11', '7', '12', '9'],
      CREATED,
    ); // prettier-ignore
    await pushCreatedImage(host, 'test/hashes', ['a1b2c3d'], '2024-01-01T00:00:00Z');
    await pushCreatedImage(host, 'test/hashes', ['e4f5a6b'], '2024-06-01T00:00:00Z');
    await pushCreatedImage(host, 'test/hashes', ['0c9d8e7'], '2024-03-01T00:00:00Z');
    await pushCreatedImage(host, 'test/hashes', ['0badf00'], '2023-06-01T00:00:00Z');
    await pushCreatedImage(
      host,
      'test/many',
      Array.from({ length: 45 }, (_, i) => `2024.01.${String(i + 1).padStart(2, '0')}`),
      CREATED,
    );
    movedFrom = await pushCreatedImage(host, 'test/moved', ['2024-01-01'], '2024-01-01T00:00:00Z');
    movedTo = await pushCreatedImage(host, 'test/moved', ['2024-01-01'], '2024-01-02T00:00:00Z');
    paging = await startPagingProxy(host);
    proxies.push(paging);
  }, 120_000);

  afterAll(async () => {
    await Promise.all(proxies.map((p) => p.stop()));
    await registry?.stop();
  });

  const check = (reference: string, policy = {}) =>
    checkFreshness(createImageChecker({ cache: false }), `${registry.host}/${reference}`, policy);

  it.each([
    ['dates', 'test/dates:2024-03-18', ['2024-05-06', '2024-04-01']],
    ['compact dates', 'test/compact:20240318', ['20240401']],
    ['calendar versions (no pre-release)', 'test/calver:2026.04.29', ['2027.01.15', '2026.05.01']],
    ['dates with a fixed prefix', 'test/semver:cuda12-2024-03-18', ['cuda12-2024-04-01']],
    [
      'semantic versions with v (no rc, not the unprefixed 5.11.0)',
      'test/semver:v5.2.0',
      ['v5.10.0', 'v5.2.1'],
    ],
    [
      'versions with a fixed suffix (no beta, not python3.12)',
      'test/semver:4.3-python3.11',
      ['4.4-python3.11'],
    ],
    ['plain numbers', 'test/semver:7', ['12', '9']],
  ])('orders %s: newest first, same scheme only', async (_name, reference, newer) => {
    const result = await check(reference);
    expect(result).toMatchObject({ status: 'outdated', newer, newest: newer[0] });
    expect(result.proposal).toBe(`${registry.host}/${reference.replace(/:.*/, `:${newer[0]}`)}`);
  });

  it('says when the newest tag is in use, and gives dates where the tag names one', async () => {
    const result = await check('test/dates:2024-05-06');
    expect(result).toMatchObject({ status: 'up-to-date', newer: [], newest: '2024-05-06' });
    expect((await check('test/dates:2024-03-18')).dates).toMatchObject({ '2024-05-06': '2024-05-06' });
  });

  it('never proposes anything for a moving tag, and says why', async () => {
    const result = await check('test/dates:latest');
    expect(result.status).toBe('cannot-tell');
    expect(result.message).toContain('moving tag');
  });

  it('orders hash tags by the creation time in their configs', async () => {
    const result = await check('test/hashes:a1b2c3d');
    expect(result).toMatchObject({ status: 'outdated', newer: ['e4f5a6b', '0c9d8e7'] });
    expect(result.dates).toMatchObject({ e4f5a6b: '2024-06-01', '0c9d8e7': '2024-03-01' });
  });

  it('reports "cannot tell" for hash tags beyond the bounded number of candidates', async () => {
    const result = await checkFreshness(
      createImageChecker({ cache: false }),
      `${registry.host}/test/hashes:a1b2c3d`,
      {},
      { hashCandidatesMax: 2 },
    );
    expect(result.status).toBe('cannot-tell');
    expect(result.message).toMatch(/3 tags of that form are more than the 2/);
  });

  it('honours an image that narrows (updates.tags) or turns off (updates.enabled) updates', async () => {
    expect((await check('test/semver:v5.2.0', { tags: '^v5\\.2\\.' })).newer).toEqual(['v5.2.1']);
    expect((await check('test/semver:v5.2.0', { enabled: false })).status).toBe('cannot-tell');
  });

  it('reports a pinned digest whose tag now names another image as "the tag moved"', async () => {
    expect(movedFrom).not.toBe(movedTo);
    const result = await check(`test/moved:2024-01-01@${movedFrom}`);
    expect(result).toMatchObject({ status: 'tag-moved', movedTo });
    expect(result.message).toContain('The tag moved');
    expect((await check(`test/moved:2024-01-01@${movedTo}`)).status).toBe('up-to-date');
  });

  it('follows Link rel="next" across pages when the registry pages the list', async () => {
    paging.pages.length = 0;
    const checker = createImageChecker({ cache: false, settings: { tagsPageSize: 10 } });
    const list = await checker.listTags(`${paging.host}/test/many:2024.01.01`);
    expect(list).toMatchObject({ ok: true, pages: 5 });
    expect(list.ok && list.tags).toHaveLength(45);
    expect(paging.pages[0]).toBe('/v2/test/many/tags/list?n=10');
    expect(paging.pages[1]).toBe('/v2/test/many/tags/list?n=10&last=2024.01.10');
    const result = await checkFreshness(checker, `${paging.host}/test/many:2024.01.40`);
    expect(result.newer).toEqual(['2024.01.45', '2024.01.44', '2024.01.43', '2024.01.42', '2024.01.41']);
  });

  it('reuses a tag list within its TTL and lists again after it', async () => {
    paging.pages.length = 0;
    const clock = fakeClock();
    const checker = createImageChecker({ cache: false, clock, settings: { tagsTtlMs: 60_000 } });
    const first = await checker.listTags(`${paging.host}/test/dates:x`);
    const second = await checker.listTags(`${paging.host}/test/dates:y`);
    expect(first.cached).toBeUndefined();
    expect(second.cached).toBe(true);
    expect(paging.pages).toHaveLength(1);
    clock.advance(61_000);
    await checker.listTags(`${paging.host}/test/dates:x`);
    expect(paging.pages).toHaveLength(2);
  });

  it('reports a missing repository as failed, naming the 404', async () => {
    const result = await check('test/nope:2024-01-01');
    expect(result.status).toBe('failed');
    expect(result.message).toContain('has no repository test/nope');
  });

  it('waits as Retry-After asks on a rate-limited tags list, and reports it when the wait is too long', async () => {
    let limited = 0;
    const once = await startProxy(registry.host, {
      intercept: (request, response) => {
        if (!request.url?.includes('/tags/list') || limited++ > 0) return false;
        response.writeHead(429, { 'Retry-After': '2' }).end();
        return true;
      },
    });
    const always = await startProxy(registry.host, {
      intercept: (request, response) => {
        if (!request.url?.includes('/tags/list')) return false;
        response.writeHead(429, { 'Retry-After': '600' }).end();
        return true;
      },
    });
    proxies.push(once, always);
    const clock = fakeClock();
    const waited = await checkFreshness(
      createImageChecker({ cache: false, clock }),
      `${once.host}/test/dates:2024-03-18`,
    );
    expect(waited.status).toBe('outdated');
    expect(clock.waits).toEqual([2000]);
    const refused = await checkFreshness(
      createImageChecker({ cache: false, clock: fakeClock() }),
      `${always.host}/test/dates:2024-03-18`,
    );
    expect(refused.status).toBe('failed');
    expect(refused.message).toMatch(/429 Too Many Requests.*wait 600 s/);
  });
});

describe('newer tags from a token-auth registry', () => {
  let issuer: TokenIssuer;
  let registry: TestRegistry;
  let paging: PagingProxy;

  beforeAll(async () => {
    requireTools('docker-registry', 'openssl');
    issuer = await startTokenIssuer({ users: { pusher: 'push-pass' } });
    registry = await startRegistry({ kind: 'token', ...issuer });
    const auth = tokenPushAuth(issuer.realm, issuer.service, 'pusher', 'push-pass');
    await pushCreatedImage(
      registry.host,
      'public/app',
      ['v1.0.0', 'v1.1.0', 'v2.0.0-rc.1', 'v1.0.1'],
      CREATED,
      auth,
    );
    await pushCreatedImage(registry.host, 'private/app', ['v1.0.0', 'v1.2.0'], CREATED, auth);
    paging = await startPagingProxy(registry.host);
  }, 120_000);

  afterAll(async () => {
    await paging?.stop();
    await registry?.stop();
    await issuer?.stop();
  });

  it('lists tags with an anonymous pull token, page after page, one token per repository', async () => {
    const checker = createImageChecker({ cache: false, settings: { tagsPageSize: 2 } });
    issuer.requests.length = 0;
    const result = await checkFreshness(checker, `${paging.host}/public/app:v1.0.0`);
    expect(result).toMatchObject({ status: 'outdated', newer: ['v1.1.0', 'v1.0.1'] });
    expect(paging.pages).toHaveLength(2);
    expect(issuer.requests).toEqual([{ scopes: ['repository:public/app:pull'] }]);
  });

  it('asks for the pull tokens of many repositories in one token request', async () => {
    issuer.requests.length = 0;
    const images = ['public/app:v1.0.0', 'public/other:1'].map((reference, i) => ({
      id: `i${i}`,
      file: `content/images/i${i}.yaml`,
      reference: `${registry.host}/${reference}`,
      policy: {},
    }));
    const results = await checkContentFreshness(createImageChecker({ cache: false }), images);
    expect(results.map((r) => r.status)).toEqual(['outdated', 'failed']);
    expect(issuer.requests).toEqual([
      { scopes: ['repository:public/app:pull', 'repository:public/other:pull'] },
    ]);
  });

  it('reports a private repository to anonymous callers, and lists it with credentials', async () => {
    const anonymous = await checkFreshness(
      createImageChecker({ cache: false }),
      `${registry.host}/private/app:v1.0.0`,
    );
    expect(anonymous.status).toBe('failed');
    expect(anonymous.message).toMatch(/private, or it does not exist/);
    const withCredentials = createImageChecker({
      cache: false,
      settings: { credentials: { [registry.host]: { username: 'pusher', password: 'push-pass' } } },
    });
    expect((await checkFreshness(withCredentials, `${registry.host}/private/app:v1.0.0`)).newer).toEqual([
      'v1.2.0',
    ]);
  });
});
