import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';

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
  // Verdicts are also kept on disk for the same Python, so a CLI run does not start Python for known patterns.
  let unknown = [...new Set(patterns)].filter((p) => !verdicts.has(p));
  if (unknown.length > 0) {
    const python = pythonCommand();
    const stored = readStoredVerdicts(python);
    for (const pattern of unknown)
      if (pattern in stored.verdicts) verdicts.set(pattern, stored.verdicts[pattern]!);
    unknown = unknown.filter((p) => !verdicts.has(p));
    if (unknown.length > 0) {
      const answers = compileWithPython(python, unknown);
      if (!answers) return undefined;
      for (const pattern of unknown) verdicts.set(pattern, answers.get(pattern) ?? null);
      writeStoredVerdicts(python, stored);
    }
  }
  const problems = new Map<string, string>();
  for (const pattern of patterns) {
    const verdict = verdicts.get(pattern);
    if (verdict) problems.set(pattern, verdict);
  }
  return problems;
}

const verdicts = new Map<string, string | null>();

function pythonCommand(): string {
  return process.env['PYTHON'] ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');
}

/** At most this many verdicts are kept on disk (the newest win). */
const STORED_LIMIT = 2000;

interface StoredVerdicts {
  /** The Python the verdicts came from: its path, size and modification time (an upgrade starts afresh). */
  python: string;
  verdicts: Record<string, string | null>;
}

function storeFile(): string {
  const base = process.env['XDG_CACHE_HOME'] || path.join(homedir(), '.cache');
  return path.join(base, 'z2jh-configurator', 'python-regex.json');
}

function pythonIdentity(python: string): string {
  try {
    const stat = statSync(python);
    return `${python}|${stat.size}|${stat.mtimeMs}`;
  } catch {
    return `${python}|unknown`;
  }
}

function readStoredVerdicts(python: string): StoredVerdicts {
  const identity = pythonIdentity(python);
  try {
    const stored = JSON.parse(readFileSync(storeFile(), 'utf8')) as StoredVerdicts;
    if (stored.python === identity && typeof stored.verdicts === 'object') return stored;
  } catch {
    // No store yet, or an unreadable one: start afresh.
  }
  return { python: identity, verdicts: {} };
}

function writeStoredVerdicts(python: string, stored: StoredVerdicts): void {
  const all = { ...stored.verdicts };
  for (const [pattern, verdict] of verdicts) all[pattern] = verdict;
  const kept = Object.entries(all).slice(-STORED_LIMIT);
  try {
    mkdirSync(path.dirname(storeFile()), { recursive: true });
    const file = storeFile();
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(
      temp,
      JSON.stringify({ python: pythonIdentity(python), verdicts: Object.fromEntries(kept) }),
    );
    renameSync(temp, file);
  } catch {
    // A read-only home only costs the next run a Python start.
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
