import { execFile } from 'node:child_process';
import { cp, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { projectRoot } from './content.ts';

const run = promisify(execFile);

/** A throwaway project folder holding a copy of the sample content. */
export async function copySampleProject(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'z2jh-configurator-'));
  await cp(path.join(projectRoot, 'content'), path.join(dir, 'content'), { recursive: true });
  return dir;
}

/** The CLI's entry point, as `npx z2jh-configurator` and `npm run cli` run it (with the Node running the tests). */
export const cliEntry = path.join(projectRoot, 'bin', 'z2jh-configurator.mjs');

/** Runs the real CLI and returns its exit code and output. */
export async function runCli(
  projectDir: string,
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [cliEntry, '-C', projectDir, ...args], {
      // Registry checks have their own tests against a loopback registry; CI=true must not switch them on here.
      env: { ...process.env, NO_COLOR: '1', CONFIGURATOR_CHECK_IMAGES: 'false' },
    });
    return { code: 0, stdout, stderr };
  } catch (failure) {
    const f = failure as { code?: number; stdout?: string; stderr?: string };
    return { code: f.code ?? 1, stdout: f.stdout ?? '', stderr: f.stderr ?? '' };
  }
}
