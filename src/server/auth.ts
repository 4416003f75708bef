import { createHmac, timingSafeEqual } from 'node:crypto';
import * as oauth from 'oauth4webapi';
import type { HubSettings } from './config.ts';

/** The person behind a request. */
export interface SessionUser {
  name: string;
  admin: boolean;
  groups: string[];
}

/** What the hub login needs besides JupyterHub's settings. */
export interface AuthOptions {
  hub: HubSettings;
  secret: string;
  /** Groups whose members may edit besides hub admins. */
  adminGroups: string[];
  sessionSeconds?: number;
  fetch?: typeof fetch;
}

const STATE_MAX_AGE = 600;

/**
 * JupyterHub login for this service (OAuth 2 authorization code, as JupyterHub's own HubOAuth does): a random
 * state in a short-lived cookie checked on the callback, the code exchanged server-to-server, the user model
 * read from the hub API, and a signed, HttpOnly, SameSite session cookie scoped to the service path.
 */
export function createHubAuth(options: AuthOptions) {
  const { hub, secret } = options;
  const sessionCookie = `${hub.clientId}-session`;
  const stateCookie = `${hub.clientId}-oauth-state`;
  const as: oauth.AuthorizationServer = {
    issuer: hub.apiUrl,
    authorization_endpoint: `${hub.hubHost}${hub.hubPrefix}api/oauth2/authorize`,
    token_endpoint: `${hub.apiUrl}/oauth2/token`,
  };
  const client: oauth.Client = { client_id: hub.clientId };
  const clientAuth = oauth.ClientSecretPost(hub.apiToken);
  const fetchImpl = options.fetch ?? fetch;

  const sign = (value: string) => createHmac('sha256', secret).update(value).digest('base64url');
  const cookieFlags = (request: Request, maxAge: number) =>
    `Path=${hub.servicePrefix}; HttpOnly; SameSite=Lax; Max-Age=${maxAge}${isHttps(request) ? '; Secure' : ''}`;

  return {
    /** The logged-in user of a request, from the signed session cookie; undefined when there is none. */
    userOf(request: Request): SessionUser | undefined {
      const raw = readCookie(request, sessionCookie);
      if (!raw) return undefined;
      const [payload = '', signature = ''] = raw.split('.');
      const expected = sign(payload);
      if (
        signature.length !== expected.length ||
        !timingSafeEqual(Buffer.from(signature), Buffer.from(expected))
      )
        return undefined;
      const session = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as SessionUser & {
        exp: number;
      };
      return session.exp > Date.now() / 1000
        ? { name: session.name, admin: session.admin, groups: session.groups }
        : undefined;
    },

    /** Whether a logged-in user may edit: hub admins, and members of the configured groups. */
    mayEdit(user: SessionUser): boolean {
      return user.admin || user.groups.some((group) => options.adminGroups.includes(group));
    },

    /** Sends the browser to the hub's authorize page, remembering where it wanted to go. */
    startLogin(request: Request): Response {
      const state = oauth.generateRandomState();
      const next = new URL(request.url).pathname;
      const url = `${as.authorization_endpoint}?${new URLSearchParams({
        client_id: hub.clientId,
        redirect_uri: hub.callbackUrl,
        response_type: 'code',
        state,
      }).toString()}`;
      const headers = new Headers({ Location: url });
      headers.append(
        'Set-Cookie',
        `${stateCookie}=${state}.${Buffer.from(next).toString('base64url')}; ${cookieFlags(request, STATE_MAX_AGE)}`,
      );
      return new Response(null, { status: 302, headers });
    },

    /** The OAuth callback: checks the state, exchanges the code, checks the user, and sets the session. */
    async finishLogin(request: Request): Promise<Response> {
      const url = new URL(request.url);
      const [expected = '', next64 = ''] = (readCookie(request, stateCookie) ?? '').split('.');
      let params: URLSearchParams;
      try {
        if (!expected) throw new Error('no login in progress');
        params = oauth.validateAuthResponse(as, client, url.searchParams, expected);
      } catch (problem) {
        return textResponse(
          403,
          `Login refused: the OAuth state does not match (${errorText(problem)}). Start again from the hub.`,
        );
      }
      let token: string;
      try {
        // Two options oauth4webapi marks as discouraged (type-check hints, not warnings), both needed here:
        // JupyterHub's API is plain HTTP inside the pod (JUPYTERHUB_API_URL=http://127.0.0.1:8081/hub/api), and
        // JupyterHub 3.x's OAuth provider has no PKCE. The state check and the client secret still apply.
        const response = await oauth.authorizationCodeGrantRequest(
          as,
          client,
          clientAuth,
          params,
          hub.callbackUrl,
          oauth.nopkce,
          {
            [oauth.allowInsecureRequests]: true,
            [oauth.customFetch]: fetchImpl,
          },
        );
        token = (await oauth.processAuthorizationCodeResponse(as, client, response)).access_token;
      } catch (problem) {
        return textResponse(
          403,
          `Login failed: the hub did not accept the login code (${errorText(problem)}).`,
        );
      }
      const model = (await (
        await fetchImpl(`${hub.apiUrl}/user`, { headers: { Authorization: `token ${token}` } })
      ).json()) as { name?: string; admin?: boolean; groups?: string[] };
      const user: SessionUser = {
        name: String(model.name ?? ''),
        admin: model.admin === true,
        groups: model.groups ?? [],
      };
      if (!user.name) return textResponse(403, 'Login failed: the hub returned no user.');
      if (!this.mayEdit(user)) {
        return textResponse(
          403,
          `${user.name} may not edit the hub's profiles: only hub admins${options.adminGroups.length ? ` and members of ${options.adminGroups.join(', ')}` : ''} may.`,
        );
      }
      const exp = Math.floor(Date.now() / 1000) + (options.sessionSeconds ?? 3600);
      const payload = Buffer.from(JSON.stringify({ ...user, exp })).toString('base64url');
      const headers = new Headers({
        Location: safeNext(Buffer.from(next64, 'base64url').toString('utf8'), hub.servicePrefix),
      });
      headers.append(
        'Set-Cookie',
        `${sessionCookie}=${payload}.${sign(payload)}; ${cookieFlags(request, options.sessionSeconds ?? 3600)}`,
      );
      headers.append('Set-Cookie', `${stateCookie}=; ${cookieFlags(request, 0)}`);
      return new Response(null, { status: 302, headers });
    },

    /** Ends the session. */
    logout(request: Request): Response {
      const headers = new Headers({ Location: `${hub.hubHost}${hub.hubPrefix}logout` });
      headers.append('Set-Cookie', `${sessionCookie}=; ${cookieFlags(request, 0)}`);
      return new Response(null, { status: 302, headers });
    },
  };
}

/** The hub login, as the server uses it. */
export type HubAuth = ReturnType<typeof createHubAuth>;

/**
 * State-changing requests must come from this site's own pages: the `Origin` (or `Sec-Fetch-Site`) must say
 * same-origin, and API calls must be JSON (which a cross-site form cannot send without a CORS preflight).
 */
export function isSameOriginWrite(request: Request): boolean {
  const origin = request.headers.get('origin');
  const site = request.headers.get('sec-fetch-site');
  if (site && site !== 'same-origin') return false;
  if (origin) {
    const host = request.headers.get('x-forwarded-host') ?? request.headers.get('host');
    try {
      if (new URL(origin).host !== host) return false;
    } catch {
      return false;
    }
  } else if (!site) {
    return false;
  }
  return (request.headers.get('content-type') ?? '').startsWith('application/json');
}

/**
 * True for a read that a page of this site made (`api/check-image`): the browser says the fetch is
 * same-origin, or (a browser without Fetch Metadata) it carries the editor's custom header, which no other site
 * can add without a CORS preflight this server never grants. Scripts on other sites and bare clients are refused.
 */
export function isSameOriginRead(request: Request): boolean {
  const site = request.headers.get('sec-fetch-site');
  if (site) return site === 'same-origin';
  return request.headers.get('x-requested-with') === EDITOR_REQUEST_HEADER_VALUE;
}

/** The `X-Requested-With` value the editor's own reads send. */
export const EDITOR_REQUEST_HEADER_VALUE = 'z2jh-configurator';

function readCookie(request: Request, name: string): string | undefined {
  for (const part of (request.headers.get('cookie') ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

function isHttps(request: Request): boolean {
  return request.headers.get('x-forwarded-proto') === 'https' || request.url.startsWith('https:');
}

function safeNext(next: string, prefix: string): string {
  return next.startsWith(prefix) && !next.startsWith('//') ? next : prefix;
}

function textResponse(status: number, text: string): Response {
  return new Response(`${text}\n`, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
}

function errorText(problem: unknown): string {
  return problem instanceof Error ? problem.message : String(problem);
}
