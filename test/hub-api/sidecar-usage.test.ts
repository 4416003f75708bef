// The sidecar's `api/usage` and `api/groups` beside a real JupyterHub 3.0 on loopback: the service's token holds
// only the documented scopes, users really started servers (some stopped again), and a hub that cannot answer
// gives "unknown", never an error.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHubClient } from '../../src/hub-api/client.ts';
import { readUsage } from '../../src/hub-api/usage.ts';
import { readServerConfig } from '../../src/server/config.ts';
import { startServer as startSidecar, type RunningServer } from '../../src/server/main.ts';
import { projectRoot } from '../helpers/content.ts';
import { HubBrowser } from '../helpers/hub-login.ts';
import { SERVICE_TOKEN, startServer, stopServer, type RunningHub } from '../helpers/jupyterhub.ts';
import { freePort } from '../helpers/ports.ts';
import { emptyDist, freshRepoDir, startLocalSidecar } from '../helpers/sidecar.ts';
import { EXPECTED_USAGE, startSceneHub } from './scene.ts';

let hub: RunningHub;
let sidecar: RunningServer;

function hubEnv(port: number, apiUrl: string, repo: string): Record<string, string> {
  return {
    HOST: '127.0.0.1',
    PORT: String(port),
    CONFIGURATOR_CONTENT_REPO: repo,
    CONFIGURATOR_ADMIN_GROUPS: 'content-admins',
    CONFIGURATOR_PUBLISH_MODE: 'simple',
    JUPYTERHUB_API_URL: apiUrl,
    JUPYTERHUB_API_TOKEN: SERVICE_TOKEN,
    JUPYTERHUB_CLIENT_ID: 'service-configurator',
    JUPYTERHUB_OAUTH_CALLBACK_URL: '/services/configurator/oauth_callback',
    JUPYTERHUB_SERVICE_PREFIX: '/services/configurator/',
    JUPYTERHUB_BASE_URL: '/',
  };
}

beforeAll(async () => {
  const port = await freePort();
  hub = await startSceneHub(`http://127.0.0.1:${port}`);
  sidecar = await startSidecar({
    distDir: await emptyDist(),
    config: readServerConfig(hubEnv(port, hub.apiUrl, await freshRepoDir()), { projectDir: projectRoot }),
    sampleContent: path.join(projectRoot, 'content'),
    log: () => undefined,
  });
}, 180_000);

afterAll(async () => {
  await sidecar?.close();
  await hub?.stop();
});

describe('api/usage and api/groups beside a real JupyterHub 3.0', () => {
  it("answers a hub admin with the counts of what users started, and the hub's groups", async () => {
    const alice = new HubBrowser(hub.url);
    const last = await alice.loginThroughService('alice');
    expect(last.headers.get('location'), hub.log().slice(-2000)).toBe('/services/configurator/admin/');
    const usage = await alice.go('/services/configurator/api/usage');
    expect(usage.status).toBe(200);
    expect(usage.headers.get('cache-control')).toBe('no-store');
    expect(await usage.json()).toMatchObject(EXPECTED_USAGE);
    const groups = await alice.go('/services/configurator/api/groups');
    expect(await groups.json()).toEqual({
      groups: ['content-admins', 'ml-research', 'workshop-2026'],
      as_of: expect.any(String),
    });
  });

  it('reads users page by page (offset/limit), however small the pages, and counts the same', async () => {
    const pages: string[] = [];
    const client = createHubClient({
      apiUrl: hub.apiUrl,
      token: SERVICE_TOKEN,
      pageSize: 2,
      concurrency: 2,
      fetch: (input, init) => {
        pages.push(new URL(String(input)).search);
        return fetch(input, init);
      },
    });
    expect(await readUsage(client)).toMatchObject(EXPECTED_USAGE);
    expect(pages.sort()).toEqual([
      '?include_stopped_servers=1&offset=0&limit=2',
      '?include_stopped_servers=1&offset=2&limit=2',
      '?include_stopped_servers=1&offset=4&limit=2',
    ]);
  });

  it('serves counts from its cache: a server started a moment ago is not read again at once', async () => {
    const alice = new HubBrowser(hub.url);
    await alice.loginThroughService('alice');
    await startServer(hub, 'frank', { profile: 'gpu' });
    const cached = (await (
      await alice.go('/services/configurator/api/usage')
    ).json()) as typeof EXPECTED_USAGE;
    expect(cached.profiles.gpu.users).toBe(1);
    await stopServer(hub, 'frank');
  });

  it('history shows how many users had saved what a change removed, as counted when it was published', async () => {
    const alice = new HubBrowser(hub.url);
    await alice.loginThroughService('alice');
    const before = (await (
      await alice.go('/services/configurator/api/usage')
    ).json()) as typeof EXPECTED_USAGE;
    const api = (action: string, params: Record<string, unknown>) =>
      alice.go('/services/configurator/api/v1', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Origin: hub.url },
        body: JSON.stringify({ branch: 'main', action, params: { branch: 'main', ...params } }),
      });
    // Every write names the revision it started from (conflict detection).
    const entry = (await (await api('getEntry', { path: 'content/profiles/gpu.yaml' })).json()) as {
      file: { id: string };
    };
    const removed = await api('deleteFiles', {
      paths: ['content/profiles/gpu.yaml'],
      options: { commitMessage: 'Drop the GPU profile' },
      base: { 'content/profiles/gpu.yaml': entry.file.id },
    });
    expect(removed.status, await removed.clone().text()).toBe(200);
    const users = before.profiles.gpu.users;
    for (let attempt = 0; ; attempt++) {
      const [latest] = (await (await alice.go('/services/configurator/api/history')).json()) as {
        message: string;
        warnings: string[];
        usage?: Record<string, number>;
      }[];
      expect(latest?.message).toBe('Drop the GPU profile');
      if (latest?.usage || attempt > 20) {
        expect(latest?.usage).toEqual({ gpu: users });
        expect(latest?.warnings).toEqual([
          `gpu was removed: ${users} ${users === 1 ? 'user' : 'users'} had saved it when this change was published; they will be asked to choose again.`,
        ]);
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 100)); // the snapshot is written after the commit
    }
    const page = await (await alice.go('/services/configurator/history')).text();
    expect(page).toContain(`had saved it when this change was published`);
  });

  it('refuses anonymous callers and users who may not edit', async () => {
    const anonymous = new HubBrowser(hub.url);
    expect((await anonymous.go('/services/configurator/api/usage')).status).toBe(401);
    expect((await anonymous.go('/services/configurator/api/groups')).status).toBe(401);
  });

  it('answers "unknown" with status 200 when the hub does not answer, and in local mode', async () => {
    const deadPort = await freePort();
    const port = await freePort();
    const cut = await startSidecar({
      distDir: await emptyDist(),
      config: readServerConfig(hubEnv(port, `http://127.0.0.1:${deadPort}/hub/api`, await freshRepoDir()), {
        projectDir: projectRoot,
      }),
      sampleContent: path.join(projectRoot, 'content'),
      log: () => undefined,
    });
    try {
      // A session signed as the sidecar signs them: the hub that would log us in is the one that is down.
      const alice = new HubBrowser(hub.url);
      await alice.loginThroughService('alice');
      const session = alice.cookies.get('service-configurator-session')!;
      const headers = { Cookie: `service-configurator-session=${session}` };
      const usage = await fetch(`http://127.0.0.1:${port}/services/configurator/api/usage`, { headers });
      expect(usage.status).toBe(200);
      expect(await usage.json()).toEqual({
        unknown: true,
        reason: expect.stringMatching(
          /^The hub API at http:\/\/127\.0\.0\.1:\d+\/hub\/api did not answer \(ECONNREFUSED\)\.$/,
        ),
      });
      const groups = await fetch(`http://127.0.0.1:${port}/services/configurator/api/groups`, { headers });
      expect(await groups.json()).toMatchObject({ unknown: true });
    } finally {
      await cut.close();
    }
    const local = await startLocalSidecar();
    try {
      expect(await (await fetch(`${local.url}api/usage`)).json()).toEqual({
        unknown: true,
        reason: 'No hub is configured: the editor runs without JupyterHub (local mode).',
      });
    } finally {
      await local.close();
    }
  });
});
