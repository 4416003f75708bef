import {
  formatImageReference,
  normalizeImageReference,
  parseImageReference,
  type ImageReference,
} from '../lib/image-reference.ts';
import { inferScheme, newerTags, type UpdatePolicy } from '../lib/freshness/tag-schemes.ts';
import type { ImageChecker } from './checker.ts';

/** What a freshness check found out about one image reference. */
export type FreshnessStatus =
  /** No tag of the same scheme is newer. */
  | 'up-to-date'
  /** Newer tags of the same scheme exist. */
  | 'outdated'
  /** A pinned `tag@sha256:…` whose tag now names another digest (and no newer tag). */
  | 'tag-moved'
  /** The tags could be listed, but there is no telling which is newer (a moving tag, hashes, updates off). */
  | 'cannot-tell'
  /** The registry could not be asked, or the repository does not exist. */
  | 'failed';

/** The outcome for one reference: data for the CLI, the server and the editor. */
export interface FreshnessResult {
  reference: string;
  status: FreshnessStatus;
  /** The tag in use. */
  current?: string;
  /** The newest tag of the same scheme (the current one when nothing is newer). */
  newest?: string;
  /** Newer tags, newest first. */
  newer: string[];
  /** When each tag of `newer` (and the current one) was made, `YYYY-MM-DD`, where the tag or its config says. */
  dates: Record<string, string>;
  /** The reference rewritten to the newest tag (as written: no domain added); a digest is re-resolved by bump. */
  proposal?: string;
  /** For `tag-moved` (or outdated and moved): the digest the pinned tag names now. */
  movedTo?: string;
  /** One sentence: what was found, or why there is no answer. */
  message: string;
}

/** Hash tags are ordered by their images' creation time only up to this many candidates (three GETs each). */
export const HASH_CANDIDATES_MAX = 20;

/**
 * Finds the tags of the reference's repository that are newer than the tag in use, within its scheme (see
 * {@link newerTags}); orders hash tags by their configs' creation time; reports a pinned digest whose tag moved.
 */
export async function checkFreshness(
  checker: ImageChecker,
  reference: string,
  policy: UpdatePolicy = {},
  options: { refresh?: boolean; hashCandidatesMax?: number } = {},
): Promise<FreshnessResult> {
  const base = { reference, newer: [] as string[], dates: {} as Record<string, string> };
  const parsed = parseImageReference(reference.trim());
  if (!parsed.ok) return { ...base, status: 'failed', message: parsed.problem.message };
  const written = parsed.reference;
  const tag = written.tag;
  if (tag === undefined) {
    return {
      ...base,
      status: 'cannot-tell',
      message:
        written.digest === undefined
          ? `${reference} names no tag, so it means "latest", a moving tag; pin a dated or versioned tag to see updates.`
          : `${reference} is pinned by digest alone: there is no tag to compare; write it as repository:tag@digest to see updates.`,
    };
  }
  if (policy.enabled === false) {
    return {
      ...base,
      current: tag,
      status: 'cannot-tell',
      message: 'Updates are turned off for this image (updates.enabled: false).',
    };
  }
  const list = await checker.listTags(reference, { refresh: options.refresh === true });
  if (!list.ok) return { ...base, current: tag, status: 'failed', message: list.message };
  const answer = newerTags(tag, list.tags, policy);
  if (answer.kind === 'cannot-tell') {
    return {
      ...base,
      current: tag,
      status: 'cannot-tell',
      message: `Cannot tell which tag is newer: ${answer.reason}.`,
    };
  }
  const dates: Record<string, string> = {};
  let newer: string[];
  if (answer.kind === 'ordered') {
    newer = answer.newer;
    for (const t of [tag, ...newer]) {
      const date = inferScheme(t)?.date;
      if (date !== undefined) dates[t] = date;
    }
  } else {
    const max = options.hashCandidatesMax ?? HASH_CANDIDATES_MAX;
    if (answer.candidates.length > max) {
      return {
        ...base,
        current: tag,
        status: 'cannot-tell',
        message: `Cannot tell which tag is newer: "${tag}" looks like a hash, and ${answer.candidates.length} tags of that form are more than the ${max} whose creation time is looked up; narrow them with the image's updates.tags pattern.`,
      };
    }
    const repository = (t: string): string => formatImageReference({ ...withoutDigest(written), tag: t });
    const own = await checker.created(repository(tag));
    if (!own.ok) {
      return {
        ...base,
        current: tag,
        status: 'cannot-tell',
        message: `Cannot tell which tag is newer: "${tag}" looks like a hash, and its creation time is unknown (${own.message}).`,
      };
    }
    dates[tag] = day(own.created);
    const times = await Promise.all(
      answer.candidates.map(async (t) => ({ tag: t, created: await checker.created(repository(t)) })),
    );
    newer = times
      .flatMap((c) =>
        c.created.ok && c.created.created > own.created ? [{ tag: c.tag, created: c.created.created }] : [],
      )
      .sort((a, b) => b.created - a.created)
      .map((c) => {
        dates[c.tag] = day(c.created);
        return c.tag;
      });
  }
  const result: FreshnessResult = {
    reference,
    current: tag,
    newest: newer[0] ?? tag,
    newer,
    dates,
    status: newer.length > 0 ? 'outdated' : 'up-to-date',
    message:
      newer.length > 0
        ? `${newer.length} newer tag${newer.length === 1 ? '' : 's'} of the same scheme; the newest is ${newer[0]}.`
        : `No newer tag of the same scheme than ${tag}.`,
  };
  if (newer[0] !== undefined)
    result.proposal = formatImageReference({ ...withoutDigest(written), tag: newer[0] });
  if (written.digest !== undefined) {
    const now = await checker.check(formatImageReference({ ...withoutDigest(written), tag }));
    if (now.status === 'exists' && now.digest !== undefined && now.digest !== written.digest) {
      result.movedTo = now.digest;
      if (result.status === 'up-to-date') {
        result.status = 'tag-moved';
        result.message = `The tag moved: ${tag} now names ${now.digest}, not the pinned ${written.digest}.`;
      } else {
        result.message += ` The pinned tag moved too: ${tag} now names ${now.digest}.`;
      }
    }
  }
  return result;
}

/** The canonical form (`docker.io/library/…`) of a reference, for grouping. */
export function canonicalRepository(reference: string): string | undefined {
  const parsed = parseImageReference(reference);
  if (!parsed.ok) return undefined;
  const full = normalizeImageReference(parsed.reference);
  return `${full.domain}/${full.path}`;
}

function withoutDigest(reference: ImageReference): ImageReference {
  const copy = { ...reference };
  delete copy.digest;
  return copy;
}

function day(time: number): string {
  return new Date(time).toISOString().slice(0, 10);
}
