import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { SourceFile } from './catalog.ts';
import { checkPythonRegexSyntax } from './python-regex.ts';
import { validateContent, type ValidationResult } from './validate.ts';

/** Reads every YAML file under `<projectDir>/<contentRoot>` (paths in the result are relative to projectDir). */
export async function readContentFiles(projectDir: string, contentRoot = 'content'): Promise<SourceFile[]> {
  const root = path.join(projectDir, contentRoot);
  const files: SourceFile[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true }).catch((problem: NodeJS.ErrnoException) => {
      if (problem.code === 'ENOENT') return [];
      throw problem;
    });
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (/\.ya?ml$/.test(entry.name)) {
        files.push({
          path: path.relative(projectDir, full).split(path.sep).join('/'),
          text: await readFile(full, 'utf8'),
        });
      }
    }
  };
  await walk(root);
  return files;
}

/** Reads and validates a project's content, with Python available for regex checks. */
export async function loadContent(projectDir: string, contentRoot = 'content'): Promise<ValidationResult> {
  const files = await readContentFiles(projectDir, contentRoot);
  return validateContent(files, { contentRoot, checkPythonRegex: checkPythonRegexSyntax });
}
