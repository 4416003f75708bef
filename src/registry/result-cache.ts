import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { systemClock, type Clock, type ImageCheckResult } from './types.ts';

/** Results by what was asked (`domain/repository:tag` or `@digest`), reused while they are fresh. */
export interface ResultCache {
  get(key: string, now: number): Promise<ImageCheckResult | undefined>;
  set(key: string, result: ImageCheckResult): void;
  /** Writes the cache where it is kept (a no-op for the in-memory cache). */
  flush(): Promise<void>;
}

/** Negative answers are kept at most this long, so a freshly pushed image is seen soon. */
export const NEGATIVE_TTL_MAX_MS = 5 * 60_000;

/** How long a result may be reused: `exists` for the TTL, `not-found` and `private-or-missing` at most 5 minutes, others never. */
export function freshFor(result: ImageCheckResult, ttlMs: number): number {
  if (result.status === 'exists') return ttlMs;
  if (result.status === 'not-found' || result.status === 'private-or-missing')
    return Math.min(ttlMs, NEGATIVE_TTL_MAX_MS);
  return 0;
}

/** A cache in memory only (the sidecar server keeps one for its lifetime). */
export function createMemoryCache(ttlMs: number): ResultCache {
  const entries = new Map<string, ImageCheckResult>();
  return {
    async get(key, now) {
      const entry = entries.get(key);
      if (entry && now - entry.checkedAt < freshFor(entry, ttlMs)) return entry;
      return undefined;
    },
    set(key, result) {
      if (freshFor(result, ttlMs) > 0) entries.set(key, result);
    },
    async flush() {},
  };
}

const FILE_VERSION = 1;

/**
 * A cache kept in a JSON file (`{version, results: {key: result}}`) across runs, read on first use and written
 * by `flush` (temp file + rename). An unreadable file is treated as empty: the cache is only an optimisation.
 */
export function createFileCache(file: string, ttlMs: number, clock: Clock = systemClock): ResultCache {
  const memory = new Map<string, ImageCheckResult>();
  let loaded: Promise<void> | undefined;
  let dirty = false;
  const load = (): Promise<void> =>
    (loaded ??= readFile(file, 'utf8')
      .then(
        (text) => {
          const data = JSON.parse(text) as { version?: unknown; results?: Record<string, ImageCheckResult> };
          if (data.version !== FILE_VERSION || typeof data.results !== 'object') return;
          for (const [key, result] of Object.entries(data.results))
            if (!memory.has(key)) memory.set(key, result);
        },
        () => {},
      )
      .catch(() => {}));
  return {
    async get(key, now) {
      await load();
      const entry = memory.get(key);
      if (entry && now - entry.checkedAt < freshFor(entry, ttlMs)) return entry;
      return undefined;
    },
    set(key, result) {
      if (freshFor(result, ttlMs) === 0) return;
      const stored = { ...result };
      delete stored.cached;
      memory.set(key, stored);
      dirty = true;
    },
    async flush() {
      if (!dirty) return;
      await load();
      const now = clock.now();
      const results: Record<string, ImageCheckResult> = {};
      for (const [key, result] of [...memory].sort(([a], [b]) => a.localeCompare(b))) {
        if (now - result.checkedAt < freshFor(result, ttlMs)) results[key] = result;
      }
      await mkdir(path.dirname(file), { recursive: true });
      const temp = `${file}.${process.pid}.tmp`;
      await writeFile(temp, `${JSON.stringify({ version: FILE_VERSION, results }, null, 2)}\n`);
      await rename(temp, file);
      dirty = false;
    },
  };
}
