/** One problem found in the content: data until the edge (CLI, server, CMS) decides how to show it. */
export interface Issue {
  /** Permanent, searchable name, e.g. 'UnknownImage'. */
  code: string;
  severity: 'error' | 'warning';
  /** Path relative to the project, e.g. 'content/profiles/gpu.yaml'. */
  file: string;
  line?: number;
  /** Dotted path of the field inside the file, e.g. 'images[1].image'. */
  field?: string;
  /** What happened and why. */
  message: string;
  /** What to do next. */
  hint?: string;
}

/** Where an issue points to: a file and, when known, a field and its line. */
export interface Location {
  file: string;
  line?: number;
  field?: string;
}

/** Builds an error issue at a location. */
export function error(code: string, at: Location, message: string, hint?: string): Issue {
  return withOptional({ code, severity: 'error', file: at.file, message }, at, hint);
}

/** Builds a warning issue at a location. */
export function warning(code: string, at: Location, message: string, hint?: string): Issue {
  return withOptional({ code, severity: 'warning', file: at.file, message }, at, hint);
}

function withOptional(issue: Issue, at: Location, hint: string | undefined): Issue {
  if (at.line !== undefined) issue.line = at.line;
  if (at.field !== undefined && at.field !== '') issue.field = at.field;
  if (hint !== undefined) issue.hint = hint;
  return issue;
}

/** True when any issue is an error. */
export function hasErrors(issues: readonly Issue[]): boolean {
  return issues.some((issue) => issue.severity === 'error');
}

/** Sorts issues by file, line and code so output is stable. */
export function sortIssues(issues: readonly Issue[]): Issue[] {
  return [...issues].sort(
    (a, b) =>
      a.file.localeCompare(b.file) ||
      (a.line ?? 0) - (b.line ?? 0) ||
      a.code.localeCompare(b.code) ||
      a.message.localeCompare(b.message),
  );
}

/** Formats a field path such as ['images', 1, 'image'] as 'images[1].image'. */
export function formatFieldPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? part : `.${part}`;
  }
  return out;
}
