import { SLUG_PATTERN } from '../schema/common.ts';

const SLUG = new RegExp(SLUG_PATTERN);
const MAX_KEY_LENGTH = 63;

/** True when a text may be an id, option key or choice key as it is. */
export function isSlug(text: string): boolean {
  return SLUG.test(text) && text.length <= MAX_KEY_LENGTH;
}

/**
 * The key content uses for a source key that is not a valid slug, deterministically: lower case, `_` and every
 * other run of characters outside [a-z0-9] become one dash, no dash at either end, at most 63 characters.
 * `mem_7_gb` → `mem-7-gb`, `02-R` → `02-r`. Empty when nothing is left.
 */
export function toSlug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, MAX_KEY_LENGTH)
    .replace(/-+$/, '');
}

/**
 * The slug KubeSpawner derives from a display name when a profile has none (python-slugify with default
 * arguments, research/kubespawner.md §1.4): quotes and every run of characters outside [a-z0-9] become one dash,
 * commas between digits vanish, accents are stripped. Approximation: python-slugify transliterates other
 * non-ASCII text with unidecode; this drops it.
 */
export function pythonSlugify(text: string): string {
  return text
    .replace(/'+/g, '-')
    .normalize('NFKD')
    .replace(
      /&(amp|lt|gt|quot);/g,
      (_m, name: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"' })[name] ?? '',
    )
    .replace(/&#(\d+);/g, (_m, code: string) => String.fromCodePoint(Number(code)))
    .replace(/[^\p{ASCII}]/gu, '')
    .toLowerCase()
    .replace(/(?<=\d),(?=\d)/g, '')
    .replace(/[^-a-z0-9]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** `base`, or `base-2`, `base-3`, … : the first one not in `taken` (which it is then added to). */
export function claimUnique(base: string, taken: Set<string>): string {
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base.slice(0, MAX_KEY_LENGTH - String(n).length - 1)}-${n}`;
  taken.add(id);
  return id;
}

/** Python's truthiness, which is how KubeSpawner reads `default` and `enabled` (`"false"` is true). */
export function isTruthy(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  if (value !== null && typeof value === 'object') return Object.keys(value).length > 0;
  return Boolean(value);
}
