import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { promisify } from 'node:util';

/** Runs a program and returns its output; rejects with its stderr when it fails. */
export const run = promisify(execFile);

/** The Debian package that provides each program the registry tests run. */
const PACKAGES: Record<string, string> = {
  'docker-registry': 'docker-registry',
  skopeo: 'skopeo',
  htpasswd: 'apache2-utils',
  openssl: 'openssl',
};

/** Fails (never skips) when a program is missing, naming the apt package to install. */
export function requireTools(...programs: (keyof typeof PACKAGES)[]): void {
  const missing = programs.filter((p) => spawnSync('sh', ['-c', `command -v ${p}`]).status !== 0);
  if (missing.length > 0) {
    const packages = missing.map((p) => PACKAGES[p]).join(' ');
    throw new Error(
      `The registry tests need ${missing.join(', ')}, which ${missing.length === 1 ? 'is' : 'are'} not installed: ` +
        `run "apt-get install -y ${packages}" (as root, after apt-get update).`,
    );
  }
}

/** A loopback port that nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** Starts a long-running program and waits until `ready.url` answers over HTTP (any status); returns a stopper. */
export async function startProcess(
  command: string,
  args: readonly string[],
  ready: { url: string },
  timeoutMs = 15_000,
): Promise<{ child: ChildProcess; output: () => string; stop: () => Promise<void> }> {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-10_000); // the tail, for error messages
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exited = child.exitCode !== null;
  child.once('exit', () => (exited = true));
  const stop = async (): Promise<void> => {
    if (exited) return;
    const done = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    await done;
  };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited) throw new Error(`${command} exited before it was ready:\n${output}`);
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`${command} did not answer ${ready.url} within ${timeoutMs} ms:\n${output}`);
    }
    const answered = await fetch(ready.url, { signal: AbortSignal.timeout(1_000) }).then(
      async (response) => (await response.body?.cancel(), true),
      () => false,
    );
    // Still running a moment later: the answer came from this process, not from another that took the port.
    if (answered) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      if (!exited) return { child, output: () => output, stop };
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
