/** What a check of one image reference found out. */
export type ImageCheckStatus =
  /** The registry has a manifest for the reference (its digest is known). */
  | 'exists'
  /** The registry answered 404: the tag, digest or repository does not exist. */
  | 'not-found'
  /** Anonymous (or the configured) access is refused: the image is private, or does not exist (registries hide which). */
  | 'private-or-missing'
  /** The registry wants a user name and password that are not configured, or refused the configured ones. */
  | 'needs-credentials'
  /** The registry answered 429 Too Many Requests, also after waiting as it asked. */
  | 'rate-limited'
  /** Network error, timeout, TLS failure, 5xx or an unexpected answer. */
  | 'could-not-check'
  /** The text is not an image reference; no request was made. */
  | 'invalid';

/** The outcome of checking one image reference: data for the CLI, the build, the server and the CMS. */
export interface ImageCheckResult {
  /** The reference as given to the checker. */
  reference: string;
  /** The normalised reference, e.g. `docker.io/library/ubuntu:22.04` (absent when invalid). */
  canonical?: string;
  status: ImageCheckStatus;
  /** The manifest digest the reference resolves to (`sha256:…`), when it exists. */
  digest?: string;
  /** The manifest media type (an index/list or a single image manifest), when it exists. */
  mediaType?: string;
  /** What happened, in one or two sentences naming the registry and its answer. */
  message: string;
  /** Seconds the registry asked to wait before trying again (rate-limited only). */
  retryAfterSeconds?: number;
  /** When the registry was asked, in milliseconds since the epoch. */
  checkedAt: number;
  /** True when the result was served from the result cache. */
  cached?: true;
}

/** Time, injectable so tests can move it. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves after `ms` milliseconds. */
  sleep(ms: number): Promise<void>;
}

/** The real clock. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** The `fetch` the checker uses (Node's global one unless injected). */
export type Fetch = typeof fetch;

/** A user name and password (or token) for one registry. */
export interface Credentials {
  username: string;
  password: string;
}

/** True for the statuses that say nothing about whether the image exists. */
export function isInconclusive(status: ImageCheckStatus): boolean {
  return status !== 'exists' && status !== 'not-found' && status !== 'invalid';
}
