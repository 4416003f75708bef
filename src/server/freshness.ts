import { inferScheme, orderTagsForPicker } from '../lib/freshness/tag-schemes.ts';
import { parseImageReference } from '../lib/image-reference.ts';
import type { ValidateOptions } from '../lib/validate.ts';
import { planBump, proposedTag } from '../registry/bump.ts';
import type { ImageChecker } from '../registry/checker.ts';
import { checkContentFreshness, contentImagesOf } from '../registry/content-freshness.ts';
import { checkFreshness, type FreshnessResult } from '../registry/freshness.ts';
import type { Author, ContentStore, WorkflowStore } from './store.ts';

/** How the sidecar keeps an eye on image tags. */
export interface FreshnessSettings {
  /** Seconds between two checks of every image; 0 turns the periodic check off. */
  intervalSeconds: number;
  /** Open each bump as a draft for review (editorial workflow only; never published by the server). */
  openDrafts: boolean;
}

/** The environment variables of {@link readFreshnessSettings}. */
export const FRESHNESS_ENV = {
  interval: 'CONFIGURATOR_FRESHNESS_INTERVAL',
  drafts: 'CONFIGURATOR_FRESHNESS_DRAFTS',
} as const;

/** Reads the settings: the interval defaults to 6 hours beside the hub and off on one's own machine. */
export function readFreshnessSettings(
  env: Record<string, string | undefined>,
  mode: 'local' | 'hub',
): { settings: FreshnessSettings; problems: string[] } {
  const problems: string[] = [];
  const text = env[FRESHNESS_ENV.interval];
  let intervalSeconds = mode === 'hub' ? 6 * 3600 : 0;
  if (text !== undefined && text.trim() !== '') {
    const value = Number(text);
    if (Number.isFinite(value) && value >= 0) intervalSeconds = value;
    else
      problems.push(
        `${FRESHNESS_ENV.interval}=${JSON.stringify(text)} is not a number of seconds (0 turns the check off).`,
      );
  }
  return { settings: { intervalSeconds, openDrafts: env[FRESHNESS_ENV.drafts] === 'true' }, problems };
}

/** What the last check found, for `api/status`, the banner and the Images list. */
export interface FreshnessFindings {
  intervalSeconds: number;
  /** When the last check finished (ISO), if one has. */
  checkedAt?: string;
  /** Images with a newer tag (or a moved pinned tag): id, reference, newest, newer (newest first). */
  outdated: {
    id: string;
    reference: string;
    newest?: string;
    newer: string[];
    status: string;
    message: string;
  }[];
  /** Images whose registry could not be asked. */
  failed: { id: string; reference: string; message: string }[];
  /** Drafts the check opened for review. */
  drafts: string[];
}

/** The picker's answer for one reference: every tag, the same scheme first and newest first, dates where known. */
export interface TagsAnswer {
  reference: string;
  current?: string;
  tags: { tag: string; date?: string; sameScheme: boolean; newer: boolean }[];
  newest?: string;
  status?: string;
  message?: string;
}

/** The sidecar's side of image freshness: the periodic check, the picker's tags, and "Update to <tag>". */
export interface FreshnessService {
  findings(): FreshnessFindings;
  /** Runs one check of every image now (the periodic check calls it). */
  runCheck(): Promise<FreshnessFindings>;
  /** The findings, checked now if none are younger than `maxAgeMs`. */
  freshFindings(maxAgeMs: number): Promise<FreshnessFindings>;
  tags(reference: string): Promise<TagsAnswer>;
  stop(): void;
}

/** Creates the service; with an interval, the first check runs a minute after start, then every interval. */
export function createFreshnessService(options: {
  checker: ImageChecker;
  store: ContentStore;
  workflow?: WorkflowStore;
  validate: ValidateOptions;
  settings: FreshnessSettings;
  /** Serialises writes with the content API's queue. */
  queue: <T>(work: () => Promise<T>) => Promise<T>;
  log?: (line: string) => void;
  firstDelayMs?: number;
}): FreshnessService {
  const { checker, store, settings } = options;
  const log = options.log ?? ((line: string) => console.log(line));
  let findings: FreshnessFindings = {
    intervalSeconds: settings.intervalSeconds,
    outdated: [],
    failed: [],
    drafts: [],
  };
  let running: Promise<FreshnessFindings> | undefined;
  let checkedAtMs = 0;
  const bot: Author = { name: 'z2jh-configurator', email: 'z2jh-configurator@jupyterhub' };

  const openDrafts = async (results: (FreshnessResult & { id: string })[]): Promise<string[]> => {
    const workflow = options.workflow;
    if (!settings.openDrafts || !workflow) return [];
    const opened: string[] = [];
    for (const result of results) {
      const tag = proposedTag(result);
      if (tag === undefined) continue;
      await options.queue(async () => {
        if (await workflow.getDraft('images', result.id)) return; // a draft for this image is already in review
        const files = await store.readAll();
        const image = contentImagesOf(files).find((i) => i.id === result.id);
        if (!image) return;
        const planned = await planBump(checker, files, image, tag, options.validate);
        if (!planned.ok) return log(`Image freshness: no draft for ${result.id}: ${planned.reason}`);
        await workflow.saveDraft(
          'images',
          result.id,
          [{ path: planned.plan.file, text: planned.plan.text }],
          {
            message: `Update image ${result.id} to ${planned.plan.to}`,
            author: bot,
            status: 'draft',
          },
        );
        opened.push(result.id);
      });
    }
    return opened;
  };

  const runCheck = (): Promise<FreshnessFindings> =>
    (running ??= (async () => {
      try {
        const images = contentImagesOf(await store.readAll());
        const results = await checkContentFreshness(checker, images, undefined, { refresh: true });
        const drafts = await openDrafts(results);
        findings = {
          intervalSeconds: settings.intervalSeconds,
          checkedAt: new Date().toISOString(),
          outdated: results
            .filter((r) => r.status === 'outdated' || r.status === 'tag-moved')
            .map((r) => ({
              id: r.id,
              reference: r.reference,
              ...(r.newest === undefined ? {} : { newest: r.newest }),
              newer: r.newer,
              status: r.status,
              message: r.message,
            })),
          failed: results
            .filter((r) => r.status === 'failed')
            .map((r) => ({ id: r.id, reference: r.reference, message: r.message })),
          drafts,
        };
        checkedAtMs = Date.now();
        return findings;
      } finally {
        running = undefined;
      }
    })());

  let timer: ReturnType<typeof setTimeout> | undefined;
  const schedule = (delayMs: number): void => {
    timer = setTimeout(() => {
      void runCheck()
        .catch((problem: unknown) => log(`Image freshness check failed: ${String(problem)}`))
        .finally(() => schedule(settings.intervalSeconds * 1000));
    }, delayMs);
    timer.unref();
  };
  if (settings.intervalSeconds > 0)
    schedule(options.firstDelayMs ?? Math.min(60_000, settings.intervalSeconds * 1000));

  return {
    findings: () => findings,
    runCheck,
    async freshFindings(maxAgeMs) {
      return Date.now() - checkedAtMs < maxAgeMs ? findings : runCheck();
    },
    async tags(reference) {
      const parsed = parseImageReference(reference);
      const current = parsed.ok ? parsed.reference.tag : undefined;
      const list = await checker.listTags(reference);
      if (!list.ok)
        return {
          reference,
          tags: [],
          status: list.status,
          message: list.message,
          ...(current ? { current } : {}),
        };
      const freshness = current === undefined ? undefined : await checkFreshness(checker, reference);
      const newer = new Set(freshness?.newer ?? []);
      const tags = orderTagsForPicker(current, list.tags).map((row) => {
        const date = row.date ?? freshness?.dates[row.tag];
        return {
          tag: row.tag,
          sameScheme: row.sameScheme,
          newer: newer.has(row.tag),
          ...(date ? { date } : {}),
        };
      });
      // Hash tags ordered by creation time: newer ones first, as freshness ordered them.
      if (current !== undefined && inferScheme(current)?.kind === 'hash') {
        const order = freshness?.newer ?? [];
        tags.sort((a, b) => rank(order, a.tag) - rank(order, b.tag));
      }
      return {
        reference,
        tags,
        ...(current ? { current } : {}),
        ...(freshness?.newer[0] ? { newest: freshness.newer[0] } : {}),
        ...(freshness ? { status: freshness.status, message: freshness.message } : {}),
      };
    },
    stop: () => {
      if (timer) clearTimeout(timer);
    },
  };
}

function rank(order: readonly string[], tag: string): number {
  const index = order.indexOf(tag);
  return index === -1 ? order.length : index;
}
