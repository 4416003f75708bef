import { compareTrees } from '../lib/cms/check-change.ts';
import type { ValidateOptions } from '../lib/validate.ts';
import type { ImageChecker } from '../registry/checker.ts';
import { isSameOriginRead, isSameOriginWrite, type HubAuth, type SessionUser } from './auth.ts';
import { createBumpApi } from './bump-api.ts';
import type { ServerConfig } from './config.ts';
import { ApiError, createContentApi, createWriteQueue } from './content-api.ts';
import type { FreshnessService } from './freshness.ts';
import type { GitStore } from './git-store.ts';
import { readHistory, renderHistoryPage } from './history.ts';
import type { HubFacts } from './hub-facts.ts';
import { withUsageCounts, type UsageSnapshots } from './usage-snapshots.ts';
import type { LiveContent } from './live.ts';
import { refuseUnlessLive } from './publish-check.ts';
import { SavedNotServedError, type Author } from './store.ts';

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
  /** Image freshness: the periodic check's findings, the tag picker and "Update to <tag>". */
  freshness?: { service: FreshnessService; checker: ImageChecker };
  /** The write queue, when others (the freshness check's drafts) write too. */
  queue?: ReturnType<typeof createWriteQueue>;
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
  const queue = parts.queue ?? createWriteQueue();
  const api = createContentApi({
    store,
    queue,
    ...(config.workflow ? { workflow: store } : {}),
    validate: parts.validate,
    authorOf,
    ...(parts.beforeWrite ? { beforeWrite: parts.beforeWrite } : {}),
  });
  const userOf = (request: Request): SessionUser | undefined => (auth ? auth.userOf(request) : LOCAL_USER);
  const freshness = parts.freshness;
  const bump =
    freshness &&
    createBumpApi({
      checker: freshness.checker,
      store,
      ...(config.workflow ? { workflow: store } : {}),
      queue,
      validate: parts.validate,
      authorOf,
      ...(parts.beforeWrite ? { beforeWrite: parts.beforeWrite } : {}),
    });

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
            ...(freshness ? { freshness: freshness.service.findings() } : {}),
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
        const denied =
          guard(request, false) ??
          (isSameOriginRead(request)
            ? undefined
            : json(403, { error: 'Refused: image checks are only answered to the editor on this site.' }));
        if (denied) return denied;
        if (!parts.checkImage || reference === '' || reference.length > 512)
          return json(422, { error: 'Give one image reference.' });
        return json(200, await parts.checkImage(reference), { 'Cache-Control': 'no-store' });
      }
      case 'api/tags': {
        const denied = guard(request, false);
        if (denied) return denied;
        const reference = url.searchParams.get('reference')?.trim() ?? '';
        if (!freshness || reference === '' || reference.length > 512)
          return json(422, { error: 'Give one image reference.' });
        return json(200, await freshness.service.tags(reference), { 'Cache-Control': 'no-store' });
      }
      case 'api/freshness': {
        const denied = guard(request, false);
        if (denied) return denied;
        if (!freshness) return json(404, { error: 'Image freshness is not available here.' });
        // The Images list asks for this: reuse findings younger than five minutes, else check now.
        return json(200, await freshness.service.freshFindings(5 * 60_000), { 'Cache-Control': 'no-store' });
      }
      case 'api/bump':
        if (!bump) return undefined;
        return guard(request, false) ?? guardWrite(request) ?? bump(request);
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
    const body = (await request.json().catch(() => ({}))) as { commit?: unknown; head?: unknown };
    const commit =
      typeof body.commit === 'string' && /^[0-9a-f]{7,40}$/.test(body.commit) ? body.commit : undefined;
    if (!commit) return json(422, { error: 'Name the commit to restore.' });
    const run = queue(async () => {
      await refuseIfHistoryMoved(store, body.head);
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
      refuseUnlessLive(files, parts.validate);
      const message = await restoreMessage(store, commit);
      return store.restore(files, message, authorOf(request));
    });
    try {
      return json(200, { commit: await run });
    } catch (problem) {
      if (problem instanceof ApiError) return json(problem.status, { error: problem.message });
      if (problem instanceof SavedNotServedError)
        return json(500, { error: problem.message, commit: problem.commit });
      throw problem;
    }
  }
}

/**
 * A restore names the newest change the admin saw (`head`): restoring undoes every later change, so one made
 * after they looked would be undone unseen. Refused (409) when main has moved on, or when `head` is missing.
 */
async function refuseIfHistoryMoved(store: GitStore, head: unknown): Promise<void> {
  const tip = await store.mainTip();
  if (typeof head === 'string' && head !== '' && tip.startsWith(head)) return;
  const [last] = await store.repo.log(store.branch, 1);
  throw new ApiError(
    409,
    `The content changed after you opened the history${last ? ` (\u201c${last.message.split('\n')[0]}\u201d by ${last.author})` : ''}. ` +
      'Nothing was restored. Reload the history to see the newest change, then choose again.',
  );
}

/** "Restore the version of 2 Dec 2026 06:39 UTC (Update image “scipy”)": a title without commit hashes. */
async function restoreMessage(store: GitStore, commit: string): Promise<string> {
  const [subject = '', date = ''] = (await store.repo.git.raw(['log', '-1', '--format=%s%x1f%aI', commit]))
    .trim()
    .split('\x1f');
  const when = new Date(date);
  const stamp = Number.isNaN(when.getTime())
    ? commit.slice(0, 10)
    : `${when.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  return `Restore the version of ${stamp}${subject ? ` (${subject})` : ''}`;
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return Response.json(body, { status, headers });
}
