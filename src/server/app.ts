import { compareTrees } from '../lib/cms/check-change.ts';
import type { ValidateOptions } from '../lib/validate.ts';
import { isSameOriginWrite, type HubAuth, type SessionUser } from './auth.ts';
import type { ServerConfig } from './config.ts';
import { ApiError, createContentApi, createWriteQueue } from './content-api.ts';
import type { GitStore } from './git-store.ts';
import { readHistory, renderHistoryPage } from './history.ts';
import type { HubFacts } from './hub-facts.ts';
import { withUsageCounts, type UsageSnapshots } from './usage-snapshots.ts';
import type { LiveContent } from './live.ts';
import type { Author } from './store.ts';

/** The parts the server's routes are made of. */
export interface AppParts {
  config: ServerConfig;
  store: GitStore;
  live: LiveContent;
  auth?: HubAuth;
  validate: ValidateOptions;
  beforeWrite?: Parameters<typeof createContentApi>[0]['beforeWrite'];
  /** Checks one image reference in its registry (cached), for the editor's image preview. */
  checkImage?: (reference: string) => Promise<unknown>;
  /** Usage counts and group names from the hub (`api/usage`, `api/groups`). */
  hubFacts?: HubFacts;
  /** Usage counts recorded when each change was published, for the history. */
  usageSnapshots?: UsageSnapshots;
}

const LOCAL_USER: SessionUser = { name: 'local-admin', admin: true, groups: [] };

/**
 * The server's own routes, as `(Request) => Response | undefined` (undefined: not ours, try the static files).
 * Public: the outputs and the health check. Everything else needs a hub admin (or a configured group) in hub
 * mode, and state-changing calls must come from this site's own pages.
 */
export function createApp(parts: AppParts) {
  const { config, store, live, auth } = parts;
  const base = config.base;
  const authorOf = (request: Request): Author => {
    const user = userOf(request) ?? LOCAL_USER;
    return { name: user.name, email: `${user.name}@jupyterhub` };
  };
  const queue = createWriteQueue();
  const api = createContentApi({
    store,
    queue,
    ...(config.workflow ? { workflow: store } : {}),
    validate: parts.validate,
    authorOf,
    ...(parts.beforeWrite ? { beforeWrite: parts.beforeWrite } : {}),
  });
  const userOf = (request: Request): SessionUser | undefined => (auth ? auth.userOf(request) : LOCAL_USER);

  const guard = (request: Request, wantsHtml: boolean): Response | undefined => {
    if (!auth) return undefined;
    const user = auth.userOf(request);
    if (!user)
      return wantsHtml
        ? auth.startLogin(request)
        : json(401, { error: 'Not logged in: open the editor from the hub first.' });
    if (!auth.mayEdit(user)) return json(403, { error: `${user.name} may not edit the hub's profiles.` });
    return undefined;
  };
  const guardWrite = (request: Request): Response | undefined =>
    isSameOriginWrite(request)
      ? undefined
      : json(403, { error: 'Refused: changes must come from the editor on this site (same-origin JSON).' });

  return async (request: Request): Promise<Response | undefined> => {
    const url = new URL(request.url);
    if (!url.pathname.startsWith(base)) return undefined;
    const route = url.pathname.slice(base.length);
    switch (route) {
      case 'healthz': {
        const current = live.current();
        return json(current ? 200 : 503, { status: current ? 'ok' : 'no valid content', ...live.status() });
      }
      case 'oauth_callback':
        return auth ? auth.finishLogin(request) : undefined;
      case 'logout':
        return auth ? auth.logout(request) : Response.redirect(`${url.origin}${base}`, 302);
      case 'api/status':
        return (
          guard(request, false) ??
          json(200, {
            mode: config.mode,
            user: userOf(request)?.name,
            workflow: config.workflow,
            ...live.status(),
          })
        );
      case 'api/v1':
        return guard(request, false) ?? guardWrite(request) ?? api(request);
      case 'api/content.json':
        return guard(request, false) ?? json(200, await store.readAll(), { 'Cache-Control': 'no-store' });
      case 'api/history':
        return guard(request, false) ?? json(200, await history());
      case 'api/check-image': {
        const reference = url.searchParams.get('reference')?.trim() ?? '';
        const denied = guard(request, false);
        if (denied) return denied;
        if (!parts.checkImage || reference === '' || reference.length > 512)
          return json(422, { error: 'Give one image reference.' });
        return json(200, await parts.checkImage(reference), { 'Cache-Control': 'no-store' });
      }
      case 'api/usage':
      case 'api/groups':
        return guard(request, false) ?? parts.hubFacts?.handle(route);
      case 'api/restore':
        return guard(request, false) ?? guardWrite(request) ?? restore(request);
      case 'history':
        return (
          guard(request, true) ??
          new Response(renderHistoryPage(await history(), base, userOf(request)?.name ?? ''), {
            headers: { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' },
          })
        );
      default:
        if (route === 'admin' || route.startsWith('admin/')) return guard(request, true);
        return undefined;
    }
  };

  async function history() {
    const entries = await readHistory(store, live);
    return parts.usageSnapshots ? withUsageCounts(entries, parts.usageSnapshots) : entries;
  }

  async function restore(request: Request): Promise<Response> {
    const body = (await request.json().catch(() => ({}))) as { commit?: unknown };
    const commit =
      typeof body.commit === 'string' && /^[0-9a-f]{7,40}$/.test(body.commit) ? body.commit : undefined;
    if (!commit) return json(422, { error: 'Name the commit to restore.' });
    const run = queue(async () => {
      const files = await store.repo.readTree(commit).catch(() => undefined);
      if (!files) throw new ApiError(404, `No commit ${commit} in the content history.`);
      const current = await store.readAll();
      const check = compareTrees(current, files, { ...parts.validate });
      if (check.errors.length > 0) {
        throw new ApiError(
          422,
          `That version is not valid today: ${check.errors.map((e) => e.message).join(' ')} Nothing was restored.`,
        );
      }
      const message = `Restore the content of ${commit.slice(0, 10)}`;
      return store.restore(files, message, authorOf(request));
    });
    try {
      return json(200, { commit: await run });
    } catch (problem) {
      if (problem instanceof ApiError) return json(problem.status, { error: problem.message });
      throw problem;
    }
  }
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return Response.json(body, { status, headers });
}
