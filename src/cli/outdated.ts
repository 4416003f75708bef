import pc from 'picocolors';
import type { ImageChecker } from '../registry/checker.ts';
import {
  checkContentFreshness,
  readContentImages,
  type ContentImage,
} from '../registry/content-freshness.ts';
import type { FreshnessResult } from '../registry/freshness.ts';
import { formatTable } from './print.ts';
import { createProgressBar } from './progress.ts';
import { createCliChecker } from './registry-checker.ts';

/** One row of `outdated --json`. */
export interface OutdatedRow {
  id: string;
  reference: string;
  current: string | null;
  newest: string | null;
  /** Newer tags of the same scheme, newest first. */
  newer: string[];
  /** Only when there is something to say beyond the tags: why there is no answer, or that a pinned tag moved. */
  note?: string;
}

/** `outdated [--json] [image-id…]`: newer tags of every (or each named) image; 0 when every image could be checked. */
export async function runOutdated(
  projectDir: string,
  ids: readonly string[],
  options: { json?: boolean; cache?: boolean },
): Promise<number> {
  const picked = await pickImages(projectDir, ids);
  if (!picked.ok) return 1;
  const checker = createCliChecker(projectDir);
  try {
    const results = await checkWithBar(
      checker,
      picked.images,
      options.json === true,
      options.cache === false,
    );
    const rows = results.map(toRow);
    if (options.json) console.log(JSON.stringify(rows, null, 2));
    else console.log(formatOutdated(results));
    return results.some((r) => r.status === 'failed') ? 1 : 0;
  } finally {
    checker.close();
  }
}

/** The images to look at: the named ones (unknown ids are refused), else all. */
export async function pickImages(
  projectDir: string,
  ids: readonly string[],
): Promise<{ ok: true; images: ContentImage[] } | { ok: false }> {
  const images = await readContentImages(projectDir);
  const unknown = ids.filter((id) => !images.some((i) => i.id === id));
  if (unknown.length > 0) {
    console.error(
      `${pc.red('✖')} No image with the id ${unknown.map((u) => `"${u}"`).join(', ')} in content/images/. Nothing was checked.`,
    );
    return { ok: false };
  }
  return { ok: true, images: ids.length === 0 ? images : images.filter((i) => ids.includes(i.id)) };
}

/** Checks with a progress bar on a terminal (stderr). */
export async function checkWithBar(
  checker: ImageChecker,
  images: readonly ContentImage[],
  quiet: boolean,
  refresh: boolean,
): Promise<(FreshnessResult & { id: string })[]> {
  const showBar = !quiet && process.stderr.isTTY === true && images.length > 0;
  // Loaded only for a terminal: scripts and CI runs do not pay for it at start-up.
  const bar = showBar ? await createProgressBar('listing tags') : undefined;
  bar?.start(images.length, 0, { reference: '' });
  try {
    return await checkContentFreshness(
      checker,
      images,
      (done, _total, image) => bar?.update(done, { reference: image.id }),
      { refresh },
    );
  } finally {
    bar?.stop();
  }
}

/** The JSON row of one result. */
export function toRow(result: FreshnessResult & { id: string }): OutdatedRow {
  const row: OutdatedRow = {
    id: result.id,
    reference: result.reference,
    current: result.current ?? null,
    newest:
      result.status === 'outdated' || result.status === 'up-to-date' || result.status === 'tag-moved'
        ? (result.newest ?? null)
        : null,
    newer: result.newer,
  };
  if (!(result.status === 'outdated' || result.status === 'up-to-date') || result.movedTo !== undefined)
    row.note = result.message;
  return row;
}

const LABEL: Record<FreshnessResult['status'], (s: string) => string> = {
  outdated: pc.yellow,
  'up-to-date': pc.green,
  'tag-moved': pc.yellow,
  'cannot-tell': pc.dim,
  failed: pc.red,
};

/** The table: image id, reference, newest tag of the same scheme, how many are newer, and a note. */
export function formatOutdated(results: readonly (FreshnessResult & { id: string })[]): string {
  const header = ['IMAGE', 'REFERENCE', 'NEWEST', 'NEWER', 'NOTE'];
  const cells = results.map((r) => [
    r.id,
    r.reference,
    r.status === 'outdated' || r.status === 'up-to-date' || r.status === 'tag-moved' ? (r.newest ?? '') : '—',
    String(r.newer.length),
    r.status === 'outdated'
      ? r.movedTo
        ? 'tag moved too'
        : ''
      : r.status === 'up-to-date'
        ? 'up to date'
        : r.message,
  ]);
  const outdated = results.filter((r) => r.status === 'outdated' || r.status === 'tag-moved').length;
  const failed = results.filter((r) => r.status === 'failed').length;
  return [
    formatTable(header, cells, (s, r, c) =>
      c === 2 || c === 4 ? LABEL[results[r]?.status ?? 'failed'](s) : s,
    ),
    '',
    `${results.length} image${results.length === 1 ? '' : 's'}: ${outdated} with a newer tag${failed ? `, ${failed} could not be checked` : ''}.${outdated ? ' Run `z2jh-configurator bump` to move them to their newest tags.' : ''}`,
  ].join('\n');
}
