import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { stringify } from 'yaml';
import type { SourceFile } from '../../src/lib/catalog.ts';
import { readContentFiles } from '../../src/lib/load.ts';

/** The project's root folder. */
export const projectRoot = path.resolve(import.meta.dirname, '..', '..');

/** Test fixtures copied into the repository (each file names its source and licence at its top). */
export const fixturesRoot = path.join(projectRoot, 'test', 'fixtures');

/** The sample content shipped in content/, as source files. */
export function sampleFiles(): Promise<SourceFile[]> {
  return readContentFiles(projectRoot);
}

/** Replaces (or adds) files, given as YAML data or raw text, in a file list. */
export function withFiles(files: readonly SourceFile[], changes: Record<string, unknown>): SourceFile[] {
  const out = new Map(files.map((f) => [f.path, f]));
  for (const [file, value] of Object.entries(changes)) {
    if (value === undefined) out.delete(file);
    else out.set(file, { path: file, text: typeof value === 'string' ? value : stringify(value) });
  }
  return [...out.values()];
}

/** Reads a fixture file relative to the project. */
export function readProjectFile(relative: string): Promise<string> {
  return readFile(path.join(projectRoot, relative), 'utf8');
}
