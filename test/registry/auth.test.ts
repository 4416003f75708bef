import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createImageChecker } from '../../src/registry/checker.ts';
import { readRegistrySettings } from '../../src/registry/settings.ts';
import type { Clock } from '../../src/registry/types.ts';
import { buildOciLayout, pushImage, type OciLayout } from './helpers/images.ts';
import { requireTools } from './helpers/processes.ts';
import { startProxy } from './helpers/proxy.ts';
import { startRegistry, type TestRegistry } from './helpers/registry.ts';
import { startTokenIssuer, type TokenIssuer } from './helpers/token-issuer.ts';

const USERS = { testuser: 'testpass' };
const CREDS = 'testuser:testpass';

describe('image checks against a registry with htpasswd (Basic) auth', () => {
  let registry: TestRegistry;
  let layout: OciLayout;
  let home: string;

  beforeAll(async () => {
    requireTools('docker-registry', 'skopeo', 'htpasswd');
    [registry, layout, home] = await Promise.all([
      startRegistry({ kind: 'htpasswd', users: USERS }),
      buildOciLayout(),
      mkdtemp(path.join(tmpdir(), 'z2jh-home-')),
    ]);
    await pushImage(layout, 'single', `${registry.host}/team/tiny:v1`, { creds: CREDS });
  }, 120_000);

  afterAll(async () => {
    await registry?.stop();
    await layout?.remove();
    if (home) await rm(home, { recursive: true, force: true });
  });

  it('says which credentials are missing instead of guessing', async () => {
    const result = await createImageChecker().check(`${registry.host}/team/tiny:v1`);
    expect(result.status).toBe('needs-credentials');
    expect(result.message).toContain('Basic auth, realm "test-realm"');
    expect(result.message).toContain('none are configured');
  });

  it('checks with credentials from CONFIGURATOR_REGISTRY_AUTH: tags that exist and tags that do not', async () => {
    const { settings, problems } = readRegistrySettings(
      { CONFIGURATOR_REGISTRY_AUTH: JSON.stringify({ [registry.host]: CREDS }) },
      { home },
    );
    expect(problems).toEqual([]);
    const results = await createImageChecker({ settings }).checkMany([
      `${registry.host}/team/tiny:v1`,
      `${registry.host}/team/tiny:v2`,
    ]);
    expect(results.get(`${registry.host}/team/tiny:v1`)).toMatchObject({
      status: 'exists',
      digest: layout.singleDigest,
    });
    expect(results.get(`${registry.host}/team/tiny:v2`)?.status).toBe('not-found');
  });

  it("checks with credentials from a Docker config.json's base64 auth entry", async () => {
    const dockerConfig = path.join(home, 'docker');
    await rm(dockerConfig, { recursive: true, force: true });
    await mkdir(dockerConfig);
    const auth = Buffer.from(CREDS).toString('base64');
    await writeFile(
      path.join(dockerConfig, 'config.json'),
      JSON.stringify({ auths: { [`http://${registry.host}/v2/`]: { auth } } }),
    );
    const { settings } = readRegistrySettings({ DOCKER_CONFIG: dockerConfig }, { home });
    const result = await createImageChecker({ settings }).check(`${registry.host}/team/tiny:v1`);
    expect(result.status).toBe('exists');
  });

  it('reports credentials the registry refuses', async () => {
    const settings = { credentials: { [registry.host]: { username: 'testuser', password: 'wrong' } } };
    const result = await createImageChecker({ settings }).check(`${registry.host}/team/tiny:v1`);
    expect(result.status).toBe('needs-credentials');
    expect(result.message).toContain('refused the credentials configured for');
  });
});

describe('image checks against a registry with bearer-token auth and a token issuer', () => {
  let issuer: TokenIssuer;
  let registry: TestRegistry;
  let layout: OciLayout;

  beforeAll(async () => {
    requireTools('docker-registry', 'skopeo', 'openssl');
    [issuer, layout] = await Promise.all([
      startTokenIssuer({ users: USERS, expiresIn: 120 }),
      buildOciLayout(),
    ]);
    registry = await startRegistry({ kind: 'token', ...issuer });
    await pushImage(layout, 'single', `${registry.host}/public/tiny:v1`, { creds: CREDS });
    await pushImage(layout, 'multi', `${registry.host}/public/tiny:multi`, { creds: CREDS });
    await pushImage(layout, 'single', `${registry.host}/private/tiny:v1`, { creds: CREDS });
  }, 120_000);

  afterAll(async () => {
    await registry?.stop();
    await issuer?.stop();
    await layout?.remove();
  });

  it('exchanges a 401 challenge for an anonymous token: public tags, missing tags and missing repositories', async () => {
    const checker = createImageChecker();
    const results = await checker.checkMany([
      `${registry.host}/public/tiny:v1`,
      `${registry.host}/public/tiny:multi`,
      `${registry.host}/public/tiny:nope`,
      `${registry.host}/public/nothing:v1`,
    ]);
    expect([...results.values()].map((r) => r.status)).toEqual([
      'exists',
      'exists',
      'not-found',
      'not-found',
    ]);
    expect(results.get(`${registry.host}/public/tiny:multi`)?.digest).toBe(layout.indexDigest);
  });

  it('caches tokens per registry and scope: two tags of one repository need one token', async () => {
    const before = issuer.requests.length;
    const checker = createImageChecker({ cache: false });
    await checker.checkMany([`${registry.host}/public/tiny:v1`, `${registry.host}/public/tiny:multi`]);
    await checker.check(`${registry.host}/public/tiny:v1`);
    const asked = issuer.requests.slice(before);
    expect(asked).toEqual([{ scopes: ['repository:public/tiny:pull'] }]);
    expect(checker.tokens.fetched).toBe(1);
  });

  it('fetches a new token once the cached one has expired', async () => {
    let now = Date.now();
    const clock: Clock = { now: () => now, sleep: async (ms) => void (now += ms) };
    const checker = createImageChecker({ cache: false, clock });
    await checker.check(`${registry.host}/public/tiny:v1`);
    await checker.check(`${registry.host}/public/tiny:v1`);
    expect(checker.tokens.fetched).toBe(1);
    now += 121_000;
    expect((await checker.check(`${registry.host}/public/tiny:v1`)).status).toBe('exists');
    expect(checker.tokens.fetched).toBe(2);
  });

  it('replaces a token the registry calls invalid, once', async () => {
    let refused = 0;
    const front = await startProxy(registry.host, {
      intercept: (request, response) => {
        if (request.method !== 'HEAD' || refused++ > 0) return false;
        const challenge = `Bearer realm="${issuer.realm}",service="${issuer.service}",error="invalid_token"`;
        response.writeHead(401, { 'WWW-Authenticate': challenge }).end();
        return true;
      },
    });
    try {
      const checker = createImageChecker();
      const result = await checker.check(`${front.host}/public/tiny:v1`);
      expect(result).toMatchObject({ status: 'exists', digest: layout.singleDigest });
      expect(checker.tokens.fetched).toBe(2);
    } finally {
      await front.stop();
    }
  });

  it('cannot tell a private repository from a missing one anonymously, and says so', async () => {
    const result = await createImageChecker().check(`${registry.host}/private/tiny:v1`);
    expect(result.status).toBe('private-or-missing');
    expect(result.message).toContain('private, or it does not exist');
  });

  it('checks a private repository with credentials sent to the token issuer', async () => {
    const settings = { credentials: { [registry.host]: { username: 'testuser', password: 'testpass' } } };
    const checker = createImageChecker({ settings });
    const results = await checker.checkMany([
      `${registry.host}/private/tiny:v1`,
      `${registry.host}/private/tiny:v9`,
    ]);
    expect([...results.values()].map((r) => r.status)).toEqual(['exists', 'not-found']);
    expect(issuer.requests.at(-1)).toEqual({ scopes: ['repository:private/tiny:pull'], user: 'testuser' });
  });

  it('reports credentials the token issuer refuses', async () => {
    const settings = { credentials: { [registry.host]: { username: 'testuser', password: 'wrong' } } };
    const result = await createImageChecker({ settings }).check(`${registry.host}/private/tiny:v1`);
    expect(result.status).toBe('needs-credentials');
    expect(result.message).toContain('Could not authenticate');
  });
});
