import { createHmac } from 'node:crypto';
import path from 'node:path';

/** JupyterHub's settings for this service, from its standard service environment. */
export interface HubSettings {
  apiUrl: string;
  apiToken: string;
  clientId: string;
  callbackUrl: string;
  servicePrefix: string;
  /** Where browsers reach the hub ('' when it shares the origin). */
  hubHost: string;
  /** The hub's own prefix, e.g. `/hub/`. */
  hubPrefix: string;
}

/** Everything the server reads from its environment, once, at start-up. */
export interface ServerConfig {
  mode: 'local' | 'hub';
  host: string;
  port: number;
  base: string;
  contentRepo: string;
  hub?: HubSettings;
  adminGroups: string[];
  sessionSecret: string;
  publicOutputs: boolean;
  workflow: boolean;
}

const HUB_REQUIRED = [
  'JUPYTERHUB_API_URL',
  'JUPYTERHUB_API_TOKEN',
  'JUPYTERHUB_CLIENT_ID',
  'JUPYTERHUB_OAUTH_CALLBACK_URL',
  'JUPYTERHUB_SERVICE_PREFIX',
] as const;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

/** Settings that cannot work together; the message names every problem and what to set. */
export class ConfigError extends Error {}

/**
 * Reads the server's settings. With none of JupyterHub's service variables set it runs for one person on their
 * own machine (loopback only, no login); with any of them set, all of them are required.
 */
export function readServerConfig(env: NodeJS.ProcessEnv, defaults: { projectDir: string }): ServerConfig {
  const problems: string[] = [];
  const hubMode = HUB_REQUIRED.some((name) => env[name]) || Boolean(env['JUPYTERHUB_SERVICE_NAME']);
  const missing = hubMode ? HUB_REQUIRED.filter((name) => !env[name]) : [];
  if (missing.length > 0) {
    problems.push(
      `JupyterHub login is partly configured; missing: ${missing.join(', ')}. ` +
        'Set them as JupyterHub sets them for a service (see README, "Sidecar"), or unset all JUPYTERHUB_* variables for local use.',
    );
  }
  const host = env['HOST'] ?? '127.0.0.1';
  if (!hubMode && !LOOPBACK.has(host)) {
    problems.push(
      `HOST=${host} would let anyone who can reach this address change the hub's menu, and no login is configured. ` +
        'Leave HOST unset (127.0.0.1) or configure JupyterHub login (JUPYTERHUB_* variables).',
    );
  }
  const port = Number(env['PORT'] ?? '4321');
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    problems.push(`PORT=${env['PORT']} is not a port number.`);
  const prefix = env['JUPYTERHUB_SERVICE_PREFIX'];
  const base = withSlashes(env['CONFIGURATOR_BASE'] ?? prefix ?? '/');
  if (prefix && withSlashes(prefix) !== base) {
    problems.push(
      `CONFIGURATOR_BASE (${base}) differs from JUPYTERHUB_SERVICE_PREFIX (${withSlashes(prefix)}); set only one.`,
    );
  }
  if (problems.length > 0) throw new ConfigError(`The server cannot start:\n- ${problems.join('\n- ')}`);
  const hub: HubSettings | undefined = hubMode
    ? {
        apiUrl: String(env['JUPYTERHUB_API_URL']).replace(/\/$/, ''),
        apiToken: String(env['JUPYTERHUB_API_TOKEN']),
        clientId: String(env['JUPYTERHUB_CLIENT_ID']),
        callbackUrl: String(env['JUPYTERHUB_OAUTH_CALLBACK_URL']),
        servicePrefix: base,
        hubHost: env['JUPYTERHUB_HOST'] ?? '',
        hubPrefix: `${withSlashes(env['JUPYTERHUB_BASE_URL'] ?? '/')}hub/`,
      }
    : undefined;
  const secret =
    env['CONFIGURATOR_SESSION_SECRET'] ??
    (hub ? createHmac('sha256', hub.apiToken).update('z2jh-configurator session').digest('hex') : 'local');
  return {
    mode: hub ? 'hub' : 'local',
    host,
    port,
    base,
    contentRepo: path.resolve(env['CONFIGURATOR_CONTENT_REPO'] ?? defaults.projectDir),
    ...(hub ? { hub } : {}),
    adminGroups: (env['CONFIGURATOR_ADMIN_GROUPS'] ?? '')
      .split(',')
      .map((g) => g.trim())
      .filter(Boolean),
    sessionSecret: secret,
    publicOutputs: env['CONFIGURATOR_PUBLIC_OUTPUTS'] !== 'false',
    workflow:
      (env['CONFIGURATOR_PUBLISH_MODE'] ?? (hub ? 'editorial_workflow' : 'simple')) === 'editorial_workflow',
  };
}

function withSlashes(value: string): string {
  const start = value.startsWith('/') ? value : `/${value}`;
  return start.endsWith('/') ? start : `${start}/`;
}
