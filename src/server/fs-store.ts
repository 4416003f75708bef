import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { readContentFiles } from '../lib/load.ts';
import { writeFilesAtomically } from '../cli/write-files.ts';
import type { ContentStore, ContentWrite } from './store.ts';

/** Content in a plain folder: files are written in place, each one atomically (temp file + rename). */
export function createFsStore(projectDir: string, contentRoot = 'content'): ContentStore {
  return {
    name: path.basename(path.resolve(projectDir)),
    readAll: () => readContentFiles(projectDir, contentRoot),
    read: async (file) => {
      try {
        return await readFile(path.join(projectDir, file), 'utf8');
      } catch (problem) {
        if ((problem as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw problem;
      }
    },
    write: async (change: ContentWrite) => {
      await writeFilesAtomically(projectDir, change.files);
      for (const file of change.deletes) await rm(path.join(projectDir, file), { force: true });
    },
  };
}
