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

/**
 * A plain-text table: columns padded to their widest cell, two spaces apart, a bold header. `paint` colours a
 * body cell given its row and column.
 */
export function formatTable(
  header: readonly string[],
  cells: readonly (readonly string[])[],
  paint: (text: string, row: number, column: number) => string = (text) => text,
): string {
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((row) => (row[i] ?? '').length)));
  const line = (row: readonly string[], colour: (s: string, i: number) => string): string =>
    row
      .map((cell, i) => colour(i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0), i))
      .join('  ')
      .trimEnd();
  return [
    line(header, (s) => pc.bold(s)),
    ...cells.map((row, r) => line(row, (s, c) => paint(s, r, c))),
  ].join('\n');
}
