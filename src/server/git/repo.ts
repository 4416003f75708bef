import { spawn } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { simpleGit, type SimpleGit } from 'simple-git';
import type { SourceFile } from '../../lib/catalog.ts';
import type { Author } from '../store.ts';
import { makeScratchFolder } from './scratch.ts';

/** One commit as history shows it. */
export interface CommitInfo {
  sha: string;
  parents: string[];
  author: string;
  email: string;
  date: string;
  message: string;
}

/** What a commit writes: files to add or replace and paths to remove, on top of a base commit. */
export interface CommitRequest {
  /** The branch to move, e.g. `main` or `cms/profiles/gpu`. */
  branch: string;
  /** The commit whose tree the change starts from (usually the branch tip, or main for a new draft). */
  base: string;
  /** The new commit's parent (undefined for a branch that does not exist yet: then `base`). */
  parent?: string;
  /** The value the branch must still have (compare-and-swap); undefined when the branch must not exist. */
  expected?: string;
  files: SourceFile[];
  deletes: string[];
  message: string;
  author: Author;
}

const ZERO = '0'.repeat(40);

/**
 * A content repository driven through git's plumbing: commits are built in a temporary index and published by
 * moving the branch with a compare-and-swap `update-ref`, so a crash at any point leaves the branch either at
 * the old commit or at the new one, never half-written, and the served working tree is never switched.
 */
export class GitRepo {
  readonly git: SimpleGit;
  private readonly treeCache = new Map<string, SourceFile[]>();

  readonly dir: string;

  constructor(dir: string) {
    this.dir = dir;
    this.git = simpleGit({ baseDir: dir, maxConcurrentProcesses: 4 });
  }

  /** The commit a branch points to, or undefined when the branch does not exist. */
  async tip(branch: string): Promise<string | undefined> {
    try {
      return (
        (await this.git.raw(['rev-parse', '--verify', '--quiet', `refs/heads/${branch}^{commit}`])).trim() ||
        undefined
      );
    } catch {
      return undefined;
    }
  }

  /** Every file under `prefix` at a commit (cached: a commit never changes). */
  async readTree(commit: string, prefix = 'content'): Promise<SourceFile[]> {
    const key = `${commit}:${prefix}`;
    const cached = this.treeCache.get(key);
    if (cached) return cached;
    const listing = await this.git.raw(['ls-tree', '-r', '-z', '--full-tree', commit, '--', prefix]);
    const entries = listing
      .split('\0')
      .filter(Boolean)
      .map((line) => {
        const [meta = '', file = ''] = line.split('\t');
        return { sha: meta.split(' ')[2] ?? '', path: file };
      })
      .filter((e) => /\.ya?ml$/.test(e.path));
    const texts = await this.catFiles(entries.map((e) => e.sha));
    const files = entries.map((e, i) => ({ path: e.path, text: texts[i] ?? '' }));
    if (this.treeCache.size > 500) this.treeCache.clear();
    this.treeCache.set(key, files);
    return files;
  }

  /** One file's text at a commit, or undefined. */
  async readFile(commit: string, file: string): Promise<string | undefined> {
    try {
      return await this.git.raw(['show', `${commit}:${file}`]);
    } catch {
      return undefined;
    }
  }

  /** Writes a commit and moves the branch to it atomically; returns the new commit. */
  async commit(request: CommitRequest): Promise<string> {
    const scratch = await makeScratchFolder();
    try {
      const env = {
        ...safeEnv(),
        GIT_INDEX_FILE: path.join(scratch, 'index'),
        GIT_AUTHOR_NAME: request.author.name,
        GIT_AUTHOR_EMAIL: request.author.email,
        GIT_COMMITTER_NAME: request.author.name,
        GIT_COMMITTER_EMAIL: request.author.email,
      };
      const git = simpleGit({ baseDir: this.dir }).env(env);
      await git.raw(['read-tree', request.base]);
      for (const [index, file] of request.files.entries()) {
        const temp = path.join(scratch, `blob-${index}`);
        await writeFile(temp, file.text);
        const sha = (await git.raw(['hash-object', '-w', '--', temp])).trim();
        await git.raw(['update-index', '--add', '--cacheinfo', `100644,${sha},${file.path}`]);
      }
      for (const file of request.deletes) await git.raw(['update-index', '--force-remove', '--', file]);
      const tree = (await git.raw(['write-tree'])).trim();
      const commit = (
        await git.raw(['commit-tree', tree, '-p', request.parent ?? request.base, '-m', request.message])
      ).trim();
      await this.git.raw(['update-ref', `refs/heads/${request.branch}`, commit, request.expected ?? ZERO]);
      return commit;
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  }

  /** Commits reachable from a branch, newest first (only those touching `paths`, when given). */
  async log(branch: string, limit = 200, paths: string[] = []): Promise<CommitInfo[]> {
    const out = await this.git.raw([
      'log',
      `--max-count=${limit}`,
      '--format=%H%x1f%P%x1f%an%x1f%ae%x1f%aI%x1f%B%x1e',
      `refs/heads/${branch}`,
      ...(paths.length > 0 ? ['--', ...paths] : []),
    ]);
    return out
      .split('\x1e')
      .map((record) => record.trim())
      .filter(Boolean)
      .map((record) => {
        const [sha = '', parents = '', author = '', email = '', date = '', message = ''] =
          record.split('\x1f');
        return {
          sha,
          parents: parents.split(' ').filter(Boolean),
          author,
          email,
          date,
          message: message.trim(),
        };
      });
  }

  /** Local branches under a prefix, e.g. `cms/`. */
  async branches(prefix: string): Promise<string[]> {
    const out = await this.git.raw(['for-each-ref', '--format=%(refname:short)', `refs/heads/${prefix}`]);
    return out
      .split('\n')
      .map((s) => s.trim())
      .filter(Boolean);
  }

  /** Deletes a branch if it still points to `expected`. */
  async deleteBranch(branch: string, expected: string): Promise<void> {
    await this.git.raw(['update-ref', '-d', `refs/heads/${branch}`, expected]);
    await this.git.raw(['config', '--unset-all', `branch.${branch}.description`]).catch(() => undefined);
  }

  /** Reads a git config value, or undefined. */
  async getConfig(key: string): Promise<string | undefined> {
    try {
      return (await this.git.raw(['config', '--get', key])).trim() || undefined;
    } catch {
      return undefined;
    }
  }

  /** Writes a git config value. */
  async setConfig(key: string, value: string): Promise<void> {
    await this.git.raw(['config', key, value]);
  }

  /** Paths that differ between two commits, with git's status letter. */
  async diffNames(from: string, to: string, prefix = 'content'): Promise<{ status: string; path: string }[]> {
    const out = await this.git.raw(['diff', '--name-status', '--no-renames', '-z', from, to, '--', prefix]);
    const parts = out.split('\0').filter(Boolean);
    const result: { status: string; path: string }[] = [];
    for (let i = 0; i + 1 < parts.length; i += 2) result.push({ status: parts[i]!, path: parts[i + 1]! });
    return result;
  }

  /** True when the repository has a working tree whose HEAD is `branch` (then it is kept in step). */
  async checkedOut(branch: string): Promise<boolean> {
    this.checkedOutCache ??= this.lookUpCheckedOut(branch);
    return this.checkedOutCache;
  }

  private checkedOutCache: Promise<boolean> | undefined;

  private async lookUpCheckedOut(branch: string): Promise<boolean> {
    try {
      const bare = (await this.git.raw(['rev-parse', '--is-bare-repository'])).trim() === 'true';
      if (bare) return false;
      return (await this.git.raw(['symbolic-ref', '--quiet', 'HEAD'])).trim() === `refs/heads/${branch}`;
    } catch {
      return false;
    }
  }

  /** Brings the checked-out working tree and index from one commit to the next (fails on local edits). */
  async syncWorktree(from: string, to: string): Promise<void> {
    await this.git.raw(['read-tree', '-m', '-u', from, to]);
  }

  /**
   * Brings a checked-out working tree up to `branch` when it was left behind (a crash between moving the branch
   * and updating the files, or an update refused earlier): when the index holds exactly the tree of one of the
   * branch's last commits, git's two-tree merge moves index and files from there to the tip, keeping local edits
   * of unrelated files and refusing to overwrite edited ones. An index with other staged changes is left alone.
   * Returns what happened, for the log.
   */
  async repairWorktree(
    branch: string,
  ): Promise<'in-step' | 'repaired' | 'not-checked-out' | 'local-changes'> {
    if (!(await this.checkedOut(branch))) return 'not-checked-out';
    const indexTree = (await this.git.raw(['write-tree'])).trim();
    const recent = await this.git.raw(['log', '--max-count=50', '--format=%H %T', `refs/heads/${branch}`]);
    const commits = recent
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split(' ') as [string, string]);
    if (commits[0]?.[1] === indexTree) return 'in-step';
    const from = commits.find(([, tree]) => tree === indexTree)?.[0];
    if (!from) return 'local-changes';
    await this.syncWorktree(from, `refs/heads/${branch}`);
    return 'repaired';
  }

  /** Reads many blobs in one `git cat-file --batch` process. */
  private catFiles(shas: string[]): Promise<string[]> {
    if (shas.length === 0) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      const child = spawn('git', ['cat-file', '--batch'], { cwd: this.dir, stdio: ['pipe', 'pipe', 'pipe'] });
      const chunks: Buffer[] = [];
      child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
      child.on('error', reject);
      child.on('close', (code) => {
        if (code !== 0) return reject(new Error(`git cat-file failed (${code})`));
        const data = Buffer.concat(chunks);
        const texts: string[] = [];
        let offset = 0;
        for (let i = 0; i < shas.length; i++) {
          const end = data.indexOf(10, offset);
          const header = data.subarray(offset, end).toString();
          const size = Number(header.split(' ')[2]);
          texts.push(data.subarray(end + 1, end + 1 + size).toString('utf8'));
          offset = end + 1 + size + 1;
        }
        resolve(texts);
      });
      child.stdin.end(`${shas.join('\n')}\n`);
    });
  }
}

/** The environment for git child processes: enough to run git, without variables simple-git refuses (EDITOR…). */
function safeEnv(): Record<string, string> {
  const keep = ['PATH', 'HOME', 'LANG', 'LC_ALL', 'TMPDIR', 'GIT_CONFIG_NOSYSTEM'];
  return Object.fromEntries(keep.flatMap((name) => (process.env[name] ? [[name, process.env[name]!]] : [])));
}
