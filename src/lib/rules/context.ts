import type { Catalog, Entry } from '../catalog.ts';
import { formatFieldPath, type Issue, type Location } from '../issues.ts';
import type { FieldPath, ResolvedCatalog } from '../model.ts';

/** Checks Python regular-expression syntax; returns an error message per pattern that does not compile. */
export type PythonRegexChecker = (patterns: readonly string[]) => Map<string, string> | undefined;

/** What every rule reads, and the list it adds issues to. */
export interface RuleContext {
  catalog: Catalog;
  resolved: ResolvedCatalog;
  issues: Issue[];
  checkPythonRegex?: PythonRegexChecker;
}

/** A small named check over the whole catalogue. */
export type Rule = (context: RuleContext) => void;

/** The location of a field of an entry, with its line. */
export function locate(entry: Pick<Entry<unknown>, 'file' | 'lineOf'>, path: FieldPath): Location {
  const line = entry.lineOf(path);
  return { file: entry.file, field: formatFieldPath(path), ...(line === undefined ? {} : { line }) };
}

/** Finds an entry by file, for rules that work on resolved profiles. */
export function entryOf(context: RuleContext, file: string): Entry<unknown> {
  const entry = context.catalog.profiles.find((e) => e.file === file);
  if (!entry) throw new Error(`internal: no profile entry for ${file}`);
  return entry;
}
