/**
 * The rules for the keys users' saved choices are made of: menu (option) keys, choice keys and profile slugs.
 * KubeSpawner keeps them verbatim in `user_options` (`{"profile": slug, "<option key>": "<choice key>"}`), so they
 * are data, never file names: letters of either case, digits, `_`, `.` and `-` are all kept as written
 * (`resource_allocation`, `mem_2_gb`, `02-R`). Only what breaks KubeSpawner's spawn form is refused
 * (research/kubespawner.md §3.2, form.html of KubeSpawner 7.1):
 * - the form names a menu `profile-option-{slug}--{key}` and its script finds the key again with
 *   `name.split('--').pop()`, so no key or slug may hold `--`, and a slug may not end in `-` (`a-` + `--` + `key`
 *   reads back as `-key`);
 * - `unlisted-choice` is the value of the "Other..." entry;
 * - keys and slugs go unescaped into `name`, `id`, `for` and `value` attributes and into a jQuery selector, so
 *   nothing but the characters above (no spaces, quotes, `<`, `&`, …).
 */

/** A menu or choice key as KubeSpawner's form can carry it. JSON Schema (ECMAScript) syntax. */
export const KEY_PATTERN = '^(?!unlisted-choice$)(?!.*--)[A-Za-z0-9_.-]+$';

/** A profile slug as KubeSpawner's form can carry it (a key that also does not end in `-`). */
export const PROFILE_SLUG_PATTERN = '^(?!unlisted-choice$)(?!.*--)(?!.*-$)[A-Za-z0-9_.-]+$';

/** The sentinel value of KubeSpawner's "Other..." entry. */
export const RESERVED_KEY = 'unlisted-choice';

/** What kind of key is being checked, for the wording of problems. */
export type KeyKind = 'slug' | 'option' | 'choice';

/** Why a key cannot be used, and what to do instead. */
export interface KeyProblem {
  code: 'InvalidKey' | 'ReservedKey';
  /** Completes "… is not usable: ". */
  reason: string;
  hint: string;
}

const KEY = new RegExp(KEY_PATTERN);
const PROFILE_SLUG = new RegExp(PROFILE_SLUG_PATTERN);

/** True when KubeSpawner's form can carry this text as a key of the given kind, verbatim. */
export function isValidKey(text: string, kind: KeyKind): boolean {
  return (kind === 'slug' ? PROFILE_SLUG : KEY).test(text);
}

/** Why a text cannot be a key of this kind, or undefined when it can. */
export function keyProblem(text: unknown, kind: KeyKind): KeyProblem | undefined {
  if (typeof text !== 'string') return undefined;
  if (isValidKey(text, kind)) return undefined;
  const keep = 'letters (either case), digits, "_", "." and "-" are all fine, e.g. "mem_2_gb"';
  const saved =
    kind === 'slug'
      ? "users' saved choices name the slug, so pick one you will keep"
      : "users' saved choices name the key, so pick one you will keep";
  if (text === '') {
    return { code: 'InvalidKey', reason: 'it is empty', hint: `type a ${noun(kind)}: ${keep}.` };
  }
  if (text === RESERVED_KEY) {
    return {
      code: 'ReservedKey',
      reason: `"${RESERVED_KEY}" is reserved by KubeSpawner for the "Other..." entry`,
      hint: `pick another ${noun(kind)}.`,
    };
  }
  if (/\s/.test(text)) {
    return {
      code: 'InvalidKey',
      reason: 'it contains whitespace, which breaks the field names of the spawn form',
      hint: `remove the spaces: ${keep}; ${saved}.`,
    };
  }
  if (text.includes('--')) {
    return {
      code: 'InvalidKey',
      reason:
        'it contains "--", which the spawn form uses to separate the profile slug from the menu key (profile-option-<slug>--<key>)',
      hint: `use a single "-" (or "_"); ${saved}.`,
    };
  }
  const unsafe = [...new Set(text.replace(/[A-Za-z0-9_.-]/g, ''))];
  if (unsafe.length > 0) {
    return {
      code: 'InvalidKey',
      reason: `it contains ${unsafe.map((c) => JSON.stringify(c)).join(', ')}, which KubeSpawner puts unescaped into HTML names and ids`,
      hint: `use only letters, digits, "_", "." and "-"; ${saved}.`,
    };
  }
  return {
    code: 'InvalidKey',
    reason:
      'a slug ending in "-" runs into the "--" after it in the spawn form\'s field names, so saved choices would not be pre-selected',
    hint: `drop the trailing "-"; ${saved}.`,
  };
}

function noun(kind: KeyKind): string {
  return kind === 'slug' ? 'slug' : kind === 'option' ? 'menu key' : 'choice key';
}
