import path from 'node:path';
import type { SourceFile } from '../lib/catalog.ts';
import { entryPath } from '../lib/cms/check-change.ts';
import { readLastChange } from './git/last-change.ts';
import { GitRepo } from './git/repo.ts';
import type { LastChange } from './revisions.ts';
import {
  SavedNotServedError,
  type ContentStore,
  type ContentWrite,
  type Draft,
  type WorkflowStore,
} from './store.ts';

const DRAFT_PREFIX = 'cms/';
const STATUS_PREFIX = 'decap-cms/';

/** Thrown when the branch moved under a write (someone else committed first); the caller may retry. */
export class ConflictError extends Error {}

/**
 * Content in a git repository: reads come from the tip of `main` (never from the working tree), every write is one
 * commit authored by the person who made it, drafts live on `cms/<collection>/<slug>` branches as decap-server
 * keeps them, and a checked-out working tree is brought along after each commit.
 */
export class GitStore implements ContentStore, WorkflowStore {
  readonly name: string;
  readonly repo: GitRepo;
  /** Awaited after `main` moves, with the new commit: the live outputs refresh before the save is answered. */
  onPublish: (commit: string) => Promise<void> = async () => undefined;

  readonly branch: string;

  constructor(dir: string, branch = 'main') {
    this.branch = branch;
    this.repo = new GitRepo(dir);
    this.name = path.basename(dir);
  }

  async readAll(): Promise<SourceFile[]> {
    const tip = await this.mainTip();
    return this.repo.readTree(tip);
  }

  async read(file: string): Promise<string | undefined> {
    return this.repo.readFile(await this.mainTip(), file);
  }

  async write(change: ContentWrite): Promise<void> {
    const tip = await this.mainTip();
    await this.commitToMain(tip, change.files, change.deletes, change.message, change.author);
  }

  async listDrafts(): Promise<{ collection: string; slug: string }[]> {
    return (await this.repo.branches(DRAFT_PREFIX)).flatMap((b) => {
      const [collection, slug] = b.slice(DRAFT_PREFIX.length).split('/');
      return collection && slug ? [{ collection, slug }] : [];
    });
  }

  async getDraft(collection: string, slug: string): Promise<Draft | undefined> {
    const branch = draftBranch(collection, slug);
    const tip = await this.repo.tip(branch);
    if (!tip) return undefined;
    const main = await this.mainTip();
    // A draft is one entry: only its own file counts (main may have moved on since the draft was saved).
    const own = entryPath(collection, slug);
    const changes = (await this.repo.diffNames(main, tip)).filter((change) => change.path === own);
    const files: SourceFile[] = [];
    const deletes: string[] = [];
    for (const change of changes) {
      if (change.status === 'D') deletes.push(change.path);
      else files.push({ path: change.path, text: (await this.repo.readFile(tip, change.path)) ?? '' });
    }
    const [last] = await this.repo.log(branch, 1);
    const status =
      (await this.repo.getConfig(`branch.${branch}.description`))?.replace(STATUS_PREFIX, '') ?? 'draft';
    return {
      collection,
      slug,
      status,
      files,
      deletes,
      author: last?.author ?? '',
      updatedAt: last?.date ?? new Date().toISOString(),
      ...(last ? { message: last.message } : {}),
    };
  }

  async saveDraft(
    collection: string,
    slug: string,
    files: SourceFile[],
    change: { message: string; author: { name: string; email: string }; status: string },
  ): Promise<void> {
    const branch = draftBranch(collection, slug);
    const main = await this.mainTip();
    const tip = await this.repo.tip(branch);
    // The draft's tree is always the newest main plus the entry, so publishing applies exactly this entry.
    await this.repo.commit({
      branch,
      base: main,
      parent: tip ?? main,
      ...(tip ? { expected: tip } : {}),
      files,
      deletes: [],
      message: change.message,
      author: change.author,
    });
    if (!tip)
      await this.repo.setConfig(
        `branch.${branch}.description`,
        `${STATUS_PREFIX}${change.status || 'draft'}`,
      );
  }

  async setStatus(collection: string, slug: string, status: string): Promise<void> {
    await this.repo.setConfig(
      `branch.${draftBranch(collection, slug)}.description`,
      `${STATUS_PREFIX}${status}`,
    );
  }

  async publishDraft(
    collection: string,
    slug: string,
    change: { message: string; author: { name: string; email: string } },
  ): Promise<void> {
    const draft = await this.getDraft(collection, slug);
    if (!draft) throw new Error(`No draft for ${collection}/${slug}.`);
    const main = await this.mainTip();
    const branch = draftBranch(collection, slug);
    const tip = await this.repo.tip(branch);
    await this.commitToMain(main, draft.files, draft.deletes, change.message, change.author);
    if (tip) await this.repo.deleteBranch(branch, tip);
  }

  async deleteDraft(collection: string, slug: string): Promise<void> {
    const branch = draftBranch(collection, slug);
    const tip = await this.repo.tip(branch);
    if (tip) await this.repo.deleteBranch(branch, tip);
  }

  /** Who last changed a file on main, or on an entry's draft branch. */
  async lastChange(
    file: string,
    draft?: { collection: string; slug: string },
  ): Promise<LastChange | undefined> {
    return readLastChange(this.repo, draft ? draftBranch(draft.collection, draft.slug) : this.branch, file);
  }

  /** The tip of main; a repository without it is a set-up error. */
  async mainTip(): Promise<string> {
    const tip = await this.repo.tip(this.branch);
    if (!tip) throw new Error(`The content repository has no "${this.branch}" branch.`);
    return tip;
  }

  /** Brings a checked-out working tree in step with main (at start-up and after every commit); never throws. */
  async repairWorktree(): Promise<void> {
    const outcome = await this.repo.repairWorktree(this.branch).catch((problem: unknown) => {
      console.warn(
        `The working tree of ${this.repo.dir} has local edits and was not updated: ${String(problem)}`,
      );
      return undefined;
    });
    if (outcome === 'local-changes') {
      console.warn(
        `The working tree of ${this.repo.dir} has staged changes of its own, so it was not updated to ${this.branch}.`,
      );
    }
  }

  /** Restores the content of an earlier commit as a new commit on main. */
  async restore(
    files: SourceFile[],
    message: string,
    author: { name: string; email: string },
  ): Promise<string> {
    const main = await this.mainTip();
    const current = await this.repo.readTree(main);
    const wanted = new Set(files.map((f) => f.path));
    const deletes = current.filter((f) => !wanted.has(f.path)).map((f) => f.path);
    return this.commitToMain(main, files, deletes, message, author);
  }

  private async commitToMain(
    base: string,
    files: SourceFile[],
    deletes: string[],
    message: string,
    author: { name: string; email: string },
  ): Promise<string> {
    let commit: string;
    try {
      commit = await this.repo.commit({
        branch: this.branch,
        base,
        expected: base,
        files,
        deletes,
        message,
        author,
      });
    } catch (problem) {
      throw new ConflictError(`The content changed while saving; nothing was saved. (${String(problem)})`);
    }
    await this.repairWorktree();
    try {
      await this.onPublish(commit);
    } catch (problem) {
      throw new SavedNotServedError(commit, problem);
    }
    return commit;
  }
}

function draftBranch(collection: string, slug: string): string {
  return `${DRAFT_PREFIX}${collection}/${slug}`;
}
