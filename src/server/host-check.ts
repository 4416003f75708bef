import type { ServerConfig } from './config.ts';

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

/**
 * Which `Host` values the server answers, against DNS rebinding (a page on evil.example whose name is made to
 * resolve to 127.0.0.1 sends `Host: evil.example`). Local mode: only loopback names with the server's own port.
 * Beside the hub: loopback (the hub's loader and the liveness probe in the same pod) and the hub's public host
 * when JupyterHub names it (`JUPYTERHUB_HOST`); without it every host is answered, since the proxy keeps the
 * browser's `Host` and only the hub knows its public name (login cookies never go to another host anyway).
 *
 * @example createHostCheck(config, () => 4321)('evil.example:4321') // false in local mode
 */
export function createHostCheck(
  config: ServerConfig,
  port: () => number,
): (host: string | undefined) => boolean {
  const publicHost = hostOfUrl(config.hub?.hubHost ?? '');
  return (host) => {
    if (host === undefined) return false;
    const { name, hostPort } = splitHost(host.toLowerCase());
    if (config.mode === 'local') {
      const own = String(port());
      return LOOPBACK_NAMES.includes(name) && (hostPort === own || (hostPort === '' && own === '80'));
    }
    if (LOOPBACK_NAMES.includes(name)) return true;
    return publicHost === undefined || host.toLowerCase() === publicHost;
  };
}

/** The message for a refused Host. */
export function wrongHostMessage(config: ServerConfig, port: number): string {
  return config.mode === 'local'
    ? `Refused: this editor answers only as http://127.0.0.1:${port}/ (or localhost), so that other web pages cannot reach it.\n`
    : 'Refused: this service answers only under the hub\u2019s own address.\n';
}

function splitHost(host: string): { name: string; hostPort: string } {
  const match = /^(\[[^\]]*\]|[^:]*)(?::(\d*))?$/.exec(host);
  return { name: match?.[1] ?? host, hostPort: match?.[2] ?? '' };
}

function hostOfUrl(value: string): string | undefined {
  if (value === '') return undefined;
  try {
    return new URL(value).host.toLowerCase();
  } catch {
    return undefined;
  }
}
