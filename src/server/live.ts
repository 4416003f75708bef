import type { SourceFile } from '../lib/catalog.ts';
import { error, type Issue } from '../lib/issues.ts';
import type { Outputs } from '../lib/outputs.ts';
import { generateCheckedOutputs } from '../lib/output-limits.ts';
import { validateContent, type ValidateOptions } from '../lib/validate.ts';
import type { GitRepo } from './git/repo.ts';

/** The outputs of one commit, as served. */
export interface Published {
  commit: string;
  outputs: Outputs;
  /** Bytes and validators of the two public files, ready to send. */
  json: Buffer;
  yaml: Buffer;
  etag: string;
  warnings: Issue[];
}

/** What the server says about its content: which commit it serves and whether the newest one is valid. */
export interface LiveStatus {
  branch: string;
  newestCommit?: string;
  servingCommit?: string;
  valid: boolean;
  problems: Issue[];
}

/** How the live outputs are computed and refreshed. */
export interface LiveOptions {
  branch?: string;
  validate?: ValidateOptions;
  pollMs?: number;
  log?: (line: string) => void;
}

/**
 * Keeps the outputs of the newest valid commit of `main` in memory, so requests are answered from bytes
 * computed once per commit. Commits this server makes refresh it at once; commits pushed from elsewhere are
 * noticed by polling the branch every `pollMs`. An invalid newest commit never replaces the last valid one.
 */
export class LiveContent {
  private published: Published | undefined;
  private newest: string | undefined;
  private problems: Issue[] = [];
  private timer: NodeJS.Timeout | undefined;
  private refreshing: Promise<void> | undefined;
  private readonly byCommit = new Map<string, { ok: boolean; outputs?: Outputs; issues: Issue[] }>();

  private readonly repo: GitRepo;
  private readonly options: LiveOptions;

  constructor(repo: GitRepo, options: LiveOptions = {}) {
    this.repo = repo;
    this.options = options;
  }

  /** The branch served. */
  get branch(): string {
    return this.options.branch ?? 'main';
  }

  /** Loads the newest valid commit (walking back through history if the tip is invalid) and starts polling. */
  async start(): Promise<void> {
    await this.refresh();
    if (!this.published) {
      for (const commit of (await this.repo.log(this.branch, 100)).slice(1)) {
        const result = await this.evaluate(commit.sha);
        if (result.ok && result.outputs) {
          this.publish(commit.sha, result.outputs, result.issues);
          break;
        }
      }
    }
    const pollMs = this.options.pollMs ?? 500;
    if (pollMs > 0) {
      this.timer = setInterval(() => void this.refresh().catch(() => undefined), pollMs);
      this.timer.unref();
    }
  }

  /** Stops polling. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Looks at the branch tip now; runs at most one refresh at a time. */
  refresh(): Promise<void> {
    this.refreshing ??= this.doRefresh().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  /** The outputs being served (undefined only when no commit was ever valid). */
  current(): Published | undefined {
    return this.published;
  }

  /** The served and newest commits, and the problems of the newest when it is invalid. */
  status(): LiveStatus {
    return {
      branch: this.branch,
      ...(this.newest ? { newestCommit: this.newest } : {}),
      ...(this.published ? { servingCommit: this.published.commit } : {}),
      valid: this.published !== undefined && this.published.commit === this.newest,
      problems: this.problems,
    };
  }

  /**
   * Throws, saying why, when `commit` is the tip of the branch but is not what is served (after `refresh`):
   * a save must not be answered as live when it is not. A branch that already moved past it is fine.
   */
  confirmServed(commit: string): void {
    if (this.published?.commit === commit || this.newest !== commit) return;
    const problems = this.problems
      .map((p) => `${p.message} (${p.code}, ${p.file}${p.line ? `:${p.line}` : ''})`)
      .join(' ');
    throw new Error(`main's content is not valid: ${problems || 'it could not be checked.'}`);
  }

  /** Validates and generates the outputs of any commit (cached), for history and diffs. */
  async evaluate(commit: string): Promise<{ ok: boolean; outputs?: Outputs; issues: Issue[] }> {
    const cached = this.byCommit.get(commit);
    if (cached) return cached;
    const files = await this.repo.readTree(commit);
    const evaluated = evaluateFiles(files, this.options.validate);
    if (this.byCommit.size > 200) this.byCommit.clear();
    this.byCommit.set(commit, evaluated);
    return evaluated;
  }

  private async doRefresh(): Promise<void> {
    const tip = await this.repo.tip(this.branch);
    if (!tip || tip === this.newest) return;
    const result = await this.evaluate(tip).catch((problem: unknown) => ({
      ok: false,
      outputs: undefined,
      issues: [unreadableCommit(problem)],
    }));
    // Only now: the status never names a newest commit without its verdict.
    this.newest = tip;
    if (result.ok && result.outputs) {
      if (this.problems.length > 0) this.log(`Commit ${tip.slice(0, 10)} is valid again; serving it.`);
      this.problems = [];
      this.publish(tip, result.outputs, result.issues);
      return;
    }
    this.problems = result.issues.filter((i) => i.severity === 'error');
    this.log(
      `Commit ${tip.slice(0, 10)} on ${this.branch} is not valid (${this.problems.length} errors: ` +
        `${this.problems.map((p) => `${p.file}${p.line ? `:${p.line}` : ''} ${p.code}`).join(', ')}); ` +
        `still serving ${this.published ? this.published.commit.slice(0, 10) : 'nothing'}.`,
    );
  }

  private publish(commit: string, outputs: Outputs, issues: Issue[]): void {
    this.published = {
      commit,
      outputs,
      json: Buffer.from(outputs.profileListJson),
      yaml: Buffer.from(outputs.valuesYaml),
      etag: `"${commit}"`,
      warnings: issues.filter((i) => i.severity === 'warning'),
    };
  }

  private log(line: string): void {
    (this.options.log ?? ((text: string) => console.warn(text)))(line);
  }
}

/** Validates a tree and generates its outputs (bounded); any failure is an issue, never an exception. */
export function evaluateFiles(
  files: SourceFile[],
  options: ValidateOptions | undefined,
): { ok: boolean; outputs?: Outputs; issues: Issue[] } {
  const result = validateContent(files, options);
  if (!result.ok) return { ok: false, issues: result.issues };
  const generated = generateCheckedOutputs(result.resolved);
  if (!generated.outputs) return { ok: false, issues: [...result.issues, ...generated.issues] };
  return { ok: true, outputs: generated.outputs, issues: result.issues };
}

function unreadableCommit(problem: unknown): Issue {
  return error(
    'CommitUnreadable',
    { file: 'content' },
    `The commit could not be read or checked: ${problem instanceof Error ? problem.message : String(problem)}`,
    'look at the server log; push a commit that fixes the content.',
  );
}
