import { createHash } from 'node:crypto';
import { findChallenge, parseChallenges, type Challenge } from './challenge.ts';
import { discover, mayReceiveCredentials, type RegistryConnection } from './connection.ts';
import { send, type HttpContext, type SendResult } from './http.ts';
import { hostOf, type RegistryTarget } from './target.ts';
import type { TokenCache } from './tokens.ts';
import type { Credentials, ImageCheckResult, ImageCheckStatus } from './types.ts';

/** The OCI and Docker manifest and index types: without them an existing image can answer 404. */
export const MANIFEST_ACCEPT = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

/** Token identity, to drop it from the cache when the registry no longer accepts it. */
type TokenUsed = { challenge: Challenge; scope: string; credentials: Credentials | undefined };
type Auth = { ok: true; authorization?: string; token?: TokenUsed } | ImageCheckResult;

/** Asks one registry whether it has a manifest for the target: HEAD, with the token exchange on a 401 challenge. */
export async function checkManifest(
  connection: RegistryConnection,
  target: RegistryTarget,
  context: HttpContext,
  tokens: TokenCache,
): Promise<ImageCheckResult> {
  const result = (
    status: ImageCheckStatus,
    message: string,
    extra: Partial<ImageCheckResult> = {},
  ): ImageCheckResult => ({
    reference: target.input,
    canonical: target.canonical,
    status,
    message,
    checkedAt: context.clock.now(),
    ...extra,
  });
  const registry = connection.domain;
  const discovery = await discover(connection, context);
  if (!discovery.ok) {
    return discovery.kind === 'rate-limited'
      ? result(
          'rate-limited',
          `${discovery.message}${waitText(discovery.retryAfterSeconds)}.`,
          retryExtra(discovery.retryAfterSeconds),
        )
      : result('could-not-check', `Could not reach the registry ${registry}: ${discovery.message}.`);
  }
  const what = `${target.repository}${target.digest === undefined ? ':' : '@'}${target.reference}`;
  const url = new URL(`/v2/${target.repository}/manifests/${target.reference}`, discovery.origin);
  const credentials = connection.credentials;
  const who = credentials
    ? `the credentials configured for ${registry} (user "${credentials.username}")`
    : 'anonymous access';

  const authorize = async (challenge: Challenge | undefined, scope: string): Promise<Auth> => {
    if (challenge === undefined) return { ok: true };
    if (challenge.scheme === 'basic') {
      if (!credentials) {
        return result(
          'needs-credentials',
          `${registry} asks for a user name and password (Basic auth${realmText(challenge)}), and none are configured for it.`,
        );
      }
      return {
        ok: true,
        authorization: `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`,
      };
    }
    const realm = challenge.params['realm'] ?? '';
    if (!mayFollowRealm(realm, connection)) {
      return result(
        'could-not-check',
        `Could not authenticate with ${registry}: its token service is neither HTTPS nor on the registry's own host (allowed as insecure), so it was not asked.`,
      );
    }
    const sendCredentials =
      credentials !== undefined && mayReceiveCredentials(realm, connection.apiHost) ? credentials : undefined;
    const token = await tokens.get(challenge, scope, sendCredentials, context, connection.gate);
    if (token.ok) {
      return {
        ok: true,
        authorization: `Bearer ${token.token}`,
        token: { challenge, scope, credentials: sendCredentials },
      };
    }
    if (token.kind === 'refused') {
      return sendCredentials
        ? result('needs-credentials', `Could not authenticate with ${registry}: it does not accept ${who}.`)
        : result(
            'private-or-missing',
            `Could not authenticate with ${registry} anonymously: ${what} is private, or does not exist.`,
          );
    }
    if (token.kind === 'rate-limited') {
      return result(
        'rate-limited',
        `Could not authenticate with ${registry} (too many requests)${waitText(token.retryAfterSeconds)}.`,
        retryExtra(token.retryAfterSeconds),
      );
    }
    return result('could-not-check', `Could not authenticate with ${registry} to check ${what}.`);
  };

  let challenge = discovery.challenge;
  let scope = `repository:${target.repository}:pull`;
  let auth = await authorize(challenge, scope);
  let retried = false;
  for (;;) {
    if (!('ok' in auth)) return auth;
    const head = await send(context, connection.gate, {
      method: 'HEAD',
      url,
      headers: { Accept: MANIFEST_ACCEPT },
      ...(auth.authorization === undefined ? {} : { authorization: auth.authorization }),
    });
    if (!head.ok)
      return result('could-not-check', `Could not check ${what} on ${registry}: ${head.failure}.`);
    const { response } = head;
    const status = response.status;
    if (status === 200 || status === 405) {
      const found = await describeManifest(head, url, target, context, connection, auth.authorization);
      if (typeof found === 'string')
        return result('could-not-check', `Could not read ${what} on ${registry}: ${found}.`);
      return result('exists', `${target.canonical} exists on ${registry} (${found.digest}).`, found);
    }
    if (status === 404) {
      return result(
        'not-found',
        `${registry} has no manifest ${JSON.stringify(target.reference)} in ${target.repository}: HEAD answered 404 (the ${target.digest === undefined ? 'tag' : 'digest'}, or the whole repository, does not exist).`,
      );
    }
    if (status === 401 || status === 403) {
      const offered = parseChallenges(response.headers.get('www-authenticate') ?? '');
      const bearer = findChallenge(offered, 'bearer');
      const basic = findChallenge(offered, 'basic');
      if (!retried) {
        // A token the registry calls invalid (expired early, revoked) is replaced once.
        const stale = auth.token !== undefined && bearer?.params['error'] === 'invalid_token';
        if (stale && auth.token) tokens.drop(auth.token.challenge, auth.token.scope, auth.token.credentials);
        const retryWith =
          bearer !== undefined &&
          (stale || auth.token === undefined || (bearer.params['scope'] ?? scope) !== scope)
            ? bearer
            : bearer === undefined && basic !== undefined && auth.authorization === undefined
              ? basic
              : undefined;
        if (retryWith !== undefined) {
          retried = true;
          challenge = retryWith;
          scope = retryWith.params['scope'] ?? scope;
          auth = await authorize(challenge, scope);
          continue;
        }
      }
      if (auth.token === undefined && auth.authorization !== undefined) {
        return result('needs-credentials', `${registry} refused ${who}: HEAD answered ${status}.`);
      }
      if (auth.token === undefined && (basic !== undefined || status === 401)) {
        return result(
          'needs-credentials',
          `${registry} asks for credentials${basic ? ` (Basic auth${realmText(basic)})` : ''}, and none are configured for it: HEAD answered ${status}.`,
        );
      }
      return result(
        'private-or-missing',
        `${registry} refused ${who} to ${what} (HEAD answered ${status}${auth.token ? ' with a token' : ''}): the repository is private, or it does not exist; registries do not say which.`,
      );
    }
    if (status === 400 && auth.token !== undefined && !retried) {
      // ECR Public answers 400 to an expired token instead of 401: fetch a fresh one once.
      retried = true;
      tokens.drop(auth.token.challenge, auth.token.scope, auth.token.credentials);
      auth = await authorize(challenge, scope);
      continue;
    }
    if (status === 429) {
      return result(
        'rate-limited',
        `${registry} answered 429 Too Many Requests to HEAD ${what}${waitText(head.retryAfterSeconds)}.`,
        retryExtra(head.retryAfterSeconds),
      );
    }
    return result(
      'could-not-check',
      `Could not check ${what}: ${registry} answered ${status} ${response.statusText}`.trimEnd() + '.',
    );
  }
}

/** Digest and media type of an existing manifest; a GET (hashing the body) when HEAD gave no digest or was refused. */
async function describeManifest(
  head: Extract<SendResult, { ok: true }>,
  url: URL,
  target: RegistryTarget,
  context: HttpContext,
  connection: RegistryConnection,
  authorization: string | undefined,
): Promise<{ digest: string; mediaType?: string } | string> {
  const type = (r: Response): { mediaType?: string } => {
    const value = r.headers.get('content-type')?.split(';')[0]?.trim();
    return value ? { mediaType: value } : {};
  };
  const digest = head.response.headers.get('docker-content-digest');
  if (head.response.status === 200 && (digest || target.digest !== undefined)) {
    return { digest: target.digest ?? digest ?? '', ...type(head.response) };
  }
  const get = await send(context, connection.gate, {
    method: 'GET',
    url,
    headers: { Accept: MANIFEST_ACCEPT },
    ...(authorization === undefined ? {} : { authorization }),
  });
  if (!get.ok) return get.failure;
  if (get.response.status !== 200) {
    await get.response.body?.cancel();
    return `GET answered ${get.response.status} after HEAD answered ${head.response.status}`;
  }
  const body = Buffer.from(await get.response.arrayBuffer());
  const computed = `sha256:${createHash('sha256').update(body).digest('hex')}`;
  return { digest: get.response.headers.get('docker-content-digest') ?? computed, ...type(get.response) };
}

function realmText(challenge: Challenge): string {
  const realm = challenge.params['realm'];
  return realm === undefined ? '' : `, realm ${JSON.stringify(realm)}`;
}

function waitText(seconds: number | undefined): string {
  return seconds === undefined
    ? ', also after waiting and retrying'
    : `; it asks to wait ${seconds} s before trying again`;
}

function retryExtra(seconds: number | undefined): Partial<ImageCheckResult> {
  return seconds === undefined ? {} : { retryAfterSeconds: seconds };
}

/**
 * Whether the token dance may follow a registry's `Bearer realm`: over HTTPS, or over plain HTTP only to the
 * registry's own host when that registry may be used over plain HTTP (loopback or listed as insecure). Anything
 * else would let a registry make this server fetch arbitrary URLs (its cluster's internal services included).
 */
export function mayFollowRealm(
  realm: string,
  connection: Pick<RegistryConnection, 'apiHost' | 'plainHttp'>,
): boolean {
  let url: URL;
  try {
    url = new URL(realm);
  } catch {
    return false;
  }
  if (url.username !== '' || url.password !== '') return false;
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && connection.plainHttp && hostOf(url.host) === hostOf(connection.apiHost);
}
