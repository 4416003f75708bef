import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

const PREFIX = 'z2jh-commit-';
/** Scratch folders of versions that did not name their process are removed once this old. */
const UNOWNED_MAX_AGE_MS = 60 * 60 * 1000;

/** A scratch folder for one commit's temporary index, named after this process so start-up can clean up. */
export function makeScratchFolder(): Promise<string> {
  return mkdtemp(path.join(tmpdir(), `${PREFIX}${process.pid}-`));
}

/**
 * Removes scratch folders a killed server left behind (`z2jh-commit-<pid>-…` whose process is gone). Folders of
 * running processes, this one included, are left alone: other servers may be committing right now.
 */
export async function removeStaleScratchFolders(dir = tmpdir()): Promise<string[]> {
  const removed: string[] = [];
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names) {
    if (!name.startsWith(PREFIX)) continue;
    const full = path.join(dir, name);
    const owner = /^z2jh-commit-(\d+)-/.exec(name)?.[1];
    const stale = owner
      ? !isRunning(Number(owner))
      : Date.now() - ((await stat(full).catch(() => undefined))?.mtimeMs ?? Date.now()) > UNOWNED_MAX_AGE_MS;
    if (!stale) continue;
    await rm(full, { recursive: true, force: true });
    removed.push(full);
  }
  return removed;
}

function isRunning(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (problem) {
    return (problem as NodeJS.ErrnoException).code === 'EPERM'; // alive, someone else's
  }
}
