import { cp, mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { simpleGit } from 'simple-git';

/**
 * Makes sure `dir` is a git repository with a `main` branch holding `content/`: a missing folder is created with
 * the sample content, a plain folder becomes a repository with its current content committed.
 */
export async function ensureContentRepo(
  dir: string,
  sampleContent: string,
  branch = 'main',
): Promise<{ created: boolean }> {
  const exists = await stat(dir).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (!exists) {
    await mkdir(dir, { recursive: true });
    await cp(sampleContent, path.join(dir, 'content'), { recursive: true });
  }
  const git = simpleGit({ baseDir: dir });
  const isRepo = await git.checkIsRepo('root' as never).catch(() => false);
  if (isRepo) {
    const tip = await git.raw(['rev-parse', '--verify', '--quiet', `refs/heads/${branch}`]).catch(() => '');
    if (tip.trim() === '') {
      throw new Error(
        `${dir} is a git repository without a "${branch}" branch. Create it, or point CONFIGURATOR_CONTENT_REPO elsewhere.`,
      );
    }
    return { created: false };
  }
  const hasContent = await stat(path.join(dir, 'content')).then(
    () => true,
    () => false,
  );
  if (!hasContent) await cp(sampleContent, path.join(dir, 'content'), { recursive: true });
  await git.init(['--initial-branch', branch]);
  await git.add(['--', 'content']);
  await git
    .env({
      ...safeEnv(),
      GIT_AUTHOR_NAME: 'z2jh-configurator',
      GIT_AUTHOR_EMAIL: 'configurator@localhost',
      GIT_COMMITTER_NAME: 'z2jh-configurator',
      GIT_COMMITTER_EMAIL: 'configurator@localhost',
    })
    .commit('Start the hub content from the sample');
  return { created: true };
}

/** The environment for git child processes: enough to run git, without variables simple-git refuses (EDITOR…). */
function safeEnv(): Record<string, string> {
  const keep = ['PATH', 'HOME', 'LANG', 'LC_ALL', 'TMPDIR', 'GIT_CONFIG_NOSYSTEM'];
  return Object.fromEntries(keep.flatMap((name) => (process.env[name] ? [[name, process.env[name]!]] : [])));
}
