import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import type { Credentials } from './types.ts';

/** How the image checker talks to registries; read once from the environment at start-up. */
export interface RegistrySettings {
  /** Registries (`host` or `host:port`) that may be reached over plain HTTP, besides loopback ones. */
  insecureRegistries: string[];
  /** Credentials by registry as Docker names it: `docker.io`, `quay.io`, `127.0.0.1:5000`. */
  credentials: Record<string, Credentials>;
  /** Requests in flight per registry. */
  concurrency: number;
  /** Timeout of one request. */
  timeoutMs: number;
  /** How long a result is reused (`exists`; negative results at most 5 minutes); 0 turns the cache off. */
  cacheTtlMs: number;
  /** JSON file the result cache is kept in across runs, if any. */
  cacheFile?: string;
  /** How long a repository's tag list is reused; 0 lists again every time. */
  tagsTtlMs: number;
  /** Tags asked for per page of `tags/list` (`n=`). */
  tagsPageSize: number;
}

/** Defaults when the environment says nothing. */
export const DEFAULT_REGISTRY_SETTINGS: RegistrySettings = {
  insecureRegistries: [],
  credentials: {},
  concurrency: 6,
  timeoutMs: 10_000,
  cacheTtlMs: 3_600_000,
  tagsTtlMs: 900_000,
  tagsPageSize: 1000,
};

/** The environment variables read by {@link readRegistrySettings}. */
export const REGISTRY_ENV = {
  insecure: 'CONFIGURATOR_INSECURE_REGISTRIES',
  auth: 'CONFIGURATOR_REGISTRY_AUTH',
  concurrency: 'CONFIGURATOR_REGISTRY_CONCURRENCY',
  timeout: 'CONFIGURATOR_REGISTRY_TIMEOUT',
  ttl: 'CONFIGURATOR_IMAGE_CHECK_TTL',
  cacheFile: 'CONFIGURATOR_IMAGE_CHECK_CACHE',
  tagsTtl: 'CONFIGURATOR_TAGS_TTL',
} as const;

/**
 * Reads the settings from the environment and Docker's `config.json` (`$DOCKER_CONFIG/config.json`, else
 * `~/.docker/config.json`; only inline `auth` or `username`/`password` entries; credential helpers are not run).
 * Credentials in `CONFIGURATOR_REGISTRY_AUTH` win over config.json. Never throws: what could not be used is
 * returned in `problems`, one sentence each.
 */
export function readRegistrySettings(
  env: Record<string, string | undefined> = process.env,
  options: { defaultCacheFile?: string; home?: string } = {},
): { settings: RegistrySettings; problems: string[] } {
  const problems: string[] = [];
  const settings: RegistrySettings = {
    ...DEFAULT_REGISTRY_SETTINGS,
    insecureRegistries: [],
    credentials: {},
  };
  settings.insecureRegistries = (env[REGISTRY_ENV.insecure] ?? '').split(/[\s,]+/).filter((s) => s !== '');
  const number = (name: string, scale: number, min: number): number | undefined => {
    const text = env[name];
    if (text === undefined || text.trim() === '') return undefined;
    const value = Number(text);
    if (Number.isFinite(value) && value >= min) return value * scale;
    problems.push(`${name}=${JSON.stringify(text)} is not a number of at least ${min}; the default is used.`);
    return undefined;
  };
  settings.concurrency = number(REGISTRY_ENV.concurrency, 1, 1) ?? settings.concurrency;
  settings.timeoutMs = number(REGISTRY_ENV.timeout, 1000, 0.001) ?? settings.timeoutMs;
  settings.cacheTtlMs = number(REGISTRY_ENV.ttl, 1000, 0) ?? settings.cacheTtlMs;
  settings.tagsTtlMs = number(REGISTRY_ENV.tagsTtl, 1000, 0) ?? settings.tagsTtlMs;
  const cacheFile = env[REGISTRY_ENV.cacheFile] ?? options.defaultCacheFile;
  if (cacheFile !== undefined && cacheFile !== '' && cacheFile !== 'off') settings.cacheFile = cacheFile;

  const configDir = env['DOCKER_CONFIG'] ?? path.join(options.home ?? homedir(), '.docker');
  Object.assign(settings.credentials, readDockerConfig(path.join(configDir, 'config.json'), problems));
  const authText = env[REGISTRY_ENV.auth];
  if (authText !== undefined && authText.trim() !== '') {
    Object.assign(settings.credentials, parseAuthMap(authText, REGISTRY_ENV.auth, problems));
  }
  return { settings, problems };
}

/** `auths` of a Docker config.json; a missing file is no problem. */
function readDockerConfig(file: string, problems: string[]): Record<string, Credentials> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return {};
  }
  let config: { auths?: unknown; credsStore?: unknown; credHelpers?: unknown };
  try {
    config = JSON.parse(text) as typeof config;
  } catch {
    problems.push(`${file} is not valid JSON, so its registry credentials are not used.`);
    return {};
  }
  if (config.credsStore !== undefined || config.credHelpers !== undefined) {
    problems.push(
      `${file} names credential helpers (credsStore/credHelpers), which are not run; set ${REGISTRY_ENV.auth} for those registries.`,
    );
  }
  if (typeof config.auths !== 'object' || config.auths === null) return {};
  return parseAuthEntries(config.auths as Record<string, unknown>, file, problems);
}

function parseAuthMap(text: string, source: string, problems: string[]): Record<string, Credentials> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    problems.push(`${source} is not valid JSON, so it is ignored.`);
    return {};
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    problems.push(`${source} must be a JSON object {"<registry>": "user:password", …}, so it is ignored.`);
    return {};
  }
  const map = value as Record<string, unknown>;
  return parseAuthEntries(
    typeof map['auths'] === 'object' ? (map['auths'] as Record<string, unknown>) : map,
    source,
    problems,
  );
}

/** Entries `registry → "user:password" | {username, password} | {auth: base64("user:password")}`. */
function parseAuthEntries(
  entries: Record<string, unknown>,
  source: string,
  problems: string[],
): Record<string, Credentials> {
  const out: Record<string, Credentials> = {};
  for (const [key, entry] of Object.entries(entries)) {
    const registry = registryKey(key);
    const credentials = toCredentials(entry);
    if (credentials) out[registry] = credentials;
    else if (typeof entry !== 'object' || entry === null || Object.keys(entry).length > 0) {
      problems.push(
        `${source}: the entry for ${JSON.stringify(key)} has no user name and password, so it is ignored.`,
      );
    }
  }
  return out;
}

function toCredentials(entry: unknown): Credentials | undefined {
  const split = (pair: string): Credentials | undefined => {
    const colon = pair.indexOf(':');
    return colon > 0 ? { username: pair.slice(0, colon), password: pair.slice(colon + 1) } : undefined;
  };
  if (typeof entry === 'string') return split(entry);
  if (typeof entry !== 'object' || entry === null) return undefined;
  const e = entry as Record<string, unknown>;
  if (typeof e['username'] === 'string' && typeof e['password'] === 'string') {
    return { username: e['username'], password: e['password'] };
  }
  if (typeof e['auth'] === 'string' && e['auth'] !== '')
    return split(Buffer.from(e['auth'], 'base64').toString('utf8'));
  return undefined;
}

/** Docker config keys may be URLs (`https://index.docker.io/v1/`); the registry is the host[:port]. */
export function registryKey(key: string): string {
  const host = key
    .replace(/^[a-z]+:\/\//i, '')
    .replace(/\/.*$/, '')
    .toLowerCase();
  return host === 'index.docker.io' || host === 'registry-1.docker.io' ? 'docker.io' : host;
}
