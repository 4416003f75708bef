// A real JupyterHub 3.0 (Debian's jupyterhub and configurable-http-proxy) on loopback, for tests and benchmarks
// that need the hub's REST API: users, groups, and servers really started (a stand-in process each) with user_options.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SERVICE_SCOPES } from '../../src/lib/hub-scopes.ts';
import { projectRoot } from './content.ts';
import { freePort } from './ports.ts';

/** The configurator's service token: it holds exactly the scopes the README documents. */
export const SERVICE_TOKEN = 'configurator-service-token-0123456789abcdef';
/** A second service that sets the scene (creates users and groups, starts and stops servers). */
export const ADMIN_TOKEN = 'test-admin-token-0123456789abcdef0123';

/** What to put into the hub. */
export interface HubSetup {
  users: string[];
  admins?: string[];
  groups?: Record<string, string[]>;
  /** The configurator as an external service (URL) with JupyterHub login, when the test runs it. */
  serviceUrl?: string;
  /** Scopes of the configurator's token (default: SERVICE_SCOPES). */
  serviceScopes?: readonly string[];
  /** Python run before the hub starts, e.g. to seed its database. */
  dbUrl?: string;
  extraConfig?: string;
  /** How long the hub may take to start (default 60 s). */
  startSeconds?: number;
}

/** A running hub. */
export interface RunningHub {
  /** The public URL (through the proxy), e.g. http://127.0.0.1:1234 */
  url: string;
  /** The hub's API as a service sees it, e.g. http://127.0.0.1:1235/hub/api */
  apiUrl: string;
  dir: string;
  log(): string;
  /** Calls the API as the scene-setting admin service. */
  admin(method: string, apiPath: string, body?: unknown): Promise<Response>;
  stop(): Promise<void>;
}

/** Starts a hub and waits until its API answers. */
export async function startJupyterHub(setup: HubSetup): Promise<RunningHub> {
  const dir = await mkdtemp(path.join(tmpdir(), 'z2jh-hub-'));
  const [proxyPort, apiPort, hubPort] = await Promise.all([freePort(), freePort(), freePort()]);
  const fixture = path.join(projectRoot, 'test', 'python', 'hub_fixture');
  const services = [
    {
      name: 'configurator',
      api_token: SERVICE_TOKEN,
      oauth_no_confirm: true,
      ...(setup.serviceUrl ? { url: setup.serviceUrl } : {}),
    },
    { name: 'test-admin', api_token: ADMIN_TOKEN },
  ];
  const roles = [
    {
      name: 'configurator-hub-reader',
      scopes: setup.serviceScopes ?? SERVICE_SCOPES,
      services: ['configurator'],
    },
    {
      name: 'test-admin',
      scopes: ['admin:users', 'admin:servers', 'admin:groups'],
      services: ['test-admin'],
    },
    { name: 'profile-editors', scopes: ['access:services!service=configurator'], groups: ['content-admins'] },
  ];
  const py = (value: unknown) =>
    JSON.stringify(value)
      .replace(/\btrue\b/g, 'True')
      .replace(/\bfalse\b/g, 'False');
  const config = `import sys
sys.path.insert(0, ${JSON.stringify(fixture)})
c = get_config()  # noqa
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = ${proxyPort}
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = ${hubPort}
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:${apiPort}"
c.ConfigurableHTTPProxy.command = ["env", "NODE_PATH=/usr/share/nodejs", "configurable-http-proxy"]
c.ConfigurableHTTPProxy.auth_token = "proxy-token-0123456789abcdef"
c.JupyterHub.db_url = ${JSON.stringify(setup.dbUrl ?? `sqlite:///${dir}/jupyterhub.sqlite`)}
c.JupyterHub.cookie_secret_file = "${dir}/cookie_secret"
c.JupyterHub.pid_file = "${dir}/jupyterhub.pid"
c.JupyterHub.authenticator_class = "jupyterhub.auth.DummyAuthenticator"
c.DummyAuthenticator.password = "testpass"
c.Authenticator.admin_users = set(${py(setup.admins ?? [])})
c.Authenticator.allowed_users = set(${py(setup.users)})
c.JupyterHub.load_groups = ${py(setup.groups ?? {})}
c.JupyterHub.spawner_class = "process_spawner.ProcessSpawner"
c.JupyterHub.allow_named_servers = True
c.JupyterHub.services = ${py(services)}
c.JupyterHub.load_roles = ${py(roles)}
${setup.extraConfig ?? ''}
`;
  await writeFile(path.join(dir, 'jupyterhub_config.py'), config);
  let log = '';
  const hub: ChildProcess = spawn('jupyterhub', ['-f', path.join(dir, 'jupyterhub_config.py')], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  hub.stdout?.on('data', (d: Buffer) => (log += d.toString()));
  hub.stderr?.on('data', (d: Buffer) => (log += d.toString()));
  const url = `http://127.0.0.1:${proxyPort}`;
  const apiUrl = `http://127.0.0.1:${hubPort}/hub/api`;
  const admin = (method: string, apiPath: string, body?: unknown) =>
    fetch(`${apiUrl}${apiPath}`, {
      method,
      headers: { Authorization: `token ${ADMIN_TOKEN}`, 'Content-Type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  for (let attempt = 0; ; attempt++) {
    const answer = await fetch(`${url}/hub/api/`).catch(() => undefined);
    if (answer?.status === 200) break;
    if (hub.exitCode !== null || attempt > (setup.startSeconds ?? 60) * 4) {
      hub.kill('SIGTERM');
      throw new Error(`JupyterHub did not start:\n${log.slice(-4000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return {
    url,
    apiUrl,
    dir,
    log: () => log,
    admin,
    async stop() {
      if (hub.exitCode !== null) return;
      const exited = new Promise((resolve) => hub.once('exit', resolve));
      hub.kill('SIGTERM');
      await exited;
    },
  };
}

/** Starts a user's server (or a named one) with these user_options, as KubeSpawner's form or an API client would. */
export async function startServer(
  hub: RunningHub,
  user: string,
  userOptions: Record<string, string>,
  serverName = '',
): Promise<void> {
  const where = serverName ? `/users/${user}/servers/${serverName}` : `/users/${user}/server`;
  const response = await hub.admin('POST', where, userOptions);
  if (response.status !== 201 && response.status !== 202)
    throw new Error(`starting ${user}'s server: ${response.status} ${await response.text()}`);
  for (let attempt = 0; attempt < 100; attempt++) {
    const model = (await (await hub.admin('GET', `/users/${user}`)).json()) as {
      servers?: Record<string, { ready?: boolean }>;
    };
    if (model.servers?.[serverName]?.ready) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${user}'s server did not become ready:\n${hub.log().slice(-3000)}`);
}

/** Stops a user's server; JupyterHub keeps its user_options. */
export async function stopServer(hub: RunningHub, user: string, serverName = ''): Promise<void> {
  const where = serverName ? `/users/${user}/servers/${serverName}` : `/users/${user}/server`;
  const response = await hub.admin('DELETE', where);
  if (response.status !== 204 && response.status !== 202)
    throw new Error(`stopping ${user}'s server: ${response.status} ${await response.text()}`);
  for (let attempt = 0; attempt < 100; attempt++) {
    const model = (await (await hub.admin('GET', `/users/${user}`)).json()) as {
      servers?: Record<string, unknown>;
    };
    if (!model.servers?.[serverName]) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${user}'s server did not stop`);
}
