import path from 'node:path';
import { compareTrees } from '../lib/cms/check-change.ts';
import { NODE_CHECKS } from '../lib/node-checks.ts';
import { GitStore } from '../server/git-store.ts';
import { readHistory } from '../server/history.ts';
import { LiveContent } from '../server/live.ts';
import { formatIssues } from './print.ts';

function openRepo(projectDir: string): { store: GitStore; live: LiveContent } {
  const dir = path.resolve(process.env['CONFIGURATOR_CONTENT_REPO'] ?? projectDir);
  const store = new GitStore(dir);
  return {
    store,
    live: new LiveContent(store.repo, { validate: { ...NODE_CHECKS }, pollMs: 0 }),
  };
}

/** `history`: every published change with what it did to the generated profile list. */
export async function runHistory(
  projectDir: string,
  options: { json?: boolean; limit?: string },
): Promise<number> {
  const { store, live } = openRepo(projectDir);
  const entries = await readHistory(store, live, Number(options.limit ?? '20'));
  if (options.json) {
    console.log(JSON.stringify(entries, null, 2));
    return 0;
  }
  for (const entry of entries) {
    console.log(
      `${entry.sha.slice(0, 10)}  ${entry.date}  ${entry.author}${entry.valid ? '' : '  (not valid)'}`,
    );
    console.log(`    ${entry.message.split('\n')[0]}`);
    for (const change of entry.changes)
      console.log(`    ${change.kind.padEnd(7)} ${change.where}: ${change.details.join('; ')}`);
    for (const warning of entry.warnings) console.log(`    ⚠ ${warning}`);
  }
  return 0;
}

/** `revert <commit>`: restores the content of an earlier commit as a new commit, validated like any change. */
export async function runRevert(projectDir: string, commit: string): Promise<number> {
  const { store } = openRepo(projectDir);
  const files = await store.repo.readTree(commit).catch(() => undefined);
  if (!files) {
    console.error(
      `There is no commit "${commit}" in ${store.repo.dir}.\nhint: run "history" to list the commits.`,
    );
    return 1;
  }
  const check = compareTrees(await store.readAll(), files, { ...NODE_CHECKS });
  if (check.errors.length > 0) {
    console.error(formatIssues(check.errors, 'Nothing was restored.'));
    return 1;
  }
  const name = process.env['GIT_AUTHOR_NAME'] ?? process.env['USER'] ?? 'admin';
  const created = await store.restore(files, `Restore the content of ${commit.slice(0, 10)}`, {
    name,
    email: `${name}@localhost`,
  });
  console.log(`Restored the content of ${commit.slice(0, 10)} as ${created.slice(0, 10)}.`);
  return 0;
}
