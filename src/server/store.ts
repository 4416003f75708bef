import type { SourceFile } from '../lib/catalog.ts';
import type { LastChange } from './revisions.ts';

/** Who made a change, for the commit or the log. */
export interface Author {
  name: string;
  email: string;
}

/** One write: files to create or replace, paths to delete, and why. Applied whole or not at all. */
export interface ContentWrite {
  files: SourceFile[];
  deletes: string[];
  message: string;
  author: Author;
}

/** Where content lives: the project folder (local editing) or a git repository (sidecar). */
export interface ContentStore {
  /** A short name for `info` (e.g. the folder or repository name). */
  readonly name: string;
  /** Every YAML file under the content root, with paths relative to the project. */
  readAll(): Promise<SourceFile[]>;
  /** One file's text, or undefined when it does not exist. */
  read(path: string): Promise<string | undefined>;
  /** Applies a write; the caller has validated it. */
  write(change: ContentWrite): Promise<void>;
  /** Who last changed a file and when: published, or on an entry's draft (for conflict messages). */
  lastChange?(path: string, draft?: { collection: string; slug: string }): Promise<LastChange | undefined>;
}

/** A proposed change waiting for review (Decap's editorial workflow): one entry on its own branch. */
export interface Draft {
  collection: string;
  slug: string;
  status: string;
  /** The files the draft changes, as they are on its branch. */
  files: SourceFile[];
  /** Paths the draft deletes. */
  deletes: string[];
  author: string;
  updatedAt: string;
  /** The newest commit message on the draft (it carries the published revision the draft started from). */
  message?: string;
}

/** Drafts and their review states, kept beside the published content. */
export interface WorkflowStore {
  listDrafts(): Promise<{ collection: string; slug: string }[]>;
  getDraft(collection: string, slug: string): Promise<Draft | undefined>;
  /** Saves (creates or updates) a draft with the full new text of its files. */
  saveDraft(
    collection: string,
    slug: string,
    files: SourceFile[],
    change: { message: string; author: Author; status: string },
  ): Promise<void>;
  setStatus(collection: string, slug: string, status: string): Promise<void>;
  /** Applies a draft to the published content in one commit and removes the draft. */
  publishDraft(collection: string, slug: string, change: { message: string; author: Author }): Promise<void>;
  deleteDraft(collection: string, slug: string): Promise<void>;
}

/**
 * A change that is on main but is not served: the outputs could not be refreshed after the commit. The answer
 * must say so (the change was saved) instead of claiming that nothing was saved.
 */
export class SavedNotServedError extends Error {
  readonly commit: string;

  constructor(commit: string, problem: unknown) {
    super(
      `The change was saved as commit ${commit.slice(0, 10)} on main, but it is not live: ${problem instanceof Error ? problem.message : String(problem)} ` +
        'The hub keeps the previously published list. Look at api/status and the server log.',
    );
    this.commit = commit;
  }
}
