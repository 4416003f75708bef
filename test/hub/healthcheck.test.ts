import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { projectRoot } from '../helpers/content.ts';

const run = promisify(execFile);
const script = path.join(projectRoot, 'scripts', 'healthcheck.mjs');
const servers: Server[] = [];
afterEach(() => Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve)))));

/** A stand-in for the sidecar: answers every request with `status` and `body` (or never, when `hang`). */
async function standIn(
  status: number,
  body: string,
  hang = false,
): Promise<{ port: number; paths: string[] }> {
  const paths: string[] = [];
  const server = createServer((request, response) => {
    paths.push(request.url ?? '');
    if (!hang) response.writeHead(status, { 'Content-Type': 'application/json' }).end(body);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return { port: typeof address === 'object' && address ? address.port : 0, paths };
}

/** Runs the health check with an environment like the container's; returns its exit code and output. */
async function check(
  env: Record<string, string>,
  ...args: string[]
): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [script, ...args], {
      env: { PATH: process.env['PATH'] ?? '', ...env },
    });
    return { code: 0, output: stdout + stderr };
  } catch (failure) {
    const f = failure as { code?: number; stdout?: string; stderr?: string };
    return { code: f.code ?? 1, output: `${f.stdout ?? ''}${f.stderr ?? ''}` };
  }
}

const OK = JSON.stringify({ status: 'ok', valid: true });

describe('scripts/healthcheck.mjs', () => {
  it('passes when <base>healthz answers 200 {"status":"ok"}, found from the server environment', async () => {
    const server = await standIn(200, OK);
    const env = {
      HOST: '0.0.0.0',
      PORT: String(server.port),
      JUPYTERHUB_SERVICE_PREFIX: '/services/configurator/',
    };
    expect(await check(env)).toMatchObject({ code: 0 });
    expect(await check(env, '--live')).toMatchObject({ code: 0 });
    expect(server.paths).toEqual(['/services/configurator/healthz', '/services/configurator/healthz']);
    await check({ PORT: String(server.port), CONFIGURATOR_BASE: 'menu' });
    expect(server.paths.at(-1)).toBe('/menu/healthz');
  });

  it('fails on 503 (no valid list), but --live only asks whether the server answers', async () => {
    const server = await standIn(503, JSON.stringify({ status: 'invalid', valid: false }));
    const env = { PORT: String(server.port) };
    const strict = await check(env);
    expect(strict.code).toBe(1);
    expect(strict.output).toContain('answered 503');
    expect(await check(env, '--live')).toMatchObject({ code: 0 });
  });

  it('fails on an answer that is not the health report', async () => {
    const server = await standIn(200, '<html>proxy page</html>');
    expect(await check({ PORT: String(server.port) })).toMatchObject({ code: 1 });
  });

  it('fails when nothing listens, in both modes', async () => {
    const server = await standIn(200, OK);
    const port = String(server.port);
    await new Promise((resolve) => servers.pop()!.close(resolve));
    for (const args of [[], ['--live']]) {
      const result = await check({ PORT: port }, ...args);
      expect(result.code).toBe(1);
      expect(result.output).toContain('unhealthy');
    }
  });

  it('fails when the server does not answer in time', async () => {
    const server = await standIn(200, OK, true);
    const result = await check({ PORT: String(server.port), HEALTHCHECK_TIMEOUT_MS: '300' }, '--live');
    expect(result.code).toBe(1);
    expect(result.output).toContain('no answer within 300 ms');
  });
});
