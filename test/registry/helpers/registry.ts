import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { closedPort, requireTools, run, startProcess } from './processes.ts';

/** A running Debian docker-registry (distribution 2.8.2) on a free loopback port. */
export interface TestRegistry {
  /** `127.0.0.1:<port>`. */
  host: string;
  stop(): Promise<void>;
}

/** How the registry authenticates: not at all, htpasswd (Basic), or tokens from an issuer (Bearer). */
export type RegistryAuth =
  | { kind: 'none' }
  | { kind: 'htpasswd'; users: Record<string, string> }
  | { kind: 'token'; realm: string; service: string; issuer: string; certFile: string };

/** Starts a registry with its own config and storage in a temp folder; `stop` kills it and removes the folder. */
export async function startRegistry(auth: RegistryAuth = { kind: 'none' }): Promise<TestRegistry> {
  requireTools('docker-registry');
  const dir = await mkdtemp(path.join(tmpdir(), 'z2jh-registry-'));
  const lines = [
    'version: 0.1',
    'log:',
    // Quiet: logging every request costs the registry a third of its throughput (measured with ab).
    '  level: error',
    '  accesslog:',
    '    disabled: true',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${path.join(dir, 'data')}`,
    '  delete:',
    '    enabled: true',
    'http:',
    '  addr: 127.0.0.1:PORT',
    '  secret: test-only-not-secret',
    'health:',
    '  storagedriver:',
    '    enabled: false',
  ];
  if (auth.kind === 'htpasswd') {
    requireTools('htpasswd');
    const file = path.join(dir, 'htpasswd');
    let text = '';
    for (const [user, password] of Object.entries(auth.users)) {
      text += (await run('htpasswd', ['-Bbn', user, password])).stdout.trim() + '\n';
    }
    await writeFile(file, text);
    lines.push('auth:', '  htpasswd:', '    realm: test-realm', `    path: ${file}`);
  } else if (auth.kind === 'token') {
    lines.push(
      'auth:',
      '  token:',
      `    realm: ${auth.realm}`,
      `    service: ${auth.service}`,
      `    issuer: ${auth.issuer}`,
      `    rootcertbundle: ${auth.certFile}`,
    );
  }
  const config = path.join(dir, 'config.yml');
  // The port is picked here (the quiet log does not say which one `:0` got); a lost race is retried.
  for (let attempt = 1; ; attempt++) {
    const port = await closedPort();
    await writeFile(config, `${lines.join('\n').replace('PORT', String(port))}\n`);
    try {
      const started = await startProcess('docker-registry', ['serve', config], {
        url: `http://127.0.0.1:${port}/v2/`,
      });
      return {
        host: `127.0.0.1:${port}`,
        async stop() {
          await started.stop();
          await rm(dir, { recursive: true, force: true });
        },
      };
    } catch (problem) {
      if (attempt >= 3) {
        await rm(dir, { recursive: true, force: true });
        throw problem;
      }
    }
  }
}
