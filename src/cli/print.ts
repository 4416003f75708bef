import pc from 'picocolors';
import type { Issue } from '../lib/issues.ts';

/** Formats issues for a terminal, one block each, then a summary line. */
export function formatIssues(issues: readonly Issue[], outcome: string): string {
  const lines: string[] = [];
  for (const issue of issues) {
    const mark = issue.severity === 'error' ? pc.red('✖') : pc.yellow('⚠');
    const where = `${issue.file}${issue.line === undefined ? '' : `:${issue.line}`}`;
    const field = issue.field ? ` ${pc.dim(issue.field)}` : '';
    lines.push(`${mark} ${pc.bold(where)}${field}  ${pc.cyan(issue.code)}`);
    lines.push(`  ${issue.message}`);
    if (issue.hint) lines.push(`  ${pc.dim('hint:')} ${issue.hint}`);
  }
  const errors = issues.filter((i) => i.severity === 'error').length;
  const warnings = issues.length - errors;
  lines.push(`${plural(errors, 'error')}, ${plural(warnings, 'warning')}.${outcome ? ` ${outcome}` : ''}`);
  return lines.join('\n');
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}
