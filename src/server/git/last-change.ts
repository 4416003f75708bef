import type { LastChange } from '../revisions.ts';
import type { GitRepo } from './repo.ts';

/** The author and date of the newest commit on `branch` that touched `file`, or undefined. */
export async function readLastChange(
  repo: GitRepo,
  branch: string,
  file: string,
): Promise<LastChange | undefined> {
  try {
    const out = await repo.git.raw(['log', '-1', '--format=%an%x1f%aI', `refs/heads/${branch}`, '--', file]);
    const [author = '', date = ''] = out.trim().split('\x1f');
    return author ? { author, date } : undefined;
  } catch {
    return undefined;
  }
}
