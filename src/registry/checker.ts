import { checkManifest, mayFollowRealm } from './check-manifest.ts';
import { createConnection, discover, mayReceiveCredentials, type RegistryConnection } from './connection.ts';
import type { HttpContext } from './http.ts';
import { createNodeFetch } from './node-fetch.ts';
import { createFileCache, createMemoryCache, type ResultCache } from './result-cache.ts';
import { DEFAULT_REGISTRY_SETTINGS, type RegistrySettings } from './settings.ts';
import { resolveTarget } from './target.ts';
import { imageCreated, type ImageCreated } from './image-created.ts';
import { listTags, type TagList } from './tags.ts';
import { createTokenCache, type TokenCache } from './tokens.ts';
import { systemClock, type Clock, type Fetch, type ImageCheckResult } from './types.ts';

/** Everything a checker can be given; all optional. */
export interface ImageCheckerOptions {
  /** From {@link readRegistrySettings}; missing fields take the defaults. */
  settings?: Partial<RegistrySettings>;
  /** The HTTP transport; default: node:http(s) with keep-alive ({@link createNodeFetch}). */
  fetch?: Fetch;
  clock?: Clock;
  /** The result cache; default: a file cache when `settings.cacheFile` is set, else in memory. `false`: none. */
  cache?: ResultCache | false;
  /** Token cache to share between checkers; default: a new one. */
  tokens?: TokenCache;
  /** 429 retries per request (default 3) and the longest wait for one (default 30 s). */
  maxRetries?: number;
  maxRetryWaitMs?: number;
}

/** Called after each reference of {@link ImageChecker.checkMany} is answered. */
export type ProgressListener = (done: number, total: number, result: ImageCheckResult) => void;

/** Checks image references against their registries; keeps connections, tokens and results between calls. */
export interface ImageChecker {
  /** Checks one reference (a cached result when fresh, unless `refresh`); writes the result cache. */
  check(reference: string, options?: { refresh?: boolean }): Promise<ImageCheckResult>;
  /** Checks many references at once (each distinct one once), bounded per registry; results by reference as given. */
  checkMany(
    references: Iterable<string>,
    onProgress?: ProgressListener,
    options?: { refresh?: boolean },
  ): Promise<Map<string, ImageCheckResult>>;
  /**
   * Lists the tags of a reference's repository (all pages), reusing a list younger than the tags TTL unless
   * `refresh`; concurrent calls for one repository share one listing.
   */
  listTags(reference: string, options?: { refresh?: boolean }): Promise<TagList>;
  /**
   * Before listing the tags of many repositories: one token request per registry for up to 25 repositories'
   * pull scopes, instead of one each. Optional; failures are left to the requests themselves.
   */
  prefetchTokens(references: Iterable<string>): Promise<void>;
  /** When the image a tag names was built (its config's `created`); answers are kept for the checker's life. */
  created(reference: string): Promise<ImageCreated>;
  /** Writes the result cache (check and checkMany do it themselves). */
  flush(): Promise<void>;
  /** HTTP requests sent so far (registries and token services), for tests and benchmarks. */
  readonly requests: number;
  readonly tokens: TokenCache;
  /** Closes kept-alive connections (a server shutting down); a checker still works after it. */
  close(): void;
}

const USER_AGENT = 'z2jh-configurator (image check)';

/** Creates a checker. The sidecar server keeps one for its lifetime; the CLI one per run. */
export function createImageChecker(options: ImageCheckerOptions = {}): ImageChecker {
  const settings: RegistrySettings = { ...DEFAULT_REGISTRY_SETTINGS, ...options.settings };
  const clock = options.clock ?? systemClock;
  const transport = options.fetch ? undefined : createNodeFetch();
  const baseFetch = options.fetch ?? (transport as NonNullable<typeof transport>).fetch;
  let requests = 0;
  const context: HttpContext = {
    fetch: (input, init) => {
      requests++;
      return baseFetch(input, init);
    },
    clock,
    timeoutMs: settings.timeoutMs,
    maxRetries: options.maxRetries ?? 3,
    maxRetryWaitMs: options.maxRetryWaitMs ?? 30_000,
    insecureRegistries: settings.insecureRegistries,
    userAgent: USER_AGENT,
  };
  const cache =
    options.cache === false
      ? createMemoryCache(0)
      : (options.cache ??
        (settings.cacheFile === undefined
          ? createMemoryCache(settings.cacheTtlMs)
          : createFileCache(settings.cacheFile, settings.cacheTtlMs, clock)));
  const tokens = options.tokens ?? createTokenCache();
  const connections = new Map<string, RegistryConnection>();
  const inflight = new Map<string, Promise<ImageCheckResult>>();
  const tagLists = new Map<string, { running: Promise<TagList>; value?: TagList }>();
  const createdTimes = new Map<string, Promise<ImageCreated>>();

  const connectionFor = (domain: string, apiHost: string): RegistryConnection => {
    let connection = connections.get(domain);
    if (!connection) {
      const credentials = settings.credentials[domain];
      connection = createConnection(domain, apiHost, {
        insecureRegistries: settings.insecureRegistries,
        concurrency: settings.concurrency,
        ...(credentials ? { credentials } : {}),
      });
      connections.set(domain, connection);
    }
    return connection;
  };

  const checkOne = async (reference: string, refresh: boolean): Promise<ImageCheckResult> => {
    const resolved = resolveTarget(reference);
    if (!resolved.ok) {
      return {
        reference,
        status: 'invalid',
        message: `${resolved.problem.message} ${resolved.problem.hint}`,
        checkedAt: clock.now(),
      };
    }
    const { target } = resolved;
    const own = (result: ImageCheckResult): ImageCheckResult => ({
      ...result,
      reference,
      canonical: target.canonical,
    });
    if (!refresh) {
      const cached = await cache.get(target.key, clock.now());
      if (cached) return { ...own(cached), cached: true };
    }
    let running = inflight.get(target.key);
    if (!running) {
      const connection = connectionFor(target.domain, target.apiHost);
      running = connection.limiter
        .run(() => checkManifest(connection, target, context, tokens))
        .catch((problem: unknown): ImageCheckResult => ({
          reference,
          status: 'could-not-check',
          message: `Checking ${target.canonical} failed unexpectedly: ${String(problem)}.`,
          checkedAt: clock.now(),
        }))
        .then((result) => {
          cache.set(target.key, result);
          return result;
        })
        .finally(() => inflight.delete(target.key));
      inflight.set(target.key, running);
    }
    return own(await running);
  };

  const listTagsOf = async (reference: string, refresh: boolean): Promise<TagList> => {
    const resolved = resolveTarget(reference);
    if (!resolved.ok) {
      return {
        ok: false,
        repository: reference,
        status: 'could-not-check',
        message: `${resolved.problem.message} ${resolved.problem.hint}`,
        listedAt: clock.now(),
      };
    }
    const { target } = resolved;
    const key = `${target.domain}/${target.repository}`;
    const known = tagLists.get(key);
    if (known && (known.value === undefined || (!refresh && isFresh(known.value)))) {
      // A listing still running is shared; a finished one is reused while fresh (failures never are).
      const list = await known.running;
      return known.value === undefined ? list : { ...list, cached: true };
    }
    const connection = connectionFor(target.domain, target.apiHost);
    const entry: { running: Promise<TagList>; value?: TagList } = {
      running: connection.limiter
        .run(() => listTags(connection, target.repository, context, tokens, settings.tagsPageSize))
        .catch((problem: unknown): TagList => ({
          ok: false,
          repository: key,
          status: 'could-not-check',
          message: `Listing the tags of ${key} failed unexpectedly: ${String(problem)}.`,
          listedAt: clock.now(),
        }))
        .then((list) => (entry.value = list)),
    };
    tagLists.set(key, entry);
    return entry.running;
  };
  const isFresh = (list: TagList): boolean => list.ok && clock.now() - list.listedAt < settings.tagsTtlMs;

  const createdOf = (reference: string): Promise<ImageCreated> => {
    const resolved = resolveTarget(reference);
    if (!resolved.ok) return Promise.resolve({ ok: false, message: resolved.problem.message });
    const { target } = resolved;
    let known = createdTimes.get(target.key);
    if (!known) {
      const connection = connectionFor(target.domain, target.apiHost);
      known = connection.limiter.run(() =>
        imageCreated(connection, target.repository, target.reference, context, tokens),
      );
      createdTimes.set(target.key, known);
    }
    return known;
  };

  const prefetchTokens = async (references: Iterable<string>): Promise<void> => {
    const byRegistry = new Map<RegistryConnection, Set<string>>();
    for (const reference of references) {
      const resolved = resolveTarget(reference);
      if (!resolved.ok) continue;
      const connection = connectionFor(resolved.target.domain, resolved.target.apiHost);
      const scopes = byRegistry.get(connection) ?? new Set<string>();
      scopes.add(`repository:${resolved.target.repository}:pull`);
      byRegistry.set(connection, scopes);
    }
    await Promise.all(
      [...byRegistry].map(async ([connection, scopes]) => {
        if (scopes.size < 2) return;
        const discovery = await discover(connection, context);
        const challenge = discovery.ok ? discovery.challenge : undefined;
        if (challenge?.scheme !== 'bearer' || !mayFollowRealm(challenge.params['realm'] ?? '', connection))
          return;
        const credentials =
          connection.credentials !== undefined &&
          mayReceiveCredentials(challenge.params['realm'] ?? '', connection.apiHost)
            ? connection.credentials
            : undefined;
        await tokens.prefetch(challenge, [...scopes], credentials, context, connection.gate).catch(() => {});
      }),
    );
  };

  return {
    prefetchTokens,
    listTags: (reference, listOptions = {}) => listTagsOf(reference, listOptions.refresh === true),
    created: createdOf,
    get requests() {
      return requests;
    },
    tokens,
    async check(reference, checkOptions = {}) {
      const result = await checkOne(reference, checkOptions.refresh === true);
      await cache.flush();
      return result;
    },
    async checkMany(references, onProgress, checkOptions = {}) {
      const distinct = [...new Set(references)];
      const results = new Map<string, ImageCheckResult>();
      let done = 0;
      await Promise.all(
        distinct.map(async (reference) => {
          const result = await checkOne(reference, checkOptions.refresh === true);
          results.set(reference, result);
          onProgress?.(++done, distinct.length, result);
        }),
      );
      await cache.flush();
      return new Map(distinct.map((reference) => [reference, results.get(reference) as ImageCheckResult]));
    },
    flush: () => cache.flush(),
    close: () => transport?.close(),
  };
}
