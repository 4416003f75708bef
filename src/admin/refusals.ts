/**
 * Refusals: a save the checks or the server turned down is an expected outcome, shown to the admin as a
 * sentence, not a program error. Decap reports every failed save with `console.error` and leaves the promise
 * of its Save button unhandled; for refusals (and only for them) both are kept out of the console, since the
 * admin already sees the message.
 */

/** A refused change: its text is what the admin reads (no "Error:" prefix: the name is empty). */
export class Refusal extends Error {
  /** The server's HTTP status, or 422 for the editor's own checks. */
  readonly status: number;

  constructor(message: string, status = 422) {
    super(message);
    this.name = '';
    this.status = status;
    recent.add(message);
    if (recent.size > 20) recent.delete(recent.values().next().value ?? '');
  }
}

/** Texts of recent refusals: Decap's failed-save action carries only the error's text. */
const recent = new Set<string>();

/** True for a refusal, or for Decap's failed-save action (`ENTRY_PERSIST_FAILURE`, …) that carries one. */
export function isRefusal(value: unknown): boolean {
  if (value instanceof Refusal) return true;
  const action = value as { type?: unknown; payload?: { error?: unknown } } | undefined;
  const error = action?.payload?.error;
  return typeof action?.type === 'string' && typeof error === 'string' && recent.has(error);
}

/** Keeps refusals out of the console (Decap's console.error and its unhandled Save promise). */
export function quietRefusals(): void {
  const original = console.error.bind(console);
  console.error = (...args: unknown[]) => {
    if (args.length === 1 && isRefusal(args[0])) return;
    original(...args);
  };
  window.addEventListener('unhandledrejection', (event) => {
    if (isRefusal(event.reason)) event.preventDefault();
  });
}
