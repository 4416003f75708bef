/**
 * Which tags of a repository are "newer" than the tag in use: the tag's scheme is inferred (a date, a compact
 * date, a calendar version, a semantic version with or without `v`, a plain number, or a hash), and only tags of
 * the same scheme, with the same fixed prefix and suffix, are compared. Pure and browser-safe.
 *
 * @example
 * const scheme = inferScheme('cuda12-2024-03-18'); // { kind: 'date', prefix: 'cuda12-', suffix: '' , … }
 * newerTags('cuda12-2024-03-18', ['cuda12-2024-04-01', 'cuda11-2025-01-01', 'latest']).newer; // ['cuda12-2024-04-01']
 */

/** The kinds of tag this module can order; `hash` tags have no order of their own. */
export type SchemeKind = 'date' | 'compact-date' | 'calver' | 'semver' | 'number' | 'hash';

/** The scheme of one tag: its kind, the fixed text around the version, and the version as comparable numbers. */
export interface TagScheme {
  kind: SchemeKind;
  /** Fixed text before the version (`cuda12-`, `v`, ``). */
  prefix: string;
  /** Fixed text after the version (`-python3.11`, ``); a pre-release marker is not part of it. */
  suffix: string;
  /** The version as numbers, most significant first (empty for hashes). */
  key: number[];
  /** A pre-release (`-rc1`, `b2`, `.dev0`): never proposed, and older than its release. */
  prerelease: boolean;
  /** The date the tag names, `YYYY-MM-DD`, for date and compact-date tags (and calver with a day). */
  date?: string;
}

/** Tags that move by design: they say nothing about age and are never proposed. */
export const MOVING_TAGS: ReadonlySet<string> = new Set([
  'latest', 'main', 'master', 'stable', 'edge', 'nightly', 'dev', 'develop', 'development', 'head', 'rolling',
  'current', 'release', 'testing', 'unstable', 'beta', 'alpha', 'canary', 'next', 'trunk', 'lts',
]); // prettier-ignore

/** A pre-release marker right after the version: -rc1, .beta2, a1, b3, -dev, .dev0, -pre, -snapshot, -preview. */
const PRERELEASE =
  /^(?:[-._+]?(?:rc|alpha|beta|a|b|dev|pre|preview|snapshot|nightly)(?:[-._]?\d+)*)(?![a-z])/i;

const DATE = /(?<![0-9])((?:19|20)\d{2})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(?![0-9])/;
// Not inside a run of hex digits, where eight digits are more likely part of a hash.
const COMPACT_DATE = /(?<![0-9a-f])((?:19|20)\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?![0-9a-f])/;
const CALVER = /(?<![0-9.])((?:19|20)\d{2})\.(\d{1,2})(?:\.(\d{1,3}))?(?![0-9])/;
const SEMVER = /(?<![0-9.])(\d{1,9})\.(\d{1,9})(?:\.(\d{1,9}))?(?:\.(\d{1,9}))?(?![0-9])/;
const NUMBER = /(?<![0-9.])(\d{1,15})$/;
const HASH = /(?<![0-9a-f])([0-9a-f]{7,40})$/;

/** Infers a tag's scheme; undefined for moving tags and tags with no recognisable version. */
export function inferScheme(tag: string): TagScheme | undefined {
  if (MOVING_TAGS.has(tag.toLowerCase())) return undefined;
  const date = DATE.exec(tag) ?? undefined;
  if (date) return around(tag, date, 'date', dateKey(date), `${date[1]}-${date[2]}-${date[3]}`);
  const compact = COMPACT_DATE.exec(tag) ?? undefined;
  if (compact) {
    return around(
      tag,
      compact,
      'compact-date',
      dateKey(compact),
      `${compact[1]}-${compact[2]}-${compact[3]}`,
    );
  }
  const calver = CALVER.exec(tag) ?? undefined;
  if (calver) {
    const day = calver[3] !== undefined && Number(calver[2]) <= 12 && Number(calver[3]) <= 31;
    return around(
      tag,
      calver,
      'calver',
      numbers(calver),
      day ? `${calver[1]}-${calver[2]?.padStart(2, '0')}-${calver[3]?.padStart(2, '0')}` : undefined,
    );
  }
  const semver = SEMVER.exec(tag) ?? undefined;
  if (semver) return around(tag, semver, 'semver', numbers(semver));
  const hash = HASH.exec(tag) ?? undefined;
  if (hash && /[a-f]/.test(hash[1] ?? '') && /^$|[-_.]$/.test(tag.slice(0, hash.index))) {
    return { kind: 'hash', prefix: tag.slice(0, hash.index), suffix: '', key: [], prerelease: false };
  }
  const number = NUMBER.exec(tag) ?? undefined;
  if (number && /^$|[-_.v]$/i.test(tag.slice(0, number.index)))
    return around(tag, number, 'number', numbers(number));
  return undefined;
}

function around(
  tag: string,
  match: RegExpExecArray,
  kind: SchemeKind,
  key: number[],
  date?: string,
): TagScheme {
  const prefix = tag.slice(0, match.index);
  let suffix = tag.slice(match.index + match[0].length);
  const pre = PRERELEASE.exec(suffix);
  const prerelease = pre !== null && (kind === 'semver' || kind === 'calver' || kind === 'number');
  if (prerelease && pre) suffix = suffix.slice(pre[0].length);
  return { kind, prefix, suffix, key, prerelease, ...(date === undefined ? {} : { date }) };
}

function dateKey(match: RegExpExecArray): number[] {
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

function numbers(match: RegExpExecArray): number[] {
  return match.slice(1).flatMap((part) => (part === undefined ? [] : [Number(part)]));
}

/** Whether two tags are of the same scheme: same kind, prefix and suffix (a `v` prefix is its own scheme). */
export function sameScheme(a: TagScheme, b: TagScheme): boolean {
  if (a.kind !== b.kind || a.prefix !== b.prefix || a.suffix !== b.suffix) return false;
  // 4.3 and 4.3.1 are one scheme; a four-part 1.2.3.4 is only compared with four-part versions.
  return a.kind !== 'semver' || a.key.length === b.key.length || (a.key.length <= 3 && b.key.length <= 3);
}

/** Orders two versions of one scheme: negative when `a` is older. A pre-release is older than its release. */
export function compareVersions(a: TagScheme, b: TagScheme): number {
  const length = Math.max(a.key.length, b.key.length);
  for (let i = 0; i < length; i++) {
    const d = (a.key[i] ?? 0) - (b.key[i] ?? 0);
    if (d !== 0) return d;
  }
  return (a.prerelease ? 0 : 1) - (b.prerelease ? 0 : 1);
}

/** What narrows the tags that count as newer for one image (its `updates` field). */
export interface UpdatePolicy {
  /** False: the image is never reported or bumped. */
  enabled?: boolean;
  /** A regular expression a tag must match to count as newer (e.g. `^4\.3\.` to stay on 4.3.x). */
  tags?: string;
}

/** The tags of the same scheme that are newer, newest first, or why there is no answer. */
export type NewerTags =
  | { kind: 'ordered'; scheme: TagScheme; newer: string[] }
  | { kind: 'hash'; scheme: TagScheme; candidates: string[] }
  | { kind: 'cannot-tell'; reason: string };

/**
 * The tags newer than `current` within its scheme, newest first. Pre-releases and moving tags are never
 * proposed; `policy.tags` narrows the candidates. Hash tags come back as unordered candidates for the caller to
 * order by creation time.
 */
export function newerTags(current: string, tags: readonly string[], policy: UpdatePolicy = {}): NewerTags {
  if (policy.enabled === false)
    return { kind: 'cannot-tell', reason: 'updates are turned off for this image' };
  const scheme = inferScheme(current);
  if (!scheme) {
    return {
      kind: 'cannot-tell',
      reason: MOVING_TAGS.has(current.toLowerCase())
        ? `"${current}" is a moving tag: it always names the newest build, so nothing is newer; pin a dated or versioned tag to see updates`
        : `"${current}" has no recognisable date, version or number, so its tags cannot be ordered`,
    };
  }
  let narrow: RegExp | undefined;
  if (policy.tags !== undefined) {
    try {
      narrow = new RegExp(policy.tags);
    } catch {
      return {
        kind: 'cannot-tell',
        reason: `the image's updates.tags pattern ${JSON.stringify(policy.tags)} is not a valid regular expression`,
      };
    }
  }
  const candidates: { tag: string; scheme: TagScheme }[] = [];
  for (const tag of tags) {
    if (tag === current || (narrow && !narrow.test(tag))) continue;
    const other = inferScheme(tag);
    if (!other || other.prerelease || !sameScheme(scheme, other)) continue;
    candidates.push({ tag, scheme: other });
  }
  if (scheme.kind === 'hash')
    return { kind: 'hash', scheme, candidates: candidates.map((c) => c.tag).sort() };
  const newer = candidates
    .filter((c) => compareVersions(c.scheme, scheme) > 0)
    .sort(
      (a, b) =>
        compareVersions(b.scheme, a.scheme) ||
        // Of one release written twice (4.3 and 4.3.0), prefer the form in use.
        Number(b.scheme.key.length === scheme.key.length) -
          Number(a.scheme.key.length === scheme.key.length) ||
        a.tag.localeCompare(b.tag),
    );
  // Equal versions written differently (4.3 and 4.3.0) are one release: keep the first.
  const seen = new Set<string>();
  const distinct = newer.filter((c) => {
    const key = c.scheme.key.join('.').replace(/(\.0)+$/, '');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return { kind: 'ordered', scheme, newer: distinct.map((c) => c.tag) };
}

/** Every tag of a list ordered for a picker: the same scheme as `current` first (newest first), then the rest. */
export function orderTagsForPicker(
  current: string | undefined,
  tags: readonly string[],
): { tag: string; date?: string; sameScheme: boolean }[] {
  const scheme = current === undefined ? undefined : inferScheme(current);
  const rows = tags.map((tag) => {
    const own = inferScheme(tag);
    return { tag, own, same: scheme !== undefined && own !== undefined && sameScheme(scheme, own) };
  });
  rows.sort((a, b) => {
    if (a.same !== b.same) return a.same ? -1 : 1;
    const ordered = (s: TagScheme | undefined): boolean => s !== undefined && s.kind !== 'hash';
    if (ordered(a.own) && ordered(b.own) && a.own && b.own && a.own.kind === b.own.kind)
      return compareVersions(b.own, a.own) || a.tag.localeCompare(b.tag);
    if (a.own?.date !== undefined && b.own?.date !== undefined) return b.own.date.localeCompare(a.own.date);
    if (ordered(a.own) !== ordered(b.own)) return ordered(a.own) ? -1 : 1;
    return b.tag.localeCompare(a.tag);
  });
  return rows.map((r) => ({
    tag: r.tag,
    sameScheme: r.same,
    ...(r.own?.date === undefined ? {} : { date: r.own.date }),
  }));
}
