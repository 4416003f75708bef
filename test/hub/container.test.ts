import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '../helpers/ports.ts';
import { cliEntry } from '../helpers/project.ts';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateHubValues } from '../../src/lib/helm/hub-values.ts';
import { resolveHubValuesOptions } from '../../src/lib/helm/options.ts';
import { projectRoot } from '../helpers/content.ts';

// No Docker engine runs here, so the image's runtime is tested outside it: the final stage's ENTRYPOINT and
// HEALTHCHECK, run from this checkout (the image's /app) with the environment the image and the Helm values
// give the container.

const run = promisify(execFile);
const dockerfile = await readFile(path.join(projectRoot, 'Dockerfile'), 'utf8');

/** The instructions of the Dockerfile's last stage, continuation lines joined. */
function finalStage(text: string): { instruction: string; args: string }[] {
  const lines = text.replace(/\\\n\s*/g, ' ').split('\n');
  const stages: { instruction: string; args: string }[][] = [];
  for (const line of lines) {
    const match = /^([A-Z]+)\s+(.*)$/.exec(line.trim());
    if (!match || line.trim().startsWith('#')) continue;
    const [, instruction = '', args = ''] = match;
    if (instruction === 'FROM') stages.push([]);
    stages.at(-1)?.push({ instruction, args });
  }
  return stages.at(-1) ?? [];
}

const stage = finalStage(dockerfile);
const all = (name: string) => stage.filter((s) => s.instruction === name).map((s) => s.args);
const one = (name: string) => all(name).at(-1) ?? '';
const execForm = (args: string) =>
  JSON.parse(args.replace(/^--[^[]*(?=CMD)/, '').replace(/^CMD\s+/, '')) as string[];
const workdir = one('WORKDIR');
/** A path in the image, mapped onto this checkout. */
const local = (file: string) =>
  file.startsWith(`${workdir}/`) ? path.join(projectRoot, file.slice(workdir.length + 1)) : file;

function imageEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const args of all('ENV')) {
    for (const match of args.matchAll(/([A-Z_]+)=("[^"]*"|\S+)/g))
      env[match[1]!] = match[2]!.replace(/^"|"$/g, '');
  }
  return env;
}

describe('Dockerfile', () => {
  it('builds on Node 24 in two stages and runs production dependencies, git, as uid 1000', () => {
    expect(dockerfile).toMatch(/^ARG NODE_IMAGE=node:24-bookworm-slim$/m);
    expect(dockerfile.match(/^FROM /gm)).toHaveLength(2);
    // npm ci in both stages: exactly the locked tree, refused when package-lock.json and package.json disagree.
    expect(all('RUN').join('\n')).toContain('npm ci --omit=dev');
    expect(all('RUN').join('\n')).not.toContain('npm install');
    expect(all('RUN').join('\n')).toMatch(/apt-get install -y --no-install-recommends git/);
    expect(one('USER')).toBe('1000:1000');
    expect(one('EXPOSE')).toBe('8080');
    expect(imageEnv()).toMatchObject({ HOST: '0.0.0.0', PORT: '8080', NODE_ENV: 'production' });
    expect(all('COPY')).toEqual(expect.arrayContaining(['--from=build /app/dist ./dist']));
  });

  it('health-checks /healthz with the script, and starts the server through the supervising entry point', () => {
    expect(execForm(one('HEALTHCHECK'))).toEqual(['node', '/app/scripts/healthcheck.mjs']);
    expect(JSON.parse(one('ENTRYPOINT'))).toEqual(['node', '/app/scripts/container-entrypoint.mjs']);
    expect(JSON.parse(one('CMD'))).toEqual(['serve']);
  });
});

describe('the image entry point, run outside the image', () => {
  const prefix = '/services/configurator/';
  const dist = path.join(projectRoot, 'test-results', 'container-entrypoint');
  let entry: ChildProcess;
  let env: Record<string, string>;
  let work: string;
  let output = '';

  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'z2jh-container-'));
    // As the image's build stage does: the site is built for JupyterHub's service prefix.
    await run(process.execPath, [cliEntry, 'build', '--out', dist], {
      cwd: projectRoot,
      env: { ...process.env, CONFIGURATOR_BASE: prefix, CONFIGURATOR_CHECK_IMAGES: 'false', NO_COLOR: '1' },
    });

    const { options } = resolveHubValuesOptions({
      mode: 'sidecar',
      image: 'example.org/z2jh-configurator:1',
    });
    const values = generateHubValues(options!, '') as {
      hub: { extraContainers: { env: { name: string; value?: string }[] }[] };
    };
    const podEnv = Object.fromEntries(values.hub.extraContainers[0]!.env.map((e) => [e.name, e.value ?? '']));
    env = {
      ...imageEnv(),
      ...podEnv,
      PATH: process.env['PATH'] ?? '',
      HOME: work,
      NO_COLOR: '1',
      // What differs on this machine: loopback only, a free port, a throwaway repository, a token from no Secret.
      HOST: '127.0.0.1',
      PORT: String(await freePort()),
      CONFIGURATOR_CONTENT_REPO: path.join(work, 'content'),
      JUPYTERHUB_API_TOKEN: 'test-token-0123456789',
      JUPYTERHUB_API_URL: `http://127.0.0.1:${await freePort()}/hub/api`,
      CONFIGURATOR_CHECK_IMAGES: 'false',
      CONFIGURATOR_RESTART_DELAY_MS: '200',
    };
    const [command, ...args] = JSON.parse(one('ENTRYPOINT')) as string[];
    const cmd = [...(JSON.parse(one('CMD')) as string[]), '--dist', dist];
    entry = spawn(command === 'node' ? process.execPath : command!, [...args.map(local), ...cmd], {
      cwd: projectRoot,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    entry.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    entry.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await waitFor(
      async () => (await healthcheck()).code === 0,
      60_000,
      () => output,
    );
  }, 180_000);

  afterAll(async () => {
    if (entry && entry.exitCode === null) {
      entry.kill('SIGKILL');
      await new Promise((resolve) => entry.once('exit', resolve));
    }
    await rm(work, { recursive: true, force: true });
  });

  /** The image's HEALTHCHECK command, with the container's environment. */
  async function healthcheck(...extra: string[]): Promise<{ code: number; output: string }> {
    const [command, ...args] = execForm(one('HEALTHCHECK'));
    try {
      const result = await run(
        command === 'node' ? process.execPath : command!,
        [...args.map(local), ...extra],
        { env },
      );
      return { code: 0, output: result.stdout + result.stderr };
    } catch (failure) {
      const f = failure as { code?: number; stdout?: string; stderr?: string };
      return { code: f.code ?? 1, output: `${f.stdout ?? ''}${f.stderr ?? ''}` };
    }
  }

  it('serves the list under the JupyterHub service prefix, in hub mode, and passes its health check', async () => {
    expect(output).toContain('Hub mode');
    expect(await healthcheck()).toMatchObject({ code: 0 });
    expect(await healthcheck('--live')).toMatchObject({ code: 0 });
    const response = await fetch(`http://127.0.0.1:${env['PORT']}${prefix}profile_list.json`);
    expect(response.status).toBe(200);
    expect(((await response.json()) as { slug: string }[]).map((p) => p.slug)).toContain('gpu');
  });

  it('restarts the server when it dies, so the container keeps running', async () => {
    const { stdout } = await run('pgrep', ['-P', String(entry.pid)]);
    const server = Number(stdout.trim().split('\n')[0]);
    process.kill(server, 'SIGKILL');
    await waitFor(
      async () => output.includes('restarting in 0.2 s'),
      10_000,
      () => output,
    );
    expect(entry.exitCode).toBeNull();
    await waitFor(
      async () => (await healthcheck()).code === 0,
      60_000,
      () => output,
    );
  }, 90_000);

  it('fails its health check when the server is gone, and stops on SIGTERM', async () => {
    entry.kill('SIGTERM');
    const code = await new Promise((resolve) => entry.once('exit', resolve));
    expect(code).toBe(0);
    const down = await healthcheck();
    expect(down.code).toBe(1);
    expect(down.output).toContain(`${prefix}healthz`);
    expect((await healthcheck('--live')).code).toBe(1);
  }, 30_000);
});

async function waitFor(
  check: () => Promise<boolean>,
  timeoutMs: number,
  context: () => string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`timed out; output so far:\n${context()}`);
}
