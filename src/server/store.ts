import type { SourceFile } from '../lib/catalog.ts';

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
}
