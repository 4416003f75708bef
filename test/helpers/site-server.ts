import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { projectRoot } from './content.ts';
import { cliEntry, runCli } from './project.ts';

/** A built site served by the project's own server, over a throwaway project folder. */
export interface RunningSite {
  url: string;
  stop(): Promise<void>;
}

/** Builds the site for `projectDir` into test-results/<name> and starts `serve` on a free loopback port. */
export async function startSite(
  projectDir: string,
  name: string,
  env: Record<string, string> = {},
): Promise<RunningSite> {
  const dist = path.join(projectRoot, 'test-results', name);
  const build = await runCli(projectDir, 'build', '--out', dist);
  if (build.code !== 0) throw new Error(`build failed:\n${build.stdout}\n${build.stderr}`);
  const child: ChildProcess = spawn(process.execPath, [cliEntry, '-C', projectDir, 'serve', '--dist', dist], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /running at (http:\/\/\S+?\/) /.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`server exited (${code}):\n${output}`)));
  });
  return {
    url,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
