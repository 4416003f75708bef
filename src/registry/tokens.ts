import { send, type HttpContext, type RequestGate } from './http.ts';
import type { Challenge } from './challenge.ts';
import type { Credentials } from './types.ts';

/** A bearer token, or why there is none. `refused`: the token service answered 401/403. */
export type TokenResult =
  | { ok: true; token: string }
  | { ok: false; kind: 'refused' | 'rate-limited' | 'failed'; message: string; retryAfterSeconds?: number };

/** Tokens by (realm, service, scope, user), kept until they expire; concurrent requests for one token share it. */
export interface TokenCache {
  get(
    challenge: Challenge,
    scope: string,
    credentials: Credentials | undefined,
    context: HttpContext,
    gate: RequestGate,
  ): Promise<TokenResult>;
  /**
   * Fetches tokens for many scopes of one token service up front, several scopes per token (distribution's token
   * spec lets `scope` repeat), and keeps each under every scope it was asked for; scopes already cached are
   * skipped. A registry whose token service grants less is no worse off: the request that needs a missing scope
   * gets a 401 and fetches its own token.
   */
  prefetch(
    challenge: Challenge,
    scopes: readonly string[],
    credentials: Credentials | undefined,
    context: HttpContext,
    gate: RequestGate,
  ): Promise<void>;
  /** Forgets a token the registry no longer accepts. */
  drop(challenge: Challenge, scope: string, credentials: Credentials | undefined): void;
  /** Number of tokens fetched from token services so far. */
  readonly fetched: number;
}

/** All a caller learns of a failed token request: never the token service's status, body or address. */
export const COULD_NOT_AUTHENTICATE = 'could not authenticate';

/** Distribution's token spec: a token lives 60 s unless `expires_in` says more. */
const DEFAULT_LIFETIME_S = 60;
/** Tokens are renewed this long before they expire. */
const MARGIN_MS = 5_000;
/** Scopes asked for in one token request by {@link TokenCache.prefetch} (keeps URLs and tokens small). */
const SCOPES_PER_TOKEN = 25;

/** Creates an empty token cache; share one across checks so a repository's token is fetched once. */
export function createTokenCache(): TokenCache {
  const tokens = new Map<string, { token: string; expiresAt: number }>();
  const pending = new Map<string, Promise<TokenResult>>();
  let fetched = 0;
  const keyOf = (c: Challenge, scope: string, credentials: Credentials | undefined): string =>
    JSON.stringify([c.params['realm'], c.params['service'], scope, credentials?.username ?? '']);
  return {
    get fetched() {
      return fetched;
    },
    async prefetch(challenge, scopes, credentials, context, gate) {
      const now = context.clock.now();
      const missing = [...new Set(scopes)].filter((scope) => {
        const key = keyOf(challenge, scope, credentials);
        const cached = tokens.get(key);
        return !pending.has(key) && !(cached && cached.expiresAt > now);
      });
      const batches: string[][] = [];
      for (let i = 0; i < missing.length; i += SCOPES_PER_TOKEN)
        batches.push(missing.slice(i, i + SCOPES_PER_TOKEN));
      await Promise.all(
        batches.map(async (batch) => {
          fetched++;
          const request = fetchToken(challenge, batch, credentials, context, gate).then((result) => {
            for (const scope of batch) {
              const key = keyOf(challenge, scope, credentials);
              pending.delete(key);
              if (result.ok) tokens.set(key, { token: result.token, expiresAt: result.expiresAt });
            }
            return result.ok ? ({ ok: true, token: result.token } as const) : result;
          });
          for (const scope of batch) pending.set(keyOf(challenge, scope, credentials), request);
          await request;
        }),
      );
    },
    drop(challenge, scope, credentials) {
      tokens.delete(keyOf(challenge, scope, credentials));
    },
    async get(challenge, scope, credentials, context, gate) {
      const key = keyOf(challenge, scope, credentials);
      const cached = tokens.get(key);
      if (cached && cached.expiresAt > context.clock.now()) return { ok: true, token: cached.token };
      let request = pending.get(key);
      if (!request) {
        fetched++;
        request = fetchToken(challenge, [scope], credentials, context, gate).then((result) => {
          pending.delete(key);
          if (result.ok) tokens.set(key, { token: result.token, expiresAt: result.expiresAt });
          return result.ok ? { ok: true, token: result.token } : result;
        });
        pending.set(key, request);
      }
      return request;
    },
  };
}

type FetchedToken = { ok: true; token: string; expiresAt: number } | Exclude<TokenResult, { ok: true }>;

/** GET <realm>?service=…&scope=… (Basic credentials only when given), as distribution's token spec describes. */
async function fetchToken(
  challenge: Challenge,
  scopes: readonly string[],
  credentials: Credentials | undefined,
  context: HttpContext,
  gate: RequestGate,
): Promise<FetchedToken> {
  const realm = challenge.params['realm'] ?? '';
  let url: URL;
  try {
    url = new URL(realm);
  } catch {
    return { ok: false, kind: 'failed', message: COULD_NOT_AUTHENTICATE };
  }
  const service = challenge.params['service'];
  if (service !== undefined) url.searchParams.set('service', service);
  for (const scope of scopes) url.searchParams.append('scope', scope);
  if (credentials) url.searchParams.set('account', credentials.username);
  const authorization = credentials
    ? `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`
    : undefined;
  const sent = await send(context, gate, {
    method: 'GET',
    url,
    headers: { Accept: 'application/json' },
    ...(authorization === undefined ? {} : { authorization }),
  });
  // Nothing the token service says (status, body, address) is repeated: a hostile registry could name any URL
  // as its realm and read the answer back through the message.
  if (!sent.ok) return { ok: false, kind: 'failed', message: COULD_NOT_AUTHENTICATE };
  const { response } = sent;
  if (response.status !== 200) await response.body?.cancel();
  if (response.status === 401 || response.status === 403) {
    return { ok: false, kind: 'refused', message: COULD_NOT_AUTHENTICATE };
  }
  if (response.status === 429) {
    return {
      ok: false,
      kind: 'rate-limited',
      message: COULD_NOT_AUTHENTICATE,
      ...(sent.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: sent.retryAfterSeconds }),
    };
  }
  if (response.status !== 200) return { ok: false, kind: 'failed', message: COULD_NOT_AUTHENTICATE };
  let body: { token?: unknown; access_token?: unknown; expires_in?: unknown; issued_at?: unknown };
  try {
    body = (await response.json()) as typeof body;
  } catch {
    return { ok: false, kind: 'failed', message: COULD_NOT_AUTHENTICATE };
  }
  const token = typeof body.token === 'string' ? body.token : body.access_token;
  if (typeof token !== 'string' || token === '') {
    return { ok: false, kind: 'failed', message: COULD_NOT_AUTHENTICATE };
  }
  const lifetime =
    typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : DEFAULT_LIFETIME_S;
  const issued = typeof body.issued_at === 'string' ? Date.parse(body.issued_at) : Number.NaN;
  const now = context.clock.now();
  // A clock skewed from the token service's must not make a token look expired at once (or live forever).
  const start = Number.isNaN(issued) || Math.abs(issued - now) > 60_000 ? now : issued;
  return { ok: true, token, expiresAt: start + Math.max(lifetime, DEFAULT_LIFETIME_S) * 1000 - MARGIN_MS };
}
