import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { createVerdictStore } from './verdict-store.ts';

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
  // A pattern's verdict never changes for the same Python, and the server validates on every save.
  const python = pythonCommand();
  const found = store.get(patterns, (unknown) => {
    const errors = compileWithPython(python, unknown);
    return errors && new Map(unknown.map((p) => [p, errors.get(p) ?? null]));
  });
  if (!found) return undefined;
  return new Map([...found].filter((entry): entry is [string, string] => entry[1] !== null));
}

const store = createVerdictStore('python-regex', () => pythonIdentity(pythonCommand()));

function pythonCommand(): string {
  return process.env['PYTHON'] ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');
}

/** The Python the verdicts come from: its path, size and modification time (an upgrade starts afresh). */
function pythonIdentity(python: string): string {
  try {
    const stat = statSync(python);
    return `${python}|${stat.size}|${stat.mtimeMs}`;
  } catch {
    return `${python}|unknown`;
  }
}

function compileWithPython(python: string, patterns: readonly string[]): Map<string, string> | undefined {
  const run = spawnSync(python, ['-c', SCRIPT], {
    input: JSON.stringify(patterns),
    encoding: 'utf8',
    timeout: 10_000,
  });
  if (run.error || run.status !== 0) return undefined;
  return new Map(Object.entries(JSON.parse(run.stdout) as Record<string, string>));
}
