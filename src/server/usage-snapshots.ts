import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { UsageAnswer } from '../hub-api/usage.ts';
import type { Usage } from '../lib/usage.ts';
import type { HistoryEntry } from './history.ts';

/**
 * The usage counts as they were when each change was published, kept beside the content repository's git data
 * (`.git/z2jh-configurator-usage/<commit>.json`, not versioned), so the history can say how many users had saved
 * what a change removed. Recorded after the commit from the cached counts, never waiting on the hub.
 */
export function createUsageSnapshots(contentRepo: string) {
  const dir = path.join(contentRepo, '.git', 'z2jh-configurator-usage');
  const file = (commit: string) => path.join(dir, `${commit}.json`);
  return {
    /** Records the counts for a published commit (fire and forget: failures only lose the snapshot). */
    record(commit: string, answer: UsageAnswer): void {
      if ('unknown' in answer || !/^[0-9a-f]{7,64}$/.test(commit)) return;
      void (async () => {
        await mkdir(dir, { recursive: true });
        await writeFile(`${file(commit)}.tmp`, JSON.stringify(answer));
        await rename(`${file(commit)}.tmp`, file(commit));
      })().catch(() => undefined);
    },
    /** The counts recorded for a commit, if any. */
    async read(commit: string): Promise<(Usage & { as_of: string }) | undefined> {
      if (!/^[0-9a-f]{7,64}$/.test(commit)) return undefined;
      try {
        return JSON.parse(await readFile(file(commit), 'utf8')) as Usage & { as_of: string };
      } catch {
        return undefined;
      }
    },
  };
}

/** The snapshots, as the server holds them. */
export type UsageSnapshots = ReturnType<typeof createUsageSnapshots>;

/**
 * Adds to each change that removed a profile or choice how many users had saved it when the change was
 * published (`usage` on the entry, and the count in its warning).
 */
export async function withUsageCounts(
  entries: HistoryEntry[],
  snapshots: UsageSnapshots,
): Promise<(HistoryEntry & { usage?: Record<string, number> })[]> {
  return Promise.all(
    entries.map(async (entry) => {
      const usage = await snapshots.read(entry.sha);
      if (!usage) return entry;
      const counts: Record<string, number> = {};
      const warnings = entry.changes
        .filter((c) => c.affectsSavedChoices)
        .map((c) => {
          const users = savedBy(usage, c.where);
          counts[c.where] = users;
          return `${c.where} was removed: ${users} ${users === 1 ? 'user' : 'users'} had saved it when this change was published; they will be asked to choose again.`;
        });
      return { ...entry, warnings, usage: counts };
    }),
  );
}

/** Users who saved `profile`, `profile › option` (any choice, counted per choice) or `profile › option › choice`. */
export function savedBy(usage: Usage, where: string): number {
  const [slug = '', option, choice] = where.split(' › ');
  const profile = usage.profiles[slug];
  if (!profile) return 0;
  if (option === undefined) return profile.users;
  const choices = profile.options[option] ?? {};
  if (choice === undefined) return Object.values(choices).reduce((a, b) => a + b, 0);
  return choices[choice] ?? 0;
}
