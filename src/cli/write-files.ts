import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { SourceFile } from '../lib/catalog.ts';

/** Writes files so that each one is either the old or the new version, never half of one (temp file + rename). */
export async function writeFilesAtomically(projectDir: string, files: readonly SourceFile[]): Promise<void> {
  for (const file of files) {
    const target = path.join(projectDir, file.path);
    await mkdir(path.dirname(target), { recursive: true });
    const temp = `${target}.${process.pid}.tmp`;
    await writeFile(temp, file.text, 'utf8');
    await rename(temp, target);
  }
}
