/** A value read from the hub, or why it is unknown. */
export type Known<T> = { ok: true; value: T; at: Date } | { ok: false; reason: string };

/** How long answers are reused. */
export interface CacheOptions {
  /** Answers younger than this are served without asking the hub (default 60 s). */
  freshMs?: number;
  /** When the hub fails, an answer younger than this is still served (default 15 min); older ones become unknown. */
  keepMs?: number;
  /** The longest a caller waits for a first answer before hearing "unknown" (default 20 s). */
  waitMs?: number;
  now?: () => number;
}

/**
 * Caches a slow read from the hub: one read at a time, fresh answers from memory, stale ones served at once
 * while a new read runs in the background, and a failure turned into "unknown" (never an exception), so no
 * caller (a save, a page) ever waits on the hub for long or fails because of it.
 */
export function createCached<T>(load: () => Promise<T>, options: CacheOptions = {}) {
  const freshMs = options.freshMs ?? 60_000;
  const keepMs = options.keepMs ?? 15 * 60_000;
  const waitMs = options.waitMs ?? 20_000;
  const now = options.now ?? Date.now;
  let last: { value: T; at: number } | undefined;
  let lastError = '';
  let running: Promise<void> | undefined;

  const refresh = (): Promise<void> =>
    (running ??= load()
      .then((value) => {
        last = { value, at: now() };
        lastError = '';
      })
      .catch((problem: unknown) => {
        lastError = problem instanceof Error ? problem.message : String(problem);
      })
      .finally(() => {
        running = undefined;
      }));

  const answer = (): Known<T> => {
    if (last && now() - last.at <= keepMs) return { ok: true, value: last.value, at: new Date(last.at) };
    return { ok: false, reason: lastError || 'The hub has not answered yet.' };
  };

  return {
    /** The cached answer, reading the hub first when there is none or it is stale. */
    async get(): Promise<Known<T>> {
      if (last && now() - last.at <= freshMs) return answer();
      const reading = refresh();
      if (last && now() - last.at <= keepMs) return answer();
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, waitMs);
      });
      await Promise.race([reading, timeout]);
      clearTimeout(timer);
      return running && !last
        ? { ok: false, reason: 'The hub is slow to answer; try again shortly.' }
        : answer();
    },
    /** The cached answer without asking the hub (for code that must not wait, such as a save). */
    peek(): Known<T> {
      return answer();
    },
    /** Forgets the answer's freshness so the next `get` asks the hub again. */
    invalidate(): void {
      if (last) last = { ...last, at: Math.min(last.at, now() - freshMs - 1) };
    },
  };
}

/** A cached hub read. */
export type Cached<T> = ReturnType<typeof createCached<T>>;
