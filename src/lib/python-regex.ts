import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const SCRIPT = `
import json, re, sys
out = {}
for pattern in json.load(sys.stdin):
    try:
        re.compile(pattern)
    except re.error as e:
        out[pattern] = str(e)
json.dump(out, sys.stdout)
`;

/**
 * Compiles patterns with the hub's own language, Python 3 `re`, in one child process.
 * Returns undefined when no Python is installed (the caller then warns that the check was skipped).
 */
export function checkPythonRegexSyntax(patterns: readonly string[]): Map<string, string> | undefined {
  // A pattern's verdict never changes, and the server validates on every save: ask Python once per pattern.
  const unknown = [...new Set(patterns)].filter((p) => !verdicts.has(p));
  if (unknown.length > 0) {
    const answers = compileWithPython(unknown);
    if (!answers) return undefined;
    for (const pattern of unknown) verdicts.set(pattern, answers.get(pattern) ?? null);
  }
  const problems = new Map<string, string>();
  for (const pattern of patterns) {
    const verdict = verdicts.get(pattern);
    if (verdict) problems.set(pattern, verdict);
  }
  return problems;
}

const verdicts = new Map<string, string | null>();

function compileWithPython(patterns: readonly string[]): Map<string, string> | undefined {
  const python = process.env['PYTHON'] ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');
  const run = spawnSync(python, ['-c', SCRIPT], {
    input: JSON.stringify(patterns),
    encoding: 'utf8',
    timeout: 10_000,
  });
  if (run.error || run.status !== 0) return undefined;
  return new Map(Object.entries(JSON.parse(run.stdout) as Record<string, string>));
}
