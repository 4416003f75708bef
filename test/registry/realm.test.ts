import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createImageChecker } from '../../src/registry/checker.ts';

/** A hostile registry (plain Node on loopback): every request is challenged with a realm of its choosing. */
const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

async function listen(handler: Parameters<typeof createServer>[1]): Promise<number> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

async function hostileRegistry(
  realm: (tokenPort: number) => string,
  token: { status: number; body: string },
) {
  const hits: string[] = [];
  const tokenPort = await listen((request, response) => {
    hits.push(request.url ?? '');
    response.writeHead(token.status, { 'Content-Type': 'application/json' }).end(token.body);
  });
  const registryPort = await listen((_, response) => {
    response
      .writeHead(401, { 'WWW-Authenticate': `Bearer realm="${realm(tokenPort)}",service="registry"` })
      .end();
  });
  return { hits, tokenPort, image: `127.0.0.1:${registryPort}/team/notebook:v1` };
}

describe('the token dance with a hostile registry', () => {
  it('does not follow a realm over plain HTTP to another host', async () => {
    const registry = await hostileRegistry((port) => `http://localhost:${port}/token`, {
      status: 200,
      body: '{"token":"internal"}',
    });
    const result = await createImageChecker().check(registry.image);
    expect(registry.hits).toEqual([]);
    expect(result.status).toBe('could-not-check');
    expect(result.message).toMatch(
      /^Could not authenticate with 127\.0\.0\.1:\d+: its token service is neither HTTPS/,
    );
  });

  it.each([
    [403, 'internal-secret-403'],
    [500, 'internal-secret-500'],
    [200, '{"no":"token","secret":"internal-secret-200"}'],
  ])('says only "could not authenticate" when the realm answers %i', async (status, body) => {
    const registry = await hostileRegistry((port) => `http://127.0.0.1:${port}/token`, { status, body });
    const result = await createImageChecker().check(registry.image);
    expect(registry.hits).toHaveLength(1); // same host, loopback (insecure by default): asked
    expect(result.message).toMatch(/^Could not authenticate with 127\.0\.0\.1:\d+/);
    const rest = result.message.replace(/127\.0\.0\.1:\d+/, 'the registry'); // the registry's own address stays
    expect(rest).not.toContain('internal-secret');
    expect(rest).not.toContain(String(status));
    expect(rest).not.toContain(String(registry.tokenPort));
    expect(rest).not.toContain('token');
  });
});
