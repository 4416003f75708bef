import { error, type Issue } from './issues.ts';
import type { ResolvedCatalog } from './model.ts';
import { generateOutputs, type Outputs } from './outputs.ts';

/**
 * Largest generated file, in characters. The benchmark's 2,000-profile catalogue gives a 7.3 MB
 * `profile_list.json`; the hub loads the whole list on every spawn-page render, so far bigger is a mistake.
 */
export const MAX_OUTPUT_CHARS = 32 * 1024 * 1024;

/**
 * Generates the outputs and checks their size: a list over the ceiling (or one the generator cannot even
 * build) is an issue naming the profile that contributes most, never a served file or an exception.
 */
export function generateCheckedOutputs(
  resolved: ResolvedCatalog,
  limit = MAX_OUTPUT_CHARS,
): { outputs?: Outputs; issues: Issue[] } {
  let outputs: Outputs;
  try {
    outputs = generateOutputs(resolved);
  } catch (problem) {
    if (!(problem instanceof RangeError)) throw problem;
    return { issues: [tooLarge(resolved, 'could not be generated at all', limit)] };
  }
  const largest = Math.max(outputs.profileListJson.length, outputs.valuesYaml.length);
  if (largest <= limit) return { outputs, issues: [] };
  return { issues: [tooLarge(resolved, `would have ${largest.toLocaleString('en')} characters`, limit)] };
}

function tooLarge(resolved: ResolvedCatalog, what: string, limit: number): Issue {
  let biggest = resolved.profiles[0];
  let biggestSize = -1;
  for (const profile of resolved.profiles) {
    let size: number;
    try {
      size = JSON.stringify(profile).length;
    } catch {
      size = Number.POSITIVE_INFINITY;
    }
    if (size > biggestSize) [biggest, biggestSize] = [profile, size];
  }
  return error(
    'OutputTooLarge',
    { file: biggest?.file ?? 'content' },
    `The generated profile list ${what}; the limit is ${limit.toLocaleString('en')}. ` +
      `Profile "${biggest?.id ?? '?'}" is the largest part of it.`,
    'look for values repeated many times (long advanced settings, huge descriptions) and shorten them.',
  );
}
