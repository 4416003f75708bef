// JupyterHub login against a real Debian JupyterHub 3.0 with configurable-http-proxy and the dummy
// authenticator, everything on loopback: the configurator runs as an external JupyterHub service.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '../helpers/ports.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readServerConfig } from '../../src/server/config.ts';
import { startServer, type RunningServer } from '../../src/server/main.ts';
import { projectRoot } from '../helpers/content.ts';
import { emptyDist, freshRepoDir, git } from '../helpers/sidecar.ts';

const TOKEN = 'configurator-service-token-0123456789abcdef';
let hub: ChildProcess;
let service: RunningServer;
let repo: string;
let hubUrl: string;
let hubLog = '';

/** A browser in miniature: follows nothing by itself, keeps cookies. */
class Browser {
  readonly cookies = new Map<string, string>();
  async go(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set('Cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    const response = await fetch(new URL(url, hubUrl), { ...init, headers, redirect: 'manual' });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = ''] = cookie.split(';');
      const [name = '', ...value] = pair.split('=');
      if (value.join('=') === '' || /Max-Age=0/i.test(cookie)) this.cookies.delete(name);
      else this.cookies.set(name, value.join('='));
    }
    return response;
  }
  /** Logs in to the hub through the service's login redirect; returns the last response of the chain. */
  async loginThroughService(user: string): Promise<Response> {
    let response = await this.go('/services/configurator/admin/');
    expect(response.status).toBe(302);
    const authorize = response.headers.get('location')!;
    expect(authorize).toMatch(/^\/hub\/api\/oauth2\/authorize\?client_id=service-configurator&/);
    response = await this.go(authorize);
    expect(response.status).toBe(302);
    const login = response.headers.get('location')!;
    response = await this.go(login, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username: user, password: 'testpass' }).toString(),
    });
    for (let hops = 0; hops < 6 && response.status === 302; hops++) {
      const next = response.headers.get('location')!;
      if (next.includes('/services/configurator/admin')) break;
      response = await this.go(next);
    }
    return response;
  }
}

beforeAll(async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'z2jh-hub-'));
  const [proxyPort, apiPort, hubPort, servicePort] = await Promise.all([
    freePort(),
    freePort(),
    freePort(),
    freePort(),
  ]);
  hubUrl = `http://127.0.0.1:${proxyPort}`;
  repo = await freshRepoDir();
  const config = readServerConfig(
    {
      HOST: '127.0.0.1',
      PORT: String(servicePort),
      CONFIGURATOR_CONTENT_REPO: repo,
      CONFIGURATOR_ADMIN_GROUPS: 'content-admins',
      JUPYTERHUB_API_URL: `http://127.0.0.1:${hubPort}/hub/api`,
      JUPYTERHUB_API_TOKEN: TOKEN,
      JUPYTERHUB_CLIENT_ID: 'service-configurator',
      JUPYTERHUB_OAUTH_CALLBACK_URL: '/services/configurator/oauth_callback',
      JUPYTERHUB_SERVICE_PREFIX: '/services/configurator/',
      JUPYTERHUB_BASE_URL: '/',
    },
    { projectDir: projectRoot },
  );
  service = await startServer({
    distDir: await emptyDist(),
    config,
    sampleContent: path.join(projectRoot, 'content'),
    log: () => undefined,
  });
  await writeFile(
    path.join(dir, 'jupyterhub_config.py'),
    `c = get_config()  # noqa
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = ${proxyPort}
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = ${hubPort}
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:${apiPort}"
c.ConfigurableHTTPProxy.command = ["env", "NODE_PATH=/usr/share/nodejs", "configurable-http-proxy"]
c.ConfigurableHTTPProxy.auth_token = "proxy-token-0123456789abcdef"
c.JupyterHub.db_url = "sqlite:///${dir}/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = "${dir}/cookie_secret"
c.JupyterHub.pid_file = "${dir}/jupyterhub.pid"
c.JupyterHub.authenticator_class = "jupyterhub.auth.DummyAuthenticator"
c.DummyAuthenticator.password = "testpass"
c.Authenticator.admin_users = {"alice"}
c.Authenticator.allowed_users = {"alice", "bob", "carol"}
c.JupyterHub.load_groups = {"content-admins": ["carol"]}
c.JupyterHub.services = [{"name": "configurator", "url": "http://127.0.0.1:${servicePort}", "api_token": "${TOKEN}", "oauth_no_confirm": True}]
c.JupyterHub.load_roles = [{"name": "profile-editors", "scopes": ["access:services!service=configurator"], "groups": ["content-admins"]}]
`,
  );
  hub = spawn('jupyterhub', ['-f', path.join(dir, 'jupyterhub_config.py')], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  hub.stdout?.on('data', (d: Buffer) => (hubLog += d.toString()));
  hub.stderr?.on('data', (d: Buffer) => (hubLog += d.toString()));
  // Wait for the hub (and its proxy) to answer; a setup step, not an assertion.
  for (let attempt = 0; attempt < 120; attempt++) {
    const answer = await fetch(`${hubUrl}/hub/api/`).catch(() => undefined);
    if (answer?.status === 200) break;
    if (hub.exitCode !== null) throw new Error(`JupyterHub exited:\n${hubLog}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}, 120_000);

afterAll(async () => {
  if (hub && hub.exitCode === null) {
    const exited = new Promise((resolve) => hub.once('exit', resolve));
    hub.kill('SIGTERM');
    await exited;
  }
  await service?.close();
});

describe('login through a real JupyterHub 3.0', () => {
  it('lets a hub admin in, and their save becomes a commit authored by them', async () => {
    const alice = new Browser();
    const last = await alice.loginThroughService('alice');
    expect(last.status, hubLog.slice(-2000)).toBe(302);
    expect(last.headers.get('location')).toBe('/services/configurator/admin/');
    const session = [...alice.cookies.keys()].find((k) => k === 'service-configurator-session');
    expect(session).toBeDefined();
    const status = await alice.go('/services/configurator/api/status');
    expect(await status.json()).toMatchObject({ mode: 'hub', user: 'alice', workflow: true });
    const saved = await alice.go('/services/configurator/api/v1', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: hubUrl },
      body: JSON.stringify({
        action: 'persistEntry',
        params: {
          branch: 'main',
          dataFiles: [
            {
              slug: 'julia',
              path: 'content/images/julia.yaml',
              raw: 'display_name: Julia\nimage: quay.io/jupyter/julia-notebook:2024-03-18\n',
            },
          ],
          assets: [],
          base: { 'content/images/julia.yaml': null },
          options: { commitMessage: 'Create Images “julia”', useWorkflow: false, status: 'draft' },
        },
      }),
    });
    expect(saved.status).toBe(200);
    expect((await git(repo, 'log', '-1', '--format=%an|%s')).trim()).toBe('alice|Create Images “julia”');
    expect((await fetch(`${hubUrl}/services/configurator/profile_list.json`)).status).toBe(200);
  });

  it('refuses a user who is neither admin nor in the configured group (403 at the hub)', async () => {
    const bob = new Browser();
    const last = await bob.loginThroughService('bob');
    expect(last.status).toBe(403);
    expect([...bob.cookies.keys()]).not.toContain('service-configurator-session');
    const api = await bob.go('/services/configurator/api/status');
    expect(api.status).toBe(401);
  });

  it('lets a member of the configured group in', async () => {
    const carol = new Browser();
    const last = await carol.loginThroughService('carol');
    expect(last.headers.get('location')).toBe('/services/configurator/admin/');
    expect(await (await carol.go('/services/configurator/api/status')).json()).toMatchObject({
      user: 'carol',
    });
  });

  it('refuses a forged OAuth state', async () => {
    const mallory = new Browser();
    const start = await mallory.go('/services/configurator/admin/');
    expect(start.status).toBe(302);
    const forged = await mallory.go('/services/configurator/oauth_callback?code=abc&state=forged-state');
    expect(forged.status).toBe(403);
    expect(await forged.text()).toContain('OAuth state does not match');
  });

  it('sends anonymous browsers to log in and answers anonymous API calls with 401, while outputs stay public', async () => {
    const anonymous = new Browser();
    expect((await anonymous.go('/services/configurator/history')).status).toBe(302);
    expect(
      (
        await anonymous.go('/services/configurator/api/v1', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: '{}',
        })
      ).status,
    ).toBe(401);
    expect((await anonymous.go('/services/configurator/values.yaml')).status).toBe(200);
  });
});
