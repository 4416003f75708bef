import { checkSync } from 'recheck';
import { DEFAULT_CUSTOM_IMAGE_REGEX } from './schema/profile.ts';

/** How long recheck may think about one pattern; a pattern it cannot decide in time is let through. */
const TIMEOUT_MS = 1_000;

// A pattern's verdict never changes, and the server validates on every save: analyse each pattern once.
const verdicts = new Map<string, string | null>();

/**
 * Finds patterns that can backtrack catastrophically (exponential, or polynomial of degree 3 and more) with
 * recheck, a ReDoS checker that analyses the pattern's automaton and confirms with an attack string. The hub
 * runs the custom-image pattern with Python's backtracking `re.match` on what users type, so such a pattern
 * lets one spawn request occupy the hub for minutes. Returns pattern → what recheck found. Quadratic patterns
 * such as `^.+:.+$` (in most real profile lists) are accepted: an image name is short.
 */
export function checkRegexBacktracking(patterns: readonly string[]): Map<string, string> {
  const problems = new Map<string, string>();
  for (const pattern of new Set(patterns)) {
    if (!verdicts.has(pattern)) verdicts.set(pattern, analyse(pattern));
    const verdict = verdicts.get(pattern);
    if (verdict) problems.set(pattern, verdict);
  }
  return problems;
}

function analyse(pattern: string): string | null {
  // The project's own default is reviewed by hand; its bounded `{0,127}` makes recheck time out on it.
  if (pattern === DEFAULT_CUSTOM_IMAGE_REGEX) return null;
  let diagnostics: ReturnType<typeof checkSync>;
  try {
    diagnostics = checkSync(pattern, '', { timeout: TIMEOUT_MS });
  } catch {
    return null; // a pattern recheck cannot parse is reported by the syntax checks
  }
  if (diagnostics.status !== 'vulnerable') return null;
  const { complexity, attack } = diagnostics;
  const catastrophic =
    complexity.type === 'exponential' || (complexity.type === 'polynomial' && complexity.degree >= 3);
  if (!catastrophic) return null;
  const growth = complexity.type === 'exponential' ? 'exponential' : `degree-${complexity.degree} polynomial`;
  const example = attack.string.length <= 40 ? ` (for example on ${JSON.stringify(attack.string)})` : '';
  return `its matching time grows ${growth}ly with the input${example}`;
}
