import { HUB_SCOPES } from '../lib/hub-scopes.ts';
import type { HubUserModel } from '../lib/usage.ts';

/** How to reach JupyterHub's REST API (`JUPYTERHUB_API_URL`, `JUPYTERHUB_API_TOKEN`). */
export interface HubClientOptions {
  apiUrl: string;
  token: string;
  fetch?: typeof fetch;
  /** Per-request timeout (default 30 s: a hub lists its first pages slowly after a restart). */
  timeoutMs?: number;
  /** Items asked for per page; the hub caps it (`api_page_max_limit`, 200 by default). */
  pageSize?: number;
  /** Pages fetched at once once the total is known (default 4). */
  concurrency?: number;
}

/** The hub did not answer usefully; `message` says what happened and what to check. */
export class HubApiError extends Error {
  readonly status: number | undefined;
  constructor(message: string, status?: number) {
    super(message);
    this.name = 'HubApiError';
    this.status = status;
  }
}

interface Page<T> {
  items: T[];
  total: number;
  limit: number;
}

/** JupyterHub 2.0+ answers list endpoints with `{items, _pagination}` when asked with this media type. */
const PAGINATION = 'application/jupyterhub-pagination+json';

/**
 * A small client for the parts of JupyterHub's REST API the configurator reads: every user with their servers'
 * saved `user_options` (stopped servers included; scopes `list:users`, `read:servers`), and the group names
 * (`list:groups`). Lists are read page by page (`offset`/`limit`); after the first page gives the total, the
 * remaining pages are fetched a few at a time.
 */
export function createHubClient(options: HubClientOptions) {
  const fetchImpl = options.fetch ?? fetch;
  const apiUrl = options.apiUrl.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 30_000;
  const pageSize = options.pageSize ?? 200;
  const concurrency = Math.max(1, options.concurrency ?? 4);

  async function getPage<T>(path: string, params: Record<string, string>, offset: number): Promise<Page<T>> {
    const query = new URLSearchParams({ ...params, offset: String(offset), limit: String(pageSize) });
    const url = `${apiUrl}${path}?${query.toString()}`;
    let response: Response;
    try {
      response = await fetchImpl(url, {
        headers: { Authorization: `token ${options.token}`, Accept: PAGINATION },
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (problem) {
      throw new HubApiError(`The hub API at ${apiUrl} did not answer (${describe(problem)}).`);
    }
    if (!response.ok) {
      const body = await response.text().catch(() => '');
      const reason = /"message"\s*:\s*"([^"]*)"/.exec(body)?.[1] ?? response.statusText;
      throw new HubApiError(
        `The hub answered ${response.status} to GET ${path}${reason ? ` (${reason})` : ''}${
          response.status === 403 ? `: the token lacks a scope (${scopesFor(path)})` : ''
        }.`,
        response.status,
      );
    }
    let body: unknown;
    try {
      body = await response.json();
    } catch (problem) {
      throw new HubApiError(`The hub's answer to GET ${path} is not JSON (${describe(problem)}).`);
    }
    // A hub older than 2.0 ignores the media type and sends every item in a plain list.
    if (Array.isArray(body)) return { items: body as T[], total: offset + body.length, limit: Infinity };
    const page = body as { items?: unknown; _pagination?: { total?: unknown; limit?: unknown } };
    if (!Array.isArray(page.items)) throw new HubApiError(`The hub's answer to GET ${path} has no items.`);
    const total = Number(page._pagination?.total ?? offset + page.items.length);
    const limit = Number(page._pagination?.limit ?? page.items.length);
    return { items: page.items as T[], total, limit: limit > 0 ? limit : pageSize };
  }

  async function getAll<T>(path: string, params: Record<string, string> = {}): Promise<T[]> {
    const first = await getPage<T>(path, params, 0);
    const items = [...first.items];
    if (!Number.isFinite(first.limit) || first.items.length >= first.total) return items;
    const offsets: number[] = [];
    for (let offset = first.items.length; offset < first.total; offset += first.limit) offsets.push(offset);
    const pages: T[][] = new Array<T[]>(offsets.length);
    let next = 0;
    const worker = async () => {
      while (next < offsets.length) {
        const index = next++;
        pages[index] = (await getPage<T>(path, params, offsets[index]!)).items;
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, offsets.length) }, worker));
    for (const page of pages) items.push(...page);
    return items;
  }

  return {
    apiUrl,
    /** Every user with every server (running or stopped) and its saved `user_options`. */
    listUsers(): Promise<HubUserModel[]> {
      return getAll<HubUserModel>('/users', { include_stopped_servers: '1' });
    },
    /** The names of the hub's groups. */
    async listGroups(): Promise<string[]> {
      const groups = await getAll<{ name?: unknown }>('/groups');
      return groups.map((g) => g.name).filter((name): name is string => typeof name === 'string');
    },
  };
}

/** The hub API client, as the CLI and the server use it. */
export type HubClient = ReturnType<typeof createHubClient>;

function scopesFor(path: string): string {
  return (path === '/groups' ? HUB_SCOPES.groups : HUB_SCOPES.usage).join(', ');
}

function describe(problem: unknown): string {
  if (problem instanceof Error) {
    if (problem.name === 'TimeoutError') return 'timed out';
    const cause = (problem as { cause?: { code?: string; message?: string } }).cause;
    return cause?.code ?? cause?.message ?? problem.message;
  }
  return String(problem);
}
