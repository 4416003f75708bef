/** Runs at most `max` tasks at a time; the others wait in order. */
export interface Limiter {
  run<T>(task: () => Promise<T>): Promise<T>;
  /** Tasks running now (for tests and progress). */
  readonly active: number;
}

/** Creates a limiter that lets `max` tasks run at once. */
export function createLimiter(max: number): Limiter {
  const limit = Math.max(1, Math.floor(max));
  const waiting: (() => void)[] = [];
  let active = 0;
  // A finishing task hands its slot straight to the next waiter, so a newcomer cannot slip in between.
  const release = (): void => {
    const next = waiting.shift();
    if (next) next();
    else active--;
  };
  return {
    get active() {
      return active;
    },
    async run<T>(task: () => Promise<T>): Promise<T> {
      if (active >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
      else active++;
      try {
        return await task();
      } finally {
        release();
      }
    },
  };
}
