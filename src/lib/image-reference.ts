/**
 * Container image references (`[domain/]path[:tag][@digest]`), parsed with the grammar of Docker's
 * distribution/reference package (and the OCI digest grammar). The parser is a hand-written linear scanner
 * (no backtracking regular expressions), so arbitrarily long input is answered in linear time. It uses no
 * Node APIs and runs in the browser as well.
 */

/** A syntactically valid image reference, split into its parts exactly as written. */
export interface ImageReference {
  /** Registry host[:port] as written, or undefined when the reference has no domain part (Docker Hub short name). */
  domain?: string;
  /** Repository path, e.g. "jupyter/scipy-notebook" (no domain). */
  path: string;
  /** Tag as written after the last `:` of the name, e.g. "2024-03-18". */
  tag?: string;
  /** "sha256:<64 hex>" etc. */
  digest?: string;
}

/** Why a string is not a valid image reference: a stable code, what is wrong, and what to do about it. */
export interface ImageReferenceProblem {
  /** Stable problem code (`ImageMissingTag` is never produced by the parser; callers may use it). */
  code:
    | 'ImageEmpty'
    | 'ImageHasSpaces'
    | 'ImageUppercase'
    | 'ImageEmptyTag'
    | 'ImageBadTag'
    | 'ImageBadDigest'
    | 'ImageBadName'
    | 'ImageNameTooLong'
    | 'ImageMissingTag';
  /** What is wrong, quoting the reference (quoted input is cut to 80 characters + '…'). */
  message: string;
  /** What to do about it. */
  hint: string;
}

/** Outcome of {@link parseImageReference}: the parsed reference, or the first problem found. */
export type ImageReferenceResult =
  { ok: true; reference: ImageReference } | { ok: false; problem: ImageReferenceProblem };

/** Docker's NameTotalLengthMax: the longest (normalised) repository name, domain included. */
const NAME_TOTAL_LENGTH_MAX = 255;
/** Longest tag Docker accepts. */
const TAG_LENGTH_MAX = 128;
/** Longest part of the input quoted in messages. */
const QUOTE_LENGTH_MAX = 80;

const DEFAULT_DOMAIN = 'docker.io';
const LEGACY_DEFAULT_DOMAIN = 'index.docker.io';
const DOCKER_HUB_API_HOST = 'registry-1.docker.io';
const OFFICIAL_REPO_PREFIX = 'library/';

/** Hex lengths of the digest algorithms registries implement; any other algorithm only needs OCI syntax. */
const DIGEST_HEX_LENGTH: Record<string, number> = { sha256: 64, sha384: 96, sha512: 128 };

const EXAMPLE = 'quay.io/jupyter/scipy-notebook:2024-03-18';
const PATH_RULES =
  'Repository path components are lower-case letters and digits, separated by "/"; inside a component ' +
  'they may be joined by ".", "_", "__" or a run of "-", but a component must not start or end with one.';
const HOST_RULES =
  'A registry host is a DNS name or IP address (letters, digits and inner "-", parts joined by "."), ' +
  'an IPv6 address in brackets, optionally followed by ":" and a port number.';

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57; // 0-9
}
function isLower(c: number): boolean {
  return c >= 97 && c <= 122; // a-z
}
function isUpper(c: number): boolean {
  return c >= 65 && c <= 90; // A-Z
}
function isLowerAlnum(c: number): boolean {
  return isLower(c) || isDigit(c);
}
function isAlnum(c: number): boolean {
  return isLower(c) || isUpper(c) || isDigit(c);
}
/** Go's `\w`: ASCII letters, digits and `_`. */
function isWord(c: number): boolean {
  return isAlnum(c) || c === 95;
}
function isLowerHex(c: number): boolean {
  return isDigit(c) || (c >= 97 && c <= 102);
}
function isHex(c: number): boolean {
  return isLowerHex(c) || (c >= 65 && c <= 70);
}
function hasUpper(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (isUpper(s.charCodeAt(i))) return true;
  return false;
}
function every(s: string, test: (c: number) => boolean): boolean {
  for (let i = 0; i < s.length; i++) if (!test(s.charCodeAt(i))) return false;
  return true;
}

/** The input in double quotes (JSON escapes make control characters visible), cut to 80 characters. */
function quote(s: string): string {
  if (s.length <= QUOTE_LENGTH_MAX) return JSON.stringify(s);
  let cut = QUOTE_LENGTH_MAX;
  const last = s.charCodeAt(cut - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut--; // do not split a surrogate pair
  return JSON.stringify(`${s.slice(0, cut)}…`);
}

/** Describes a single character for messages, e.g. `"!"`. */
function describeChar(s: string, i: number): string {
  const cp = s.codePointAt(i) ?? 0;
  return JSON.stringify(String.fromCodePoint(cp));
}

function fail(code: ImageReferenceProblem['code'], message: string, hint: string): ImageReferenceResult {
  return { ok: false, problem: { code, message, hint } };
}

/** Checks one `/`-separated path component; returns what is wrong with it, or undefined when valid. */
function pathComponentError(component: string): string | undefined {
  if (component === '') return 'has an empty path component (check for "//" or a leading/trailing "/")';
  const first = component.charCodeAt(0);
  if (!isLowerAlnum(first)) {
    return isSeparator(first)
      ? `has a path component ${quote(component)} that starts with ${describeChar(component, 0)}`
      : `contains ${describeChar(component, 0)}, which is not allowed in a repository path`;
  }
  let separatorStart = -1; // index where the current run of separator characters began, -1 inside a word
  for (let i = 1; i < component.length; i++) {
    const c = component.charCodeAt(i);
    if (isLowerAlnum(c)) {
      if (separatorStart !== -1) {
        const separator = component.slice(separatorStart, i);
        if (!isValidSeparator(separator)) {
          return `has ${quote(separator)} in ${quote(component)}; only ".", "_", "__" or "-" runs may join path parts`;
        }
        separatorStart = -1;
      }
    } else if (isSeparator(c)) {
      if (separatorStart === -1) separatorStart = i;
    } else {
      return `contains ${describeChar(component, i)}, which is not allowed in a repository path`;
    }
  }
  if (separatorStart !== -1) {
    return `has a path component ${quote(component)} that ends with ${describeChar(component, component.length - 1)}`;
  }
  return undefined;
}

function isSeparator(c: number): boolean {
  return c === 46 || c === 95 || c === 45; // . _ -
}

function isValidSeparator(separator: string): boolean {
  if (separator === '.' || separator === '_' || separator === '__') return true;
  return every(separator, (c) => c === 45);
}

/** Checks `host[:port]`; returns what is wrong, or undefined when valid. */
function domainError(domain: string): string | undefined {
  let host: string;
  let port: string | undefined;
  if (domain.startsWith('[')) {
    const close = domain.indexOf(']');
    if (close === -1) return `has a registry host ${quote(domain)} with "[" but no closing "]"`;
    const address = domain.slice(1, close);
    if (address === '' || !every(address, (c) => isHex(c) || c === 58)) {
      return `has a registry host ${quote(domain)} that is not a valid bracketed IPv6 address`;
    }
    const rest = domain.slice(close + 1);
    if (rest !== '') {
      if (!rest.startsWith(':')) return `has unexpected text after "]" in the registry host ${quote(domain)}`;
      port = rest.slice(1);
    }
    host = domain.slice(0, close + 1);
  } else {
    const colon = domain.indexOf(':');
    host = colon === -1 ? domain : domain.slice(0, colon);
    if (colon !== -1) port = domain.slice(colon + 1);
    const parts = host.split('.');
    for (const part of parts) {
      if (part === '')
        return `has an empty part in the registry host ${quote(host)} (check the "." placement)`;
      for (let i = 0; i < part.length; i++) {
        const c = part.charCodeAt(i);
        if (!isAlnum(c) && c !== 45)
          return `has ${describeChar(part, i)} in the registry host ${quote(host)}`;
      }
      if (part.startsWith('-') || part.endsWith('-')) {
        return `has a registry host ${quote(host)} with a part that starts or ends with "-"`;
      }
    }
  }
  if (port !== undefined && (port === '' || !every(port, isDigit))) {
    return `has an invalid port ${quote(port)} after the registry host ${quote(host)}`;
  }
  return undefined;
}

/** Checks `algorithm:encoded`; returns what is wrong, or undefined when valid. */
function digestError(digest: string): string | undefined {
  const colon = digest.indexOf(':');
  if (colon === -1) return 'has a digest without ":" between algorithm and value';
  const algorithm = digest.slice(0, colon);
  const encoded = digest.slice(colon + 1);
  // algorithm := component ([+._-] component)*, component := [a-z0-9]+
  let afterSeparator = true;
  for (let i = 0; i < algorithm.length; i++) {
    const c = algorithm.charCodeAt(i);
    if (isLowerAlnum(c)) afterSeparator = false;
    else if (!afterSeparator && (c === 43 || c === 46 || c === 95 || c === 45)) afterSeparator = true;
    else return `has an invalid digest algorithm ${quote(algorithm)}`;
  }
  if (afterSeparator) return `has an invalid digest algorithm ${quote(algorithm)}`;
  const hexLength = DIGEST_HEX_LENGTH[algorithm];
  if (hexLength !== undefined) {
    if (encoded.length !== hexLength || !every(encoded, isLowerHex)) {
      return `has a ${algorithm} digest that is not exactly ${hexLength} lower-case hex characters`;
    }
  } else if (encoded === '' || !every(encoded, (c) => isAlnum(c) || c === 61 || c === 95 || c === 45)) {
    return `has an invalid ${algorithm} digest value`;
  }
  return undefined;
}

/** Length of the name as Docker checks it: normalised, i.e. with docker.io[/library] added for short names. */
function normalizedNameLength(domain: string | undefined, path: string): number {
  const normalized = normalizeImageReference(domain === undefined ? { path } : { domain, path });
  return normalized.domain.length + 1 + normalized.path.length;
}

/** Parses one reference exactly as written (no trimming: leading/trailing/inner whitespace is ImageHasSpaces). */
export function parseImageReference(input: string): ImageReferenceResult {
  const q = quote(input);
  if (input === '') {
    return fail(
      'ImageEmpty',
      'The image reference is empty.',
      `Write an image reference such as "${EXAMPLE}".`,
    );
  }
  if (/\s/.test(input)) {
    return fail(
      'ImageHasSpaces',
      `The image reference ${q} contains whitespace.`,
      'Remove the spaces, tabs or line breaks: image references never contain whitespace (also check the start and end).',
    );
  }

  // name[:tag] and digest are split at the first "@"; the tag follows the last ":" after the last "/".
  const at = input.indexOf('@');
  const nameAndTag = at === -1 ? input : input.slice(0, at);
  const digest = at === -1 ? undefined : input.slice(at + 1);
  const lastSlash = nameAndTag.lastIndexOf('/');
  const lastColon = nameAndTag.lastIndexOf(':');
  const hasTag = lastColon > lastSlash;
  const name = hasTag ? nameAndTag.slice(0, lastColon) : nameAndTag;
  const tag = hasTag ? nameAndTag.slice(lastColon + 1) : undefined;

  // Name: the first component is a registry domain only if it looks like one (Docker's rule).
  const badName = (what: string, hint: string): ImageReferenceResult =>
    fail('ImageBadName', `The image reference ${q} ${what}.`, hint);
  if (name === '') {
    return badName(
      'has no repository name',
      `Write the repository before the tag or digest, e.g. "${EXAMPLE}".`,
    );
  }
  const firstSlash = name.indexOf('/');
  let domain: string | undefined;
  let path = name;
  if (firstSlash !== -1) {
    const first = name.slice(0, firstSlash);
    if (first.includes('.') || first.includes(':') || first === 'localhost' || hasUpper(first)) {
      domain = first;
      path = name.slice(firstSlash + 1);
    }
  }
  if (domain !== undefined) {
    const error = domainError(domain);
    if (error !== undefined) return badName(error, HOST_RULES);
  }
  if (hasUpper(path)) {
    const fixed = `${domain === undefined ? '' : `${domain}/`}${path.toLowerCase()}`;
    return fail(
      'ImageUppercase',
      `The repository name in ${q} contains upper-case letters.`,
      `Repository names must be lower-case: write ${quote(fixed)} (tags may keep their case).`,
    );
  }
  for (const component of path.split('/')) {
    const error = pathComponentError(component);
    if (error !== undefined) return badName(error, PATH_RULES);
  }
  if (domain === undefined && path.length === 64 && every(path, isLowerHex)) {
    return badName(
      'is a 64-character hexadecimal string, which Docker reads as an image ID',
      'Use a repository name (with a tag or digest), not an image ID.',
    );
  }
  const nameLength = normalizedNameLength(domain, path);
  if (nameLength > NAME_TOTAL_LENGTH_MAX) {
    return fail(
      'ImageNameTooLong',
      `The repository name in ${q} is ${nameLength} characters long (with the registry), more than ${NAME_TOTAL_LENGTH_MAX}.`,
      `Shorten the registry and repository name to at most ${NAME_TOTAL_LENGTH_MAX} characters in total.`,
    );
  }

  if (tag !== undefined) {
    if (tag === '') {
      return fail(
        'ImageEmptyTag',
        `The image reference ${q} ends its name with ":" but has no tag after it.`,
        'Write the tag after ":" (e.g. ":2024-03-18"), or remove the ":".',
      );
    }
    if (
      tag.length > TAG_LENGTH_MAX ||
      !isWord(tag.charCodeAt(0)) ||
      !every(tag, (c) => isWord(c) || c === 46 || c === 45)
    ) {
      return fail(
        'ImageBadTag',
        `The tag ${quote(tag)} in ${q} is not a valid tag.`,
        `A tag is 1 to ${TAG_LENGTH_MAX} letters, digits, "_", "." and "-", and must not start with "." or "-".`,
      );
    }
  }

  if (digest !== undefined) {
    const error = digestError(digest);
    if (error !== undefined) {
      return fail(
        'ImageBadDigest',
        `The image reference ${q} ${error}.`,
        'A digest is written "@sha256:" followed by 64 lower-case hex characters (or "@sha512:" and 128); copy it from the registry.',
      );
    }
  }

  const reference: ImageReference = { path };
  if (domain !== undefined) reference.domain = domain;
  if (tag !== undefined) reference.tag = tag;
  if (digest !== undefined) reference.digest = digest;
  return { ok: true, reference };
}

/** Formats a parsed reference back to text (domain/path[:tag][@digest]). */
export function formatImageReference(ref: ImageReference): string {
  let text = ref.domain === undefined ? ref.path : `${ref.domain}/${ref.path}`;
  if (ref.tag !== undefined) text += `:${ref.tag}`;
  if (ref.digest !== undefined) text += `@${ref.digest}`;
  return text;
}

/** Docker's normalisation: no domain → docker.io; docker.io single-component path → library/<path>; "index.docker.io" → docker.io. Returns a new object. */
export function normalizeImageReference(ref: ImageReference): ImageReference & { domain: string } {
  const domain =
    ref.domain === undefined || ref.domain === LEGACY_DEFAULT_DOMAIN ? DEFAULT_DOMAIN : ref.domain;
  const path =
    domain === DEFAULT_DOMAIN && !ref.path.includes('/') ? OFFICIAL_REPO_PREFIX + ref.path : ref.path;
  const normalized: ImageReference & { domain: string } = { domain, path };
  if (ref.tag !== undefined) normalized.tag = ref.tag;
  if (ref.digest !== undefined) normalized.digest = ref.digest;
  return normalized;
}

/** The host to call for the registry API: docker.io → registry-1.docker.io, others unchanged. */
export function registryApiHost(domain: string): string {
  return domain === DEFAULT_DOMAIN ? DOCKER_HUB_API_HOST : domain;
}

/** The tag or digest to ask the registry for: the digest wins over the tag; no tag and no digest → "latest". */
export function manifestReference(ref: ImageReference): string {
  return ref.digest ?? ref.tag ?? 'latest';
}
