import type { Conflict } from '../server/revisions.ts';
import type { DecapWindow } from './decap.ts';
import { Refusal } from './refusals.ts';

/** The name of this project's back end in the Decap config (Decap's proxy protocol, plus base revisions). */
export const HUB_BACKEND = 'z2jh-server';

/** What the server says when a save started from an older version of an entry. */
export type ServerConflict = Conflict;

/** What the back end needs from the page. */
export interface HubBackendOptions {
  /** The signed-in user (the server's session, or the local admin). */
  user: string;
  /** Where "Log Out" goes (hub mode), or undefined when there is nothing to log out of (local mode). */
  logoutUrl?: string;
  /** Shows a refused save's conflict, given the text the editor had loaded. */
  onConflict(conflict: ServerConflict, loadedText: string | undefined): string;
  /** Runs before entries are deleted; throws a Refusal to keep them. */
  beforeDelete?(paths: string[]): Promise<void>;
  /** Called once a deletion is committed. */
  afterDelete?(): void;
  /** Extra parameters for the next save (e.g. `moveDefaultFrom`, with the base revisions it needs). */
  takeSaveExtras?(): Promise<{ params: Params; bases: Params } | undefined>;
}

type Params = Record<string, unknown>;
type Payload = { action: string; params: Params };

interface ProxyImplementation {
  proxyUrl: string;
  branch: string;
  request(payload: Payload): Promise<unknown>;
  authComponent(): unknown;
  authenticate(credentials?: unknown): Promise<unknown>;
  restoreUser(user?: unknown): Promise<unknown>;
  logout(): unknown;
}

/**
 * Registers the editor's back end: Decap's own proxy back end (through `CMS.getBackend`, unpatched) with three
 * changes. Every write names the revision each file had when the editor loaded it, so the server can refuse a
 * stale save; refusals reach Decap as plain sentences; and the server's session signs the admin in, so there is
 * no "Login" button to click (the server has already authenticated them, or runs for one person on loopback).
 */
export function registerHubBackend(globals: DecapWindow, options: HubBackendOptions): void {
  const { CMS, h, createClass } = globals;
  const proxy = CMS.getBackend('proxy');
  if (!proxy) throw new Error('Decap CMS has no proxy back end to build on.');
  const user = { name: options.user, login: options.user };
  const SignIn = createClass({
    componentDidMount(this: { props: { onLogin(credentials: unknown): void } }) {
      this.props.onLogin({});
    },
    render: () => h('p', { style: { margin: '40px', font: '16px sans-serif' } }, 'Opening the editor\u2026'),
  });

  function HubBackend(config: { backend: Params }, backendOptions: unknown): ProxyImplementation {
    const inner = proxy!.init(
      { ...config, backend: { ...config.backend, name: 'proxy' } },
      backendOptions,
    ) as ProxyImplementation;
    /** Per path: the revision and text this tab loaded (null: the file did not exist). */
    const loaded = new Map<string, { id: string | null; text: string | undefined }>();
    const baseOf = (path: string) => (loaded.has(path) ? (loaded.get(path)?.id ?? null) : null);

    inner.authComponent = () => SignIn;
    inner.authenticate = () => Promise.resolve(user);
    inner.restoreUser = () => Promise.resolve(user);
    inner.logout = () => {
      if (options.logoutUrl) window.location.assign(options.logoutUrl);
      return null;
    };
    inner.request = async (payload: Payload) => {
      const params = { ...payload.params };
      if (payload.action === 'persistEntry') {
        const files = (params['dataFiles'] as { path: string }[] | undefined) ?? [];
        params['base'] = Object.fromEntries(files.map((f) => [f.path, baseOf(f.path)]));
        const extras = await options.takeSaveExtras?.();
        if (extras) {
          Object.assign(params, extras.params);
          Object.assign(params['base'] as Params, extras.bases);
        }
        await refuseIfChanged(
          params['base'] as Params,
          (params['options'] as Params)?.['useWorkflow'] === true,
        );
      }
      if (payload.action === 'deleteFiles') {
        const paths = (params['paths'] as string[] | undefined) ?? [];
        await options.beforeDelete?.(paths);
        params['base'] = Object.fromEntries(paths.map((p) => [p, baseOf(p)]));
      }
      const response = await fetch(inner.proxyUrl, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json; charset=utf-8' },
        credentials: 'same-origin',
        body: JSON.stringify({ branch: inner.branch, action: payload.action, params }),
      });
      const body = (await response.json().catch(() => ({ error: response.statusText }))) as Params;
      if (!response.ok) {
        const conflict = body['conflict'] as ServerConflict | undefined;
        const message = conflict
          ? options.onConflict(conflict, loaded.get(conflict.path)?.text)
          : String(body['error'] ?? `The server answered ${response.status}.`);
        throw new Refusal(message, response.status);
      }
      remember(payload.action, params, body);
      if (payload.action === 'deleteFiles') options.afterDelete?.();
      return body;
    };
    return inner;

    /**
     * Asks the server first whether someone changed the entry since it was loaded, so a conflict is told
     * without a failed request (the save is checked again by the server, which is what guarantees it).
     */
    async function refuseIfChanged(base: Params, useWorkflow: boolean): Promise<void> {
      const answer = await fetch(inner.proxyUrl, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json; charset=utf-8' },
        credentials: 'same-origin',
        body: JSON.stringify({
          branch: inner.branch,
          action: 'checkRevisions',
          params: { branch: inner.branch, base, useWorkflow },
        }),
      });
      if (!answer.ok) return;
      const { conflicts = [] } = (await answer.json()) as { conflicts?: ServerConflict[] };
      const [conflict] = conflicts;
      if (conflict) throw new Refusal(options.onConflict(conflict, loaded.get(conflict.path)?.text), 409);
    }

    function remember(action: string, params: Params, body: Params): void {
      if (action === 'getEntry') {
        const file = body['file'] as { path: string; id: string | null } | undefined;
        if (file) loaded.set(file.path, { id: file.id, text: (body['data'] as string | null) ?? undefined });
      } else if (action === 'unpublishedEntryDataFile' && typeof body['id'] === 'string') {
        loaded.set(String(params['path']), { id: body['id'], text: String(body['data']) });
      } else if (action === 'persistEntry' && typeof body['id'] === 'string') {
        const [file] = (params['dataFiles'] as { path: string; raw: string }[] | undefined) ?? [];
        if (file) loaded.set(file.path, { id: body['id'], text: file.raw });
        const moved = body['moved'] as { path: string; id: string } | undefined;
        if (moved && loaded.has(moved.path)) loaded.set(moved.path, { id: moved.id, text: undefined });
      } else if (action === 'deleteFiles') {
        for (const path of (params['paths'] as string[] | undefined) ?? [])
          loaded.set(path, { id: null, text: undefined });
      }
    }
  }
  CMS.registerBackend(HUB_BACKEND, HubBackend);
}
