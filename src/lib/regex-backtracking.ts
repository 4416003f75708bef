import { createRequire } from 'node:module';
import type { checkSync } from 'recheck';
import { DEFAULT_CUSTOM_IMAGE_REGEX } from './schema/constants.ts';
import { createVerdictStore } from './verdict-store.ts';

/** How long recheck may think about one pattern; a pattern it cannot decide in time is let through. */
const TIMEOUT_MS = 1_000;

// recheck is large: it is loaded (synchronously, as the rules run) only when a pattern has no stored verdict.
const require = createRequire(import.meta.url);
const recheckVersion = (): string => (require('recheck/package.json') as { version: string }).version;
// A pattern's verdict never changes for the same recheck, and the server validates on every save.
const store = createVerdictStore('regex-backtracking', () => `recheck ${recheckVersion()}`);

/**
 * Finds patterns that can backtrack catastrophically (exponential, or polynomial of degree 3 and more) with
 * recheck, a ReDoS checker that analyses the pattern's automaton and confirms with an attack string. The hub
 * runs the custom-image pattern with Python's backtracking `re.match` on what users type, so such a pattern
 * lets one spawn request occupy the hub for minutes. Returns pattern → what recheck found. Quadratic patterns
 * such as `^.+:.+$` (in most real profile lists) are accepted: an image name is short.
 */
export function checkRegexBacktracking(patterns: readonly string[]): Map<string, string> {
  const found = store.get(patterns, (unknown) => {
    const decided = new Map<string, string | null>();
    for (const pattern of unknown) {
      const verdict = analyse(pattern);
      if (verdict !== undefined) decided.set(pattern, verdict);
    }
    return decided;
  })!;
  return new Map([...found].filter((entry): entry is [string, string] => entry[1] !== null));
}

/** What recheck found (null: safe), or undefined when it could not decide in time (not remembered). */
function analyse(pattern: string): string | null | undefined {
  // The project's own default is reviewed by hand; its bounded `{0,127}` makes recheck time out on it.
  if (pattern === DEFAULT_CUSTOM_IMAGE_REGEX) return null;
  let diagnostics: ReturnType<typeof checkSync>;
  try {
    const recheck = require('recheck') as { checkSync: typeof checkSync };
    diagnostics = recheck.checkSync(pattern, '', { timeout: TIMEOUT_MS });
  } catch {
    return null; // a pattern recheck cannot parse is reported by the syntax checks
  }
  // 'unknown' is a timeout or a pattern too large to analyse: let it through now, ask again next time.
  if (diagnostics.status === 'unknown') return undefined;
  if (diagnostics.status !== 'vulnerable') return null;
  const { complexity, attack } = diagnostics;
  const catastrophic =
    complexity.type === 'exponential' || (complexity.type === 'polynomial' && complexity.degree >= 3);
  if (!catastrophic) return null;
  const growth = complexity.type === 'exponential' ? 'exponential' : `degree-${complexity.degree} polynomial`;
  const example = attack.string.length <= 40 ? ` (for example on ${JSON.stringify(attack.string)})` : '';
  return `its matching time grows ${growth}ly with the input${example}`;
}
