import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { readContentFiles } from '../lib/load.ts';
import { planNodeGroups } from '../lib/node-groups-file.ts';
import { NODE_CHECKS } from '../lib/node-checks.ts';
import { formatIssues } from './print.ts';
import { writeFilesAtomically } from './write-files.ts';

/** `load-node-groups <file>`: validates the file, then creates or updates content/node-groups/ (never deletes). */
export async function runLoadNodeGroups(projectDir: string, file: string): Promise<number> {
  const text = await readFile(path.resolve(file), 'utf8');
  const current = await readContentFiles(projectDir);
  const plan = planNodeGroups(file, text, current, { ...NODE_CHECKS });
  if (!plan.ok) {
    console.error(formatIssues(plan.issues, 'Nothing was written.'));
    return 1;
  }
  await writeFilesAtomically(projectDir, plan.writes);
  if (plan.issues.length > 0) console.log(formatIssues(plan.issues, ''));
  const list = (names: string[]) => (names.length > 0 ? names.join(', ') : 'none');
  console.log(`created: ${list(plan.created)}`);
  console.log(`updated: ${list(plan.updated)}`);
  console.log(`unchanged: ${list(plan.unchanged)}`);
  console.log(`kept although missing from ${file}: ${list(plan.missing)}`);
  return 0;
}
