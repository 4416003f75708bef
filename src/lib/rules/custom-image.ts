import type { Entry } from '../catalog.ts';
import { error, warning } from '../issues.ts';
import type { ProfileInput } from '../schema/profile.ts';
import { locate, type Rule } from './context.ts';

/**
 * The custom-image pattern is used twice by KubeSpawner: as the HTML `pattern` attribute (a JavaScript regex
 * with the `v` flag, implicitly anchored) and by the hub with Python's `re.match`. It must compile in both,
 * and may not contain `"`, which would end the HTML attribute.
 */
export const checkCustomImageRegex: Rule = ({
  resolved,
  profileByFile,
  issues,
  checkPythonRegex,
  checkRegexBacktracking,
}) => {
  const patterns: { pattern: string; entry: Entry<ProfileInput>; at: (string | number)[] }[] = [];
  for (const profile of resolved.profiles) {
    const entry = profileByFile.get(profile.file);
    if (!entry) continue;
    for (const option of profile.options) {
      if (option.customImage) {
        patterns.push({
          pattern: option.customImage.validationRegex,
          entry,
          at: [...option.customImage.at, 'validation_regex'],
        });
      }
    }
  }
  if (patterns.length === 0) return;
  const python = checkPythonRegex?.(patterns.map((p) => p.pattern));
  const backtracking = checkRegexBacktracking?.(patterns.map((p) => p.pattern));
  if (checkPythonRegex && python === undefined) {
    const first = patterns[0]!;
    issues.push(
      warning(
        'RegexPythonUnchecked',
        locate(first.entry, first.at),
        'Python was not found, so custom-image patterns were checked with JavaScript only.',
        'install python3 where you run validate, or test the pattern with Python\u2019s re.compile.',
      ),
    );
  }
  for (const { pattern, entry, at } of patterns) {
    const where = () => locate(entry, at);
    if (pattern.includes('"')) {
      issues.push(
        error(
          'RegexQuote',
          where(),
          `The custom-image pattern of profile "${entry.id}" contains a double quote, which would break the spawn page's HTML.`,
          'remove the " (image references never contain one).',
        ),
      );
    }
    const jsProblem = javascriptProblem(pattern);
    if (jsProblem) {
      issues.push(
        error(
          'RegexJavaScript',
          where(),
          `The custom-image pattern of profile "${entry.id}" does not compile as a JavaScript pattern (${jsProblem}); browsers would silently ignore it.`,
          'use the syntax common to JavaScript and Python: escape - ( ) [ ] { } / | inside [...], avoid (?P<...>) and \\A, \\Z.',
        ),
      );
    }
    const pyProblem = python?.get(pattern);
    if (pyProblem) {
      issues.push(
        error(
          'RegexPython',
          where(),
          `The custom-image pattern of profile "${entry.id}" does not compile in Python (${pyProblem}); every spawn with a custom image would fail.`,
          'use the syntax common to JavaScript and Python: avoid (?<name>...), \\p{...} and possessive quantifiers.',
        ),
      );
    }
    const slow = backtracking?.get(pattern);
    if (slow && !jsProblem) {
      issues.push(
        error(
          'RegexBacktracking',
          where(),
          `The custom-image pattern of profile "${entry.id}" can backtrack catastrophically: ${slow}. The hub runs it with Python on what users type, so one spawn request could keep the hub busy for minutes.`,
          'avoid a repetition inside a repetition that can match the same text in several ways, such as (a+)+ or ([a-z]+[.]?)+; let each part start with a different character, as the default does: ^[a-z0-9]+([._/:-][a-z0-9]+)*:[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$',
        ),
      );
    }
    if (!pattern.startsWith('^') || !pattern.endsWith('$')) {
      issues.push(
        warning(
          'RegexNotAnchored',
          where(),
          `The custom-image pattern of profile "${entry.id}" is not anchored: the hub matches only at the start, the browser matches the whole text.`,
          'start the pattern with ^ and end it with $.',
        ),
      );
    }
  }
};

/** Compiles a pattern the way a browser compiles an HTML `pattern` attribute; returns the error, if any. */
export function javascriptProblem(pattern: string): string | undefined {
  try {
    new RegExp(`^(?:${pattern})$`, 'v');
    new RegExp(pattern);
    return undefined;
  } catch (problem) {
    return problem instanceof Error ? problem.message : String(problem);
  }
}
