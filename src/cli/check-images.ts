import pc from 'picocolors';
import { hasErrors, sortIssues, type Issue } from '../lib/issues.ts';
import type { ValidationResult } from '../lib/validate.ts';
import type { ImageChecker } from '../registry/checker.ts';
import { contentImageReferences, IMAGE_CHECK_CODES, imageCheckIssues } from '../registry/issues.ts';
import type { ImageCheckResult, ImageCheckStatus } from '../registry/types.ts';
import { shouldCheckImages, type ImageCheckOptions } from './image-check-options.ts';
import { formatIssues, formatTable } from './print.ts';
import { createCliChecker } from './registry-checker.ts';
import { createProgressBar } from './progress.ts';

export { shouldCheckImages, type ImageCheckOptions };

/** Checks references with a progress bar on a terminal (stderr); results by reference. */
export async function checkWithProgress(
  checker: ImageChecker,
  references: readonly string[],
  options: Pick<ImageCheckOptions, 'cache' | 'quiet'>,
): Promise<Map<string, ImageCheckResult>> {
  const showBar = options.quiet !== true && process.stderr.isTTY === true && references.length > 0;
  // Loaded only for a terminal: scripts and CI runs do not pay for it at start-up.
  const bar = showBar ? await createProgressBar('checking images') : undefined;
  bar?.start(references.length, 0, { reference: '' });
  try {
    return await checker.checkMany(
      references,
      (done, _total, result) => bar?.update(done, { reference: result.reference }),
      { refresh: options.cache === false },
    );
  } finally {
    bar?.stop();
  }
}

/**
 * The validation result with the image checks added (when asked, or in CI): their issues are merged in and
 * `ok` recomputed. `imageResults` holds the results for digest pinning.
 */
export async function withImageChecks(
  projectDir: string,
  result: ValidationResult,
  options: ImageCheckOptions & { pinDigests?: boolean },
): Promise<ValidationResult & { imageResults?: Map<string, ImageCheckResult> }> {
  if (!shouldCheckImages(options.checkImages) && options.pinDigests !== true) return result;
  const references = contentImageReferences(result.catalog);
  const imageResults = await checkWithProgress(createCliChecker(projectDir), references, options);
  const issues = sortIssues([
    ...result.issues,
    ...imageCheckIssues(result.catalog, imageResults, { strict: options.strictImages === true }),
  ]);
  return { ...result, issues, ok: !hasErrors(issues), imageResults };
}

/** `check-images [references…]`: checks the given references, or every image of the content; 1 on errors. */
export async function runCheckImages(
  projectDir: string,
  references: readonly string[],
  options: ImageCheckOptions & { json?: boolean },
): Promise<number> {
  const strict = options.strictImages === true;
  let rows: { id?: string; result: ImageCheckResult }[];
  let issues: Issue[] = [];
  const checker = createCliChecker(projectDir);
  const quiet = { ...options, quiet: options.quiet === true || options.json === true };
  if (references.length > 0) {
    const results = await checkWithProgress(checker, references, quiet);
    rows = [...results.values()].map((result) => ({ result }));
  } else {
    const { loadContent } = await import('../lib/load.ts');
    const content = await loadContent(projectDir);
    const results = await checkWithProgress(checker, contentImageReferences(content.catalog), quiet);
    rows = content.catalog.images.flatMap((entry) => {
      const result = results.get(entry.data.image);
      return result ? [{ id: entry.id, result }] : [];
    });
    issues = sortIssues(imageCheckIssues(content.catalog, results, { strict }));
  }
  const failed = rows.some(({ result }) => isFailure(result.status, strict)) || hasErrors(issues);
  if (options.json) {
    console.log(
      JSON.stringify(
        {
          ok: !failed,
          results: rows.map(({ id, result }) => ({ ...(id ? { id } : {}), ...result })),
          issues,
        },
        null,
        2,
      ),
    );
    return failed ? 1 : 0;
  }
  console.log(formatResultTable(rows));
  if (references.length > 0) {
    for (const { result } of rows) {
      if (result.status !== 'exists')
        console.log(`${mark(result.status, strict)} ${result.reference}\n  ${result.message}`);
    }
  } else if (issues.length > 0) {
    console.log('');
    console.log(formatIssues(issues, failed ? '' : 'Every image that could be checked exists.'));
  }
  console.log(summary(rows.map((r) => r.result)));
  return failed ? 1 : 0;
}

function isFailure(status: ImageCheckStatus, strict: boolean): boolean {
  if (status === 'exists') return false;
  if (status === 'invalid' || status === 'not-found') return true;
  return strict || IMAGE_CHECK_CODES[status].error;
}

function mark(status: ImageCheckStatus, strict: boolean): string {
  return isFailure(status, strict) ? pc.red('✖') : pc.yellow('⚠');
}

const LABELS: Record<ImageCheckStatus, string> = {
  exists: 'exists',
  'not-found': 'not found',
  'private-or-missing': 'private or missing',
  'needs-credentials': 'needs credentials',
  'rate-limited': 'rate limited',
  'could-not-check': 'could not check',
  invalid: 'invalid',
};

/** The summary table: image id (content mode), reference, result (cached ones marked), digest. */
export function formatResultTable(rows: readonly { id?: string; result: ImageCheckResult }[]): string {
  const hasIds = rows.some((r) => r.id !== undefined);
  const header = [...(hasIds ? ['IMAGE'] : []), 'REFERENCE', 'RESULT', 'DIGEST'];
  const cells = rows.map(({ id, result }) => [
    ...(hasIds ? [id ?? ''] : []),
    result.reference,
    `${LABELS[result.status]}${result.cached ? ' (cached)' : ''}`,
    result.digest ?? '',
  ]);
  const resultColumn = header.indexOf('RESULT');
  return formatTable(header, cells, (s, r, c) =>
    c === resultColumn ? colour(rows[r]?.result.status ?? 'exists')(s) : s,
  );
}

function colour(status: ImageCheckStatus): (s: string) => string {
  if (status === 'exists') return pc.green;
  if (status === 'not-found' || status === 'invalid') return pc.red;
  return pc.yellow;
}

function summary(results: readonly ImageCheckResult[]): string {
  const counts = new Map<string, number>();
  for (const r of results) counts.set(LABELS[r.status], (counts.get(LABELS[r.status]) ?? 0) + 1);
  const parts = [...counts].map(([label, count]) => `${count} ${label}`);
  const cached = results.filter((r) => r.cached).length;
  return `${results.length} image${results.length === 1 ? '' : 's'} checked: ${parts.join(', ') || 'none'}${cached ? ` (${cached} from the cache)` : ''}.`;
}
