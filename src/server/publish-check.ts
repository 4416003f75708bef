import type { SourceFile } from '../lib/catalog.ts';
import type { ValidateOptions } from '../lib/validate.ts';
import { ApiError } from './content-api.ts';
import { evaluateFiles } from './live.ts';

/**
 * Refuses a change to main whose result would not be served: a commit that leaves main invalid (problems pushed
 * from elsewhere that the change does not fix, or outputs over the size ceiling) would be answered "saved" yet
 * never reach the hub. The editor's own check only looks for errors the change adds; this one looks at the
 * whole result, the way the live outputs will.
 *
 * @example refuseUnlessLive([...current, changedFile], options) // throws ApiError(422) naming every problem
 */
export function refuseUnlessLive(next: readonly SourceFile[], options: ValidateOptions): void {
  const evaluated = evaluateFiles([...next], options);
  if (evaluated.ok) return;
  const errors = evaluated.issues.filter((i) => i.severity === 'error');
  const text = errors
    .map(
      (e) =>
        `${e.message}${e.hint ? ` Hint: ${e.hint}` : ''} (${e.code}, ${e.file}${e.line ? `:${e.line}` : ''})`,
    )
    .join('\n');
  throw new ApiError(
    422,
    `This change would not go live: the content on main has problems it does not fix (from a change made outside ` +
      `the editor), so the hub would keep the old list.\n${text}\nFix those first. Nothing was saved.`,
    { errors, warnings: [] },
  );
}
