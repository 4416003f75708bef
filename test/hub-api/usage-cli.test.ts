// `usage` and `validate --hub` against a real JupyterHub 3.0 on loopback, whose users really started servers
// (a stand-in process each) with user_options, some stopped again. The CLI's token holds only the documented scopes.
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/ports.ts';
import { SERVICE_TOKEN, type RunningHub } from '../helpers/jupyterhub.ts';
import { cliEntry, copySampleProject } from '../helpers/project.ts';
import { EXPECTED_USAGE, startSceneHub } from './scene.ts';

let hub: RunningHub;

async function cli(project: string, env: Record<string, string>, ...args: string[]) {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      [cliEntry, '-C', project, ...args],
      { env: { PATH: process.env['PATH'] ?? '', NO_COLOR: '1', CONFIGURATOR_CHECK_IMAGES: 'false', ...env } },
    );
    return { code: 0, stdout, stderr };
  } catch (failure) {
    const f = failure as { code?: number; stdout?: string; stderr?: string };
    return { code: f.code ?? 1, stdout: f.stdout ?? '', stderr: f.stderr ?? '' };
  }
}

beforeAll(async () => {
  hub = await startSceneHub();
}, 120_000);

afterAll(async () => {
  await hub?.stop();
});

describe('usage from a real JupyterHub 3.0', () => {
  it('counts the profiles, choices and typed images users last started with, stopped servers included', async () => {
    const project = await copySampleProject();
    const env = { JUPYTERHUB_API_URL: hub.apiUrl, JUPYTERHUB_API_TOKEN: SERVICE_TOKEN };
    const json = await cli(project, env, 'usage', '--json');
    expect(json.code, json.stderr).toBe(0);
    const usage = JSON.parse(json.stdout) as Record<string, unknown>;
    expect(usage).toMatchObject(EXPECTED_USAGE);
    expect(Object.keys(usage).sort()).toEqual(['as_of', 'profiles', 'servers', 'users']);

    const text = await cli(project, env, 'usage');
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('6 users; 6 servers started with saved options.');
    expect(text.stdout).toMatch(/data-science {2}3 users, 4 servers/);
    expect(text.stdout).toContain('image: Other... (typed by the user)  2 users');
  });

  it('answers "unknown" (exit 1), not a stack trace, when the hub cannot answer or the token is refused', async () => {
    const project = await copySampleProject();
    const down = await cli(
      project,
      { JUPYTERHUB_API_URL: `http://127.0.0.1:${await freePort()}/hub/api`, JUPYTERHUB_API_TOKEN: 'x' },
      'usage',
      '--json',
    );
    expect(down.code).toBe(1);
    expect(JSON.parse(down.stdout)).toEqual({
      unknown: true,
      reason: expect.stringMatching(/did not answer \(ECONNREFUSED\)/),
    });
    const refused = await cli(
      project,
      { JUPYTERHUB_API_URL: hub.apiUrl, JUPYTERHUB_API_TOKEN: 'wrong' },
      'usage',
    );
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^Usage is unknown: The hub answered 403 to GET \/users/);
  });

  it('validate --hub warns about a group the hub does not have, naming the closest ones', async () => {
    const project = await copySampleProject();
    const gpu = path.join(project, 'content/profiles/gpu.yaml');
    await writeFile(gpu, (await readFile(gpu, 'utf8')).replace('- ml-research', '- ml-reserch'));
    const env = { JUPYTERHUB_API_URL: hub.apiUrl, JUPYTERHUB_API_TOKEN: SERVICE_TOKEN };
    const result = await cli(project, env, 'validate', '--hub');
    expect(result.code, result.stdout).toBe(0); // a warning, not an error
    expect(result.stdout).toContain('content/profiles/gpu.yaml:18 allowed_groups[0]  UnknownHubGroup');
    expect(result.stdout).toContain(
      'Profile "gpu" is limited to the group "ml-reserch", but the hub has no such group, so only hub admins would see it.',
    );
    expect(result.stdout).toContain('hint: did you mean "ml-research"?');

    const json = await cli(project, env, 'validate', '--hub', '--json');
    const issues = (JSON.parse(json.stdout) as { issues: { code: string }[] }).issues;
    expect(issues.map((i) => i.code)).toEqual(['UnknownHubGroup']);

    // without --hub nothing is checked against the hub; with an unreachable hub it says so as a warning
    expect((await cli(project, env, 'validate')).stdout).not.toContain('UnknownHubGroup');
    const down = await cli(
      project,
      { JUPYTERHUB_API_URL: `http://127.0.0.1:${await freePort()}/hub/api`, JUPYTERHUB_API_TOKEN: 'x' },
      'validate',
      '--hub',
    );
    expect(down.code).toBe(0);
    expect(down.stdout).toContain('HubUnavailable');
  });
});
