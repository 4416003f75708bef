import { authorizedGet } from './authorized-get.ts';
import type { RegistryConnection } from './connection.ts';
import type { HttpContext } from './http.ts';
import type { TokenCache } from './tokens.ts';
import type { ImageCheckStatus } from './types.ts';

/** A repository's tags, or why they could not be listed (the statuses of image checks). */
export type TagList =
  | { ok: true; repository: string; tags: string[]; pages: number; listedAt: number; cached?: true }
  | {
      ok: false;
      repository: string;
      status: Exclude<ImageCheckStatus, 'exists' | 'invalid'>;
      message: string;
      retryAfterSeconds?: number;
      listedAt: number;
      cached?: true;
    };

/** Tags asked for per page (`n=`); registries may answer with fewer and a `Link` to the next page. */
export const DEFAULT_PAGE_SIZE = 1000;
/** A repository with more pages than this is cut off (and says so), rather than listed forever. */
const MAX_PAGES = 200;

/**
 * Lists a repository's tags: `GET /v2/<repository>/tags/list?n=<pageSize>`, then each `Link: <…>; rel="next"`
 * page, all with the image check's authentication. `domainAndRepository` names it in messages.
 */
export async function listTags(
  connection: RegistryConnection,
  repository: string,
  context: HttpContext,
  tokens: TokenCache,
  pageSize = DEFAULT_PAGE_SIZE,
): Promise<TagList> {
  const name = `${connection.domain}/${repository}`;
  const what = `the tags of ${name}`;
  const tags: string[] = [];
  let next: ((origin: string) => URL) | undefined = (origin) =>
    new URL(`/v2/${repository}/tags/list?n=${pageSize}`, origin);
  let pages = 0;
  while (next !== undefined) {
    if (pages >= MAX_PAGES) {
      return fail(
        `${name} has more than ${MAX_PAGES} pages of tags; listing stopped there`,
        'could-not-check',
      );
    }
    const page = await authorizedGet(connection, context, tokens, repository, next, what);
    if (!page.ok) {
      return {
        ok: false,
        repository: name,
        status: page.status,
        message: page.message,
        listedAt: context.clock.now(),
        ...(page.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: page.retryAfterSeconds }),
      };
    }
    pages++;
    const link = nextLink(page.response.headers.get('link'));
    const url = page.response.url;
    let body: { tags?: unknown };
    try {
      body = (await page.response.json()) as { tags?: unknown };
    } catch {
      return fail(
        `${connection.domain} answered the tags list of ${repository} with something that is not JSON`,
      );
    }
    // A repository without tags answers `"tags": null`.
    if (body.tags !== null && body.tags !== undefined && !Array.isArray(body.tags)) {
      return fail(`${connection.domain} answered the tags list of ${repository} without a list of tags`);
    }
    for (const tag of (body.tags as unknown[] | null | undefined) ?? [])
      if (typeof tag === 'string') tags.push(tag);
    next = link === undefined ? undefined : (origin) => new URL(link, url === '' ? origin : url);
  }
  return { ok: true, repository: name, tags: [...new Set(tags)], pages, listedAt: context.clock.now() };

  function fail(message: string, status: 'could-not-check' = 'could-not-check'): TagList {
    return { ok: false, repository: name, status, message: `${message}.`, listedAt: context.clock.now() };
  }
}

/** The target of the `rel="next"` link of a `Link` header (RFC 8288), if any. */
export function nextLink(header: string | null): string | undefined {
  if (header === null) return undefined;
  for (const part of header.split(/,(?=\s*<)/)) {
    const match = /^\s*<([^>]*)>(.*)$/.exec(part);
    if (match && /;\s*rel\s*=\s*"?(?:[^";]*\s)?next(?:\s[^";]*)?"?\s*(?:;|$)/i.test(match[2] ?? ''))
      return match[1];
  }
  return undefined;
}
