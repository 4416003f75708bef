import type { Catalog, Entry } from '../catalog.ts';
import { formatFieldPath, type Issue, type Location } from '../issues.ts';
import type { FieldPath, ResolvedCatalog } from '../model.ts';
import type { ProfileInput } from '../schema/profile.ts';

/** Checks Python regular-expression syntax; returns an error message per pattern that does not compile. */
export type PythonRegexChecker = (patterns: readonly string[]) => Map<string, string> | undefined;
/** Finds patterns that backtrack catastrophically (pattern → what was found); lent by Node callers. */
export type RegexBacktrackingChecker = (patterns: readonly string[]) => Map<string, string>;

/** What every rule reads, and the list it adds issues to. */
export interface RuleContext {
  catalog: Catalog;
  /** The profile entries by file, so rules over resolved profiles find their entry in constant time. */
  profileByFile: ReadonlyMap<string, Entry<ProfileInput>>;
  resolved: ResolvedCatalog;
  issues: Issue[];
  checkPythonRegex?: PythonRegexChecker;
  checkRegexBacktracking?: RegexBacktrackingChecker;
  /** The hub's group names, when known (`validate --hub`, the editor beside the hub). */
  hubGroups?: readonly string[];
}

/** A small named check over the whole catalogue. */
export type Rule = (context: RuleContext) => void;

/** The location of a field of an entry, with its line. */
export function locate(entry: Pick<Entry<unknown>, 'file' | 'lineOf'>, path: FieldPath): Location {
  const line = entry.lineOf(path);
  return { file: entry.file, field: formatFieldPath(path), ...(line === undefined ? {} : { line }) };
}
