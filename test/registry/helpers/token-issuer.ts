import { createSign, randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { requireTools, run } from './processes.ts';

/** A token service speaking distribution's token protocol, on a free loopback port. */
export interface TokenIssuer {
  /** `http://127.0.0.1:<port>/token`, the registry's `auth.token.realm`. */
  realm: string;
  service: string;
  issuer: string;
  /** The certificate the registry trusts (`rootcertbundle`). */
  certFile: string;
  /** Every token request so far: its scopes and the user it authenticated (undefined: anonymous). */
  requests: { scopes: string[]; user?: string }[];
  stop(): Promise<void>;
}

/**
 * Starts a token issuer (RS256 JWTs whose `x5c` header carries a fresh self-signed certificate). Policy, like
 * Docker Hub's for private and missing repositories: known users get every action they ask for; anonymous
 * callers get `pull` on `public/*` and an empty grant elsewhere; wrong credentials get 401.
 */
export async function startTokenIssuer(
  options: { users?: Record<string, string>; expiresIn?: number; service?: string } = {},
): Promise<TokenIssuer> {
  requireTools('openssl');
  const dir = await mkdtemp(path.join(tmpdir(), 'z2jh-token-'));
  const keyFile = path.join(dir, 'token.key');
  const certFile = path.join(dir, 'token.crt');
  await run('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', certFile,
    '-days', '2', '-subj', '/CN=test-token-issuer',
  ]); // prettier-ignore
  const key = await readFile(keyFile, 'utf8');
  const der = (await readFile(certFile, 'utf8')).replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
  const service = options.service ?? 'test-registry';
  const issuer = 'test-issuer';
  const users = options.users ?? {};
  const requests: TokenIssuer['requests'] = [];

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://x');
    if (url.pathname !== '/token') return void response.writeHead(404).end();
    const user = authenticate(request, users);
    if (user === false) {
      return void response
        .writeHead(401, { 'Content-Type': 'application/json' })
        .end('{"details":"bad credentials"}');
    }
    const scopes = url.searchParams.getAll('scope');
    requests.push({ scopes, ...(user === undefined ? {} : { user }) });
    const access = scopes.flatMap((scope) => {
      const match = /^repository:(.+):([a-z,*]+)$/.exec(scope);
      if (!match) return [];
      const [, name = '', actions = ''] = match;
      const granted = user !== undefined ? actions.split(',') : name.startsWith('public/') ? ['pull'] : [];
      return [
        { type: 'repository', name, actions: granted.filter((a) => a === 'pull' || user !== undefined) },
      ];
    });
    const now = Math.floor(Date.now() / 1000);
    const expiresIn = options.expiresIn ?? 300;
    const claims = {
      iss: issuer,
      sub: user ?? '',
      aud: service,
      exp: now + expiresIn,
      nbf: now - 10,
      iat: now,
      jti: randomUUID(),
      access,
    };
    const token = signJwt({ typ: 'JWT', alg: 'RS256', x5c: [der] }, claims, key);
    response.writeHead(200, { 'Content-Type': 'application/json' });
    response.end(
      JSON.stringify({
        token,
        access_token: token,
        expires_in: expiresIn,
        issued_at: new Date(now * 1000).toISOString(),
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    realm: `http://127.0.0.1:${port}/token`,
    service,
    issuer,
    certFile,
    requests,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The user of a valid Basic header, undefined without one, false for wrong credentials. */
function authenticate(request: IncomingMessage, users: Record<string, string>): string | undefined | false {
  const header = request.headers.authorization;
  if (header === undefined) return undefined;
  const match = /^Basic (.+)$/i.exec(header);
  if (!match) return false;
  const decoded = Buffer.from(match[1] ?? '', 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const user = decoded.slice(0, colon);
  return colon > 0 && users[user] === decoded.slice(colon + 1) ? user : false;
}

function signJwt(header: object, claims: object, privateKey: string): string {
  const encode = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  const input = `${encode(header)}.${encode(claims)}`;
  const signature = createSign('RSA-SHA256').update(input).sign(privateKey).toString('base64url');
  return `${input}.${signature}`;
}
