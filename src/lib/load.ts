import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { SourceFile } from './catalog.ts';
import { hasErrors, sortIssues } from './issues.ts';
import { readProjectSettings } from './project-settings.ts';
import { NODE_CHECKS } from './node-checks.ts';
import { validateContent, type ValidateOptions, type ValidationResult } from './validate.ts';

/** Reads every YAML file under `<projectDir>/<contentRoot>` (paths in the result are relative to projectDir). */
export async function readContentFiles(projectDir: string, contentRoot = 'content'): Promise<SourceFile[]> {
  const root = path.join(projectDir, contentRoot);
  const paths: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true }).catch((problem: NodeJS.ErrnoException) => {
      if (problem.code === 'ENOENT') return [];
      throw problem;
    });
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (/\.ya?ml$/.test(entry.name)) paths.push(full);
    }
  };
  await walk(root);
  // Read in parallel, a bounded number at a time (one await per file made 12,000 files take seconds).
  const files = new Array<SourceFile>(paths.length);
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < paths.length; index = next++) {
      const full = paths[index]!;
      const text = await readFile(full, 'utf8');
      files[index] = { path: path.relative(projectDir, full).split(path.sep).join('/'), text };
    }
  };
  await Promise.all(Array.from({ length: Math.min(32, paths.length) }, worker));
  return files;
}

const VALIDATED = Symbol.for('z2jh-configurator.validated');
type Shelf = { [VALIDATED]?: { projectDir: string; result: ValidationResult } };

/**
 * Remembers a validation for the rest of this process, so that the site build (bundled separately by Astro,
 * with its own module instances) does not read and validate the same content a second time.
 */
export function shareValidation(projectDir: string, result: ValidationResult): void {
  (globalThis as Shelf)[VALIDATED] = { projectDir: path.resolve(projectDir), result };
}

/** The validation `shareValidation` kept for this project, if any. */
export function sharedValidation(projectDir: string): ValidationResult | undefined {
  const shelf = (globalThis as Shelf)[VALIDATED];
  return shelf && shelf.projectDir === path.resolve(projectDir) ? shelf.result : undefined;
}

/**
 * Reads and validates a project's content, with Python available for regex checks and the `advanced` allow-list
 * of configurator.yaml; problems in configurator.yaml are reported with the content's.
 */
export async function loadContent(
  projectDir: string,
  contentRoot = 'content',
  extra: Pick<ValidateOptions, 'hubGroups'> = {},
): Promise<ValidationResult> {
  const files = await readContentFiles(projectDir, contentRoot);
  const project = await readProjectSettings(projectDir);
  const allowed = project.settings.advanced?.allowed_keys;
  const result = validateContent(files, {
    contentRoot,
    ...NODE_CHECKS,
    ...(allowed ? { advancedAllowedKeys: allowed } : {}),
    ...extra,
  });
  if (project.issues.length === 0) return result;
  const issues = sortIssues([...project.issues, ...result.issues]);
  return { ...result, issues, ok: !hasErrors(issues) };
}
