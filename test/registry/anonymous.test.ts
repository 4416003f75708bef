import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createImageChecker } from '../../src/registry/checker.ts';
import { buildOciLayout, pushImage, type OciLayout } from './helpers/images.ts';
import { closedPort, requireTools } from './helpers/processes.ts';
import { startProxy } from './helpers/proxy.ts';
import { startRegistry, type TestRegistry } from './helpers/registry.ts';

const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';

describe('image checks against an anonymous registry (Debian docker-registry on loopback)', () => {
  let registry: TestRegistry;
  let layout: OciLayout;
  let dockerDigest: string;
  let repo: string;

  beforeAll(async () => {
    requireTools('docker-registry', 'skopeo');
    [registry, layout] = await Promise.all([startRegistry(), buildOciLayout()]);
    repo = `${registry.host}/test/tiny`;
    await pushImage(layout, 'single', `${repo}:v1`);
    await pushImage(layout, 'multi', `${repo}:multi`);
    dockerDigest = await pushImage(layout, 'single', `${repo}:v1-docker`, { format: 'v2s2' });
  }, 120_000);

  afterAll(async () => {
    await registry?.stop();
    await layout?.remove();
  });

  it('finds an OCI image manifest by tag, with its digest and media type', async () => {
    const result = await createImageChecker().check(`${repo}:v1`);
    expect(result).toMatchObject({ status: 'exists', digest: layout.singleDigest, mediaType: OCI_MANIFEST });
  });

  it('finds an OCI index of two platforms by tag', async () => {
    const result = await createImageChecker().check(`${repo}:multi`);
    expect(result).toMatchObject({ status: 'exists', digest: layout.indexDigest, mediaType: OCI_INDEX });
  });

  it('finds a Docker schema-2 manifest without it being rewritten to schema 1', async () => {
    const result = await createImageChecker().check(`${repo}:v1-docker`);
    expect(result).toMatchObject({ status: 'exists', digest: dockerDigest, mediaType: DOCKER_MANIFEST });
    expect(dockerDigest).not.toBe(layout.singleDigest);
  });

  it('finds a manifest by digest, and a digest wins over a tag', async () => {
    const checker = createImageChecker();
    expect(await checker.check(`${repo}@${layout.singleDigest}`)).toMatchObject({ status: 'exists' });
    const both = await checker.check(`${repo}:no-such-tag@${layout.indexDigest}`);
    expect(both).toMatchObject({ status: 'exists', digest: layout.indexDigest, mediaType: OCI_INDEX });
  });

  it('reports a missing tag, a missing digest and a missing repository as not found', async () => {
    const checker = createImageChecker();
    const results = await checker.checkMany([
      `${repo}:nope`,
      `${repo}@sha256:${'0'.repeat(64)}`,
      `${registry.host}/no/such-repo:v1`,
    ]);
    for (const result of results.values()) expect(result.status).toBe('not-found');
    expect(results.get(`${repo}:nope`)?.message).toContain('HEAD answered 404');
  });

  it('works the same with an injected fetch (the global one)', async () => {
    const checker = createImageChecker({ fetch: globalThis.fetch });
    const results = await checker.checkMany([`${repo}:v1`, `${repo}:multi`, `${repo}:nope`]);
    expect([...results.values()].map((r) => [r.status, r.digest])).toEqual([
      ['exists', layout.singleDigest],
      ['exists', layout.indexDigest],
      ['not-found', undefined],
    ]);
    const port = await closedPort();
    expect((await checker.check(`127.0.0.1:${port}/x/y:z`)).message).toContain('refused the connection');
  });

  it('answers an invalid reference without a request', async () => {
    const checker = createImageChecker();
    const result = await checker.check(`${registry.host}/Test/Tiny:v1`);
    expect(result.status).toBe('invalid');
    expect(result.message).toContain('upper-case');
    expect(checker.requests).toBe(0);
  });

  it('reports an unreachable registry as could-not-check, with what happened', async () => {
    const port = await closedPort();
    const result = await createImageChecker().check(`127.0.0.1:${port}/x/y:z`);
    expect(result.status).toBe('could-not-check');
    expect(result.message).toContain(`127.0.0.1:${port} refused the connection`);
  });

  it('gives up on a registry that does not answer within the timeout', async () => {
    const silent: Server = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = silent.address() as AddressInfo;
      const checker = createImageChecker({ settings: { timeoutMs: 300 } });
      const started = Date.now();
      const result = await checker.check(`127.0.0.1:${port}/x/y:z`);
      expect(result.status).toBe('could-not-check');
      expect(result.message).toContain('did not answer within 0.3 s');
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  });

  it('sends at most `concurrency` requests to one registry at a time', async () => {
    const proxy = await startProxy(registry.host, { delayMs: 40 });
    try {
      const checker = createImageChecker({ settings: { concurrency: 3 } });
      const references = Array.from({ length: 12 }, (_, i) => `${proxy.host}/test/tiny:tag-${i}`);
      const results = await checker.checkMany([...references, `${proxy.host}/test/tiny:v1`]);
      expect(results.get(`${proxy.host}/test/tiny:v1`)?.status).toBe('exists');
      expect(proxy.maxInFlight).toBe(3);
    } finally {
      await proxy.stop();
    }
  });

  it('follows a redirect to another host without sending it the credentials', async () => {
    const target = await startProxy(registry.host);
    // The redirector asks for Basic credentials, then sends manifest requests on to the real registry elsewhere.
    const redirector = await startProxy(registry.host, {
      intercept: (request, response) => {
        if (request.url === '/v2/') {
          response.writeHead(401, { 'WWW-Authenticate': 'Basic realm="redirector"' }).end();
        } else {
          response.writeHead(307, { Location: `http://${target.host}${request.url}` }).end();
        }
        return true;
      },
    });
    try {
      const checker = createImageChecker({
        settings: { credentials: { [redirector.host]: { username: 'someone', password: 'secret' } } },
      });
      const result = await checker.check(`${redirector.host}/test/tiny:v1`);
      expect(result).toMatchObject({ status: 'exists', digest: layout.singleDigest });
      const asked = redirector.requests.filter((r) => r.path.includes('/manifests/'));
      expect(asked.map((r) => r.authorization)).toEqual([
        `Basic ${Buffer.from('someone:secret').toString('base64')}`,
      ]);
      const followed = target.requests.filter((r) => r.path.includes('/manifests/'));
      expect(followed).toHaveLength(1);
      expect(followed[0]?.authorization).toBeUndefined();
    } finally {
      await redirector.stop();
      await target.stop();
    }
  });
});
