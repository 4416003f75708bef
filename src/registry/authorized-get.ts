import { findChallenge, parseChallenges, type Challenge } from './challenge.ts';
import { discover, mayReceiveCredentials, type RegistryConnection } from './connection.ts';
import { mayFollowRealm } from './check-manifest.ts';
import { send, type HttpContext } from './http.ts';
import type { TokenCache } from './tokens.ts';
import type { ImageCheckStatus } from './types.ts';

/** A 200 answer, or why there is none, in the statuses of image checks. */
export type GetResult =
  | { ok: true; response: Response }
  | {
      ok: false;
      status: Exclude<ImageCheckStatus, 'exists' | 'invalid'>;
      message: string;
      retryAfterSeconds?: number;
    };

/**
 * GETs a path of one repository's API (`/v2/<repository>/tags/list`, a blob, a manifest) with the same
 * authentication as the image check: the `/v2/` discovery, Basic credentials or a cached pull token for the
 * repository, one retry with a fresh token when the registry calls it invalid or asks for another scope, and the
 * 429 handling of {@link send}. `what` names the request in messages ("the tags of quay.io/jupyter/scipy").
 */
export async function authorizedGet(
  connection: RegistryConnection,
  context: HttpContext,
  tokens: TokenCache,
  repository: string,
  url: (origin: string) => URL,
  what: string,
  accept = 'application/json',
): Promise<GetResult> {
  const registry = connection.domain;
  const discovery = await discover(connection, context);
  if (!discovery.ok) {
    return discovery.kind === 'rate-limited'
      ? limited(`${discovery.message}`, discovery.retryAfterSeconds)
      : {
          ok: false,
          status: 'could-not-check',
          message: `Could not reach the registry ${registry}: ${discovery.message}.`,
        };
  }
  const credentials = connection.credentials;
  const target = url(discovery.origin);
  let challenge: Challenge | undefined = discovery.challenge;
  let scope = `repository:${repository}:pull`;
  let retried = false;
  for (;;) {
    let authorization: string | undefined;
    let sentCredentials = credentials;
    if (challenge?.scheme === 'basic') {
      if (!credentials) {
        return {
          ok: false,
          status: 'needs-credentials',
          message: `${registry} asks for a user name and password (Basic auth), and none are configured for it.`,
        };
      }
      authorization = `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
    } else if (challenge !== undefined) {
      if (!mayFollowRealm(challenge.params['realm'] ?? '', connection)) {
        return {
          ok: false,
          status: 'could-not-check',
          message: `Could not authenticate with ${registry}: its token service is neither HTTPS nor on the registry's own host (allowed as insecure), so it was not asked.`,
        };
      }
      sentCredentials =
        credentials !== undefined &&
        mayReceiveCredentials(challenge.params['realm'] ?? '', connection.apiHost)
          ? credentials
          : undefined;
      const token = await tokens.get(challenge, scope, sentCredentials, context, connection.gate);
      if (!token.ok) {
        if (token.kind === 'rate-limited') return limited(capitalize(token.message), token.retryAfterSeconds);
        if (token.kind === 'refused') {
          return sentCredentials
            ? {
                ok: false,
                status: 'needs-credentials',
                message: `${capitalize(token.message)}: it does not accept the credentials configured for ${registry}.`,
              }
            : {
                ok: false,
                status: 'private-or-missing',
                message: `${capitalize(token.message)} to anonymous callers: ${what} is private, or does not exist.`,
              };
        }
        return {
          ok: false,
          status: 'could-not-check',
          message: `Could not get a token for ${what}: ${token.message}.`,
        };
      }
      authorization = `Bearer ${token.token}`;
    }
    const sent = await send(context, connection.gate, {
      method: 'GET',
      url: target,
      headers: { Accept: accept },
      ...(authorization === undefined ? {} : { authorization }),
    });
    if (!sent.ok)
      return { ok: false, status: 'could-not-check', message: `Could not read ${what}: ${sent.failure}.` };
    const { response } = sent;
    if (response.status === 200) return { ok: true, response };
    await response.body?.cancel();
    if (response.status === 404) {
      return {
        ok: false,
        status: 'not-found',
        message: `${registry} has no repository ${repository} (GET answered 404 for ${what}).`,
      };
    }
    if (response.status === 429) {
      return limited(`${registry} answered 429 Too Many Requests to GET ${what}`, sent.retryAfterSeconds);
    }
    if (response.status === 401 || response.status === 403) {
      const offered = parseChallenges(response.headers.get('www-authenticate') ?? '');
      const bearer = findChallenge(offered, 'bearer');
      if (!retried && bearer !== undefined) {
        retried = true;
        if (challenge?.scheme === 'bearer') tokens.drop(challenge, scope, sentCredentials);
        challenge = bearer;
        scope = bearer.params['scope'] ?? scope;
        continue;
      }
      if (!retried && challenge === undefined && findChallenge(offered, 'basic')) {
        retried = true;
        challenge = findChallenge(offered, 'basic');
        continue;
      }
      return credentials
        ? {
            ok: false,
            status: 'needs-credentials',
            message: `${registry} refused the credentials configured for it to ${what} (GET answered ${response.status}).`,
          }
        : {
            ok: false,
            status: 'private-or-missing',
            message: `${registry} refused anonymous access to ${what} (GET answered ${response.status}): the repository is private, or it does not exist; registries do not say which.`,
          };
    }
    return {
      ok: false,
      status: 'could-not-check',
      message:
        `Could not read ${what}: ${registry} answered ${response.status} ${response.statusText}`.trimEnd() +
        '.',
    };
  }
}

function limited(message: string, seconds: number | undefined): GetResult {
  return {
    ok: false,
    status: 'rate-limited',
    message: `${message}${seconds === undefined ? ', also after waiting and retrying' : `; it asks to wait ${seconds} s before trying again`}.`,
    ...(seconds === undefined ? {} : { retryAfterSeconds: seconds }),
  };
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
