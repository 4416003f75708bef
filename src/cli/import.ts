import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { error, sortIssues, type Issue } from '../lib/issues.ts';
import { compareTrees } from '../lib/cms/check-change.ts';
import { importProfileList } from '../lib/import/index.ts';
import { readContentFiles } from '../lib/load.ts';
import { readProjectSettings } from '../lib/project-settings.ts';
import { DEFAULT_ADVANCED_ALLOWED_KEYS } from '../lib/schema/project.ts';
import { NODE_CHECKS } from '../lib/node-checks.ts';
import { formatIssues } from './print.ts';
import { writeFilesAtomically } from './write-files.ts';

/** Options of `import`. */
export interface ImportCommandOptions {
  key?: string;
  force?: boolean;
  dryRun?: boolean;
}

/**
 * `import <values.yaml>`: turns a hub's profile list into content files, validates the content with them, and
 * writes them; existing files are only replaced with --force, and --dry-run prints instead of writing.
 */
export async function runImport(
  projectDir: string,
  file: string,
  options: ImportCommandOptions,
): Promise<number> {
  let text: string;
  try {
    text = await readFile(path.resolve(file), 'utf8');
  } catch (problem) {
    console.error(`Cannot read ${file}: ${(problem as Error).message}. Nothing was written.`);
    return 1;
  }
  const project = await readProjectSettings(projectDir);
  if (project.issues.length > 0) {
    console.error(formatIssues(project.issues, 'Nothing was written.'));
    return 1;
  }
  const current = await readContentFiles(projectDir);
  const allowed = project.settings.advanced?.allowed_keys ?? DEFAULT_ADVANCED_ALLOWED_KEYS;
  const result = importProfileList(text, {
    fileName: file,
    existing: current,
    advancedAllowedKeys: allowed,
    ...(options.key === undefined ? {} : { key: options.key }),
  });
  if (result.files.length === 0 || (!result.ok && !options.dryRun)) {
    console.error(formatIssues(result.issues, 'Nothing was written.'));
    return 1;
  }
  const existing = new Set(current.map((f) => f.path));
  const replaced = result.files.filter((f) => existing.has(f.path)).map((f) => f.path);
  const refusals: Issue[] = [];
  if (replaced.length > 0 && !options.force) {
    refusals.push(
      error(
        'ImportWouldOverwrite',
        { file: replaced[0]! },
        `The import would replace ${replaced.length} existing content file(s): ${replaced.join(', ')}.`,
        'run it again with --force to replace them (commit first to keep the old versions), or import into another project folder with -C.',
      ),
    );
  }
  const written = new Set(result.files.map((f) => f.path));
  const next = [...current.filter((f) => !written.has(f.path)), ...result.files];
  const check = compareTrees(current, next, {
    ...NODE_CHECKS,
    advancedAllowedKeys: allowed,
  });
  // The import already named the line of each key outside the allow-list in the values file.
  const errors = check.errors.filter((i) => result.ok || i.code !== 'AdvancedKeyNotAllowed');
  const issues = sortIssues([...result.issues, ...errors, ...check.warnings, ...refusals]);
  const ok = result.ok && errors.length === 0 && refusals.length === 0;
  const summary = `${result.profiles.length} profile(s), ${result.images.length} new image(s), ${result.nodeGroups.length} new node group(s) from ${file} (${result.key ?? ''})`;
  if (options.dryRun) {
    for (const f of result.files)
      console.log(`--- ${f.path}${existing.has(f.path) ? ' (replaces the existing file)' : ''}\n${f.text}`);
    console.log(
      formatIssues(
        issues,
        `Dry run: would import ${summary}${ok ? '' : ', but it would be refused'}. Nothing was written.`,
      ),
    );
    return ok ? 0 : 1;
  }
  if (!ok) {
    console.error(formatIssues(issues, 'Nothing was written.'));
    return 1;
  }
  await writeFilesAtomically(projectDir, result.files);
  console.log(formatIssues(issues, `Imported ${summary}.`));
  for (const f of result.files) console.log(`${replaced.includes(f.path) ? 'replaced' : 'wrote'} ${f.path}`);
  return 0;
}
