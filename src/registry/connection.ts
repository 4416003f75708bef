import { findChallenge, parseChallenges, type Challenge } from './challenge.ts';
import { send, type HttpContext, type RequestGate } from './http.ts';
import { createLimiter, type Limiter } from './limiter.ts';
import { allowsPlainHttp, hostOf, isLoopbackHost } from './target.ts';
import type { Credentials } from './types.ts';

/** What `GET /v2/` told about a registry: which origin answers and which authentication it asks for. */
export type Discovery =
  | { ok: true; origin: string; challenge?: Challenge }
  | { ok: false; kind: 'rate-limited' | 'failed'; message: string; retryAfterSeconds?: number };

/** Everything kept per registry: its limiter, its 429 gate, its credentials and what discovery found. */
export interface RegistryConnection {
  /** The registry as Docker names it (`docker.io`). */
  domain: string;
  /** host[:port] of its API (`registry-1.docker.io`). */
  apiHost: string;
  credentials?: Credentials;
  plainHttp: boolean;
  gate: RequestGate;
  limiter: Limiter;
  discovery?: { result: Promise<Discovery>; failedAt?: number };
}

/** A failed discovery is reused this long, so a batch against a dead registry does not wait for each image. */
const FAILED_DISCOVERY_REUSE_MS = 30_000;

/** Creates the per-registry state. */
export function createConnection(
  domain: string,
  apiHost: string,
  options: { credentials?: Credentials; insecureRegistries: readonly string[]; concurrency: number },
): RegistryConnection {
  const connection: RegistryConnection = {
    domain,
    apiHost,
    plainHttp:
      allowsPlainHttp(domain, options.insecureRegistries) ||
      allowsPlainHttp(apiHost, options.insecureRegistries),
    gate: { pausedUntil: 0 },
    limiter: createLimiter(options.concurrency),
  };
  if (options.credentials) connection.credentials = options.credentials;
  return connection;
}

/**
 * Pings `/v2/` once per registry (shared by concurrent checks) to learn its origin and challenge, as Docker and
 * skopeo do. HTTPS first; plain HTTP only for loopback and insecure registries, after HTTPS failed.
 */
export function discover(connection: RegistryConnection, context: HttpContext): Promise<Discovery> {
  const known = connection.discovery;
  const now = context.clock.now();
  if (known && (known.failedAt === undefined || now - known.failedAt < FAILED_DISCOVERY_REUSE_MS))
    return known.result;
  const entry: NonNullable<RegistryConnection['discovery']> = {
    result: ping(connection, context).then((result) => {
      if (!result.ok) entry.failedAt = context.clock.now();
      return result;
    }),
  };
  connection.discovery = entry;
  return entry.result;
}

async function ping(connection: RegistryConnection, context: HttpContext): Promise<Discovery> {
  const origins = [`https://${connection.apiHost}`];
  if (connection.plainHttp) origins.push(`http://${connection.apiHost}`);
  let failure = '';
  for (const origin of origins) {
    const sent = await send(context, connection.gate, { method: 'GET', url: new URL('/v2/', origin) });
    if (!sent.ok) {
      failure = sent.failure;
      continue;
    }
    const { response } = sent;
    await response.body?.cancel();
    if (response.status === 429) {
      return {
        ok: false,
        kind: 'rate-limited',
        message: `${connection.apiHost} answered 429 Too Many Requests to GET /v2/`,
        ...(sent.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: sent.retryAfterSeconds }),
      };
    }
    const challenge = pickChallenge(response.headers.get('www-authenticate'));
    return challenge ? { ok: true, origin, challenge } : { ok: true, origin };
  }
  return { ok: false, kind: 'failed', message: failure };
}

/** The Bearer challenge of a header if there is one, else its Basic challenge. */
export function pickChallenge(header: string | null): Challenge | undefined {
  if (header === null) return undefined;
  const challenges = parseChallenges(header);
  return findChallenge(challenges, 'bearer') ?? findChallenge(challenges, 'basic');
}

/**
 * Whether a registry's credentials may be sent to the token service it names: same host, one a subdomain of the
 * other, or the same last two DNS labels (registry-1.docker.io → auth.docker.io, registry.gitlab.com → gitlab.com).
 */
export function mayReceiveCredentials(realm: string, apiHost: string): boolean {
  let realmHost: string;
  try {
    realmHost = new URL(realm).hostname.toLowerCase();
  } catch {
    return false;
  }
  const registryHost = hostOf(apiHost).replace(/^\[|\]$/g, '');
  const bare = realmHost.replace(/^\[|\]$/g, '');
  if (bare === registryHost) return true;
  if (isLoopbackHost(bare) || /^[\d.]+$/.test(bare) || bare.includes(':')) return false;
  if (bare.endsWith(`.${registryHost}`) || registryHost.endsWith(`.${bare}`)) return true;
  const lastTwo = (h: string): string => h.split('.').slice(-2).join('.');
  return registryHost.split('.').length >= 2 && lastTwo(bare) === lastTwo(registryHost);
}
