import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';

/** At most this many verdicts are kept on disk (the newest win). */
const STORED_LIMIT = 2000;

/**
 * Verdicts about patterns (null: fine; text: the problem) that never change for the same checker, kept in
 * memory and in `$XDG_CACHE_HOME/z2jh-configurator/<name>.json` (default `~/.cache`), so that a CLI run does not
 * start the checker again for patterns it has seen. `identity` names the checker (its version or binary): when it
 * changes, the stored verdicts are dropped.
 */
export interface VerdictStore {
  /**
   * The verdicts of `patterns`, asking `decide` once, for the unknown ones only; `decide` answers each pattern it
   * could decide (a pattern it leaves out counts as fine this time, and is asked again next time).
   */
  get(
    patterns: readonly string[],
    decide: (unknown: string[]) => Map<string, string | null> | undefined,
  ): Map<string, string | null> | undefined;
}

/** A verdict store for one checker. */
export function createVerdictStore(name: string, identity: () => string): VerdictStore {
  const known = new Map<string, string | null>();
  let loaded = false;
  const file = (): string =>
    path.join(
      process.env['XDG_CACHE_HOME'] || path.join(homedir(), '.cache'),
      'z2jh-configurator',
      `${name}.json`,
    );

  const load = (): void => {
    if (loaded) return;
    loaded = true;
    try {
      const stored = JSON.parse(readFileSync(file(), 'utf8')) as { identity?: string; verdicts?: unknown };
      if (stored.identity !== identity() || typeof stored.verdicts !== 'object' || stored.verdicts === null)
        return;
      for (const [pattern, verdict] of Object.entries(stored.verdicts as Record<string, unknown>)) {
        if (!known.has(pattern) && (verdict === null || typeof verdict === 'string'))
          known.set(pattern, verdict);
      }
    } catch {
      // No store yet, or an unreadable one: start afresh.
    }
  };

  const save = (): void => {
    const kept = [...known].slice(-STORED_LIMIT);
    try {
      mkdirSync(path.dirname(file()), { recursive: true });
      const temp = `${file()}.${process.pid}.tmp`;
      writeFileSync(temp, JSON.stringify({ identity: identity(), verdicts: Object.fromEntries(kept) }));
      renameSync(temp, file());
    } catch {
      // A read-only home only costs the next run another check.
    }
  };

  return {
    get(patterns, decide) {
      let unknown = [...new Set(patterns)].filter((p) => !known.has(p));
      if (unknown.length > 0) load();
      unknown = unknown.filter((p) => !known.has(p));
      if (unknown.length > 0) {
        const answers = decide(unknown);
        if (!answers) return undefined;
        // A pattern the checker could not decide (no answer) is not remembered: it is asked again next time.
        for (const [pattern, verdict] of answers) known.set(pattern, verdict);
        save();
        return new Map(patterns.map((p) => [p, known.get(p) ?? answers.get(p) ?? null]));
      }
      return new Map(patterns.map((p) => [p, known.get(p) ?? null]));
    },
  };
}
