/**
 * Decap CMS built from its own packages with only what this project uses, in place of its stock bundle (which
 * carries ten back ends, seventeen widgets and every locale): the proxy back end (local mode and the sidecar),
 * the widgets the content model names, and English. GitHub and GitLab (the static deployment) and the Markdown
 * editor (only the profile editor's description needs it) load on demand, so the collection list does not wait
 * for them. It sets Decap's globals (`CMS`, `h`, `createClass`) and starts Decap itself (`startDecap`), so that
 * Decap's config check can wait for the first save.
 *
 * The admin page loads it as a script of its own, beside src/admin/cms.ts, so that the browser fetches both at
 * once and the project's code asks the server for the content while Decap downloads; `whenDecapLoaded` (in
 * src/admin/decap.ts) hands the globals over.
 */
import { createElement, lazy, Suspense, type ComponentType } from 'react';
import createReactClass from 'create-react-class';
import { DecapCmsCore as CMS } from 'decap-cms-core';
import { ProxyBackend } from 'decap-cms-backend-proxy';
import StringWidget from 'decap-cms-widget-string';
import NumberWidget from 'decap-cms-widget-number';
import TextWidget from 'decap-cms-widget-text';
import SelectWidget from 'decap-cms-widget-select';
import ListWidget from 'decap-cms-widget-list';
import ObjectWidget from 'decap-cms-widget-object';
import RelationWidget from 'decap-cms-widget-relation';
import BooleanWidget from 'decap-cms-widget-boolean';
import markdownSchema from 'decap-cms-widget-markdown/dist/esm/schema.js';
import { en } from 'decap-cms-locales';
import { store } from 'decap-cms-core/dist/esm/redux/index.js';
import { applyDefaults, configFailed, normalizeConfig } from 'decap-cms-core/dist/esm/actions/config.js';
import { validateConfig } from 'decap-cms-core/dist/esm/constants/configSchema.js';
import { authenticateUser } from 'decap-cms-core/dist/esm/actions/auth.js';
import relationCache from 'decap-cms-widget-relation/dist/esm/RelationCache.js';
import { announceDecap, type DecapWindow } from './decap.ts';

type Markdown = typeof import('decap-cms-widget-markdown').default;
let markdown: Promise<Markdown> | undefined;
const loadMarkdown = () => (markdown ??= import('decap-cms-widget-markdown').then((m) => m.default));

/** A component that renders once its code has loaded (Decap's ref to the control passes through). */
function onDemand(
  load: () => Promise<ComponentType<Record<string, unknown>>>,
): ComponentType<Record<string, unknown>> {
  const Lazy = lazy(async () => ({ default: await load() }));
  return (props) => createElement(Suspense, { fallback: null }, createElement(Lazy, props));
}

interface QueryResult {
  payload: { hits: { data?: Record<string, unknown> }[] };
}
type Query = (
  forID: string,
  collection: string,
  fields: string[],
  term: string,
  ...rest: unknown[]
) => Promise<QueryResult>;

/**
 * Decap's picker (its relation widget) ranks matches in the names and in the references alike, so "SciPy" and
 * Enter could pick an image whose reference contains "scipy" before the one named so. The same widget, with
 * matches in the display name first (a name that starts with what was typed before one that contains it).
 */
function namesFirst(Control: ComponentType<Record<string, unknown>>): ComponentType<Record<string, unknown>> {
  return (props) => {
    const query = props['query'] as Query;
    const ranked: Query = async (forID, collection, fields, term, ...rest) => {
      const result = await query(forID, collection, fields, term, ...rest);
      const needle = term.trim().toLowerCase();
      if (!needle) return result;
      const rank = (hit: { data?: Record<string, unknown> }) => {
        const name = String(hit.data?.['display_name'] ?? '').toLowerCase();
        return name.startsWith(needle) ? 0 : name.includes(needle) ? 1 : 2;
      };
      const hits = [...result.payload.hits].sort((a, b) => rank(a) - rank(b));
      return { ...result, payload: { ...result.payload, hits } };
    };
    return createElement(Control, { ...props, query: ranked });
  };
}

/** Registers what the project uses and sets Decap's globals; `backend` is the configured back end's name. */
async function loadDecap(backend: string): Promise<DecapWindow> {
  // Decap's own declarations know neither a list of widgets nor a widget's schema (its code takes both).
  const registerWidget = CMS.registerWidget as (...args: unknown[]) => void;
  CMS.registerBackend('proxy', ProxyBackend as never);
  if (backend === 'github')
    CMS.registerBackend('github', (await import('decap-cms-backend-github')).GitHubBackend as never);
  if (backend === 'gitlab')
    CMS.registerBackend('gitlab', (await import('decap-cms-backend-gitlab')).GitLabBackend as never);
  registerWidget(
    [StringWidget, NumberWidget, TextWidget, SelectWidget, ListWidget, ObjectWidget, BooleanWidget].map(
      (widget) => widget.Widget(),
    ),
  );
  const relation = RelationWidget.Widget() as { controlComponent: ComponentType<Record<string, unknown>> };
  registerWidget([{ ...relation, controlComponent: namesFirst(relation.controlComponent) }]);
  registerWidget(
    'markdown',
    onDemand(async () => (await loadMarkdown()).controlComponent),
    onDemand(async () => (await loadMarkdown()).previewComponent),
    markdownSchema,
  );
  CMS.registerLocale('en', en);
  const globals = {
    CMS,
    startDecap,
    checkDecapConfig,
    h: createElement,
    createClass: createReactClass,
    showSaved,
    forgetPickerOptions,
  };
  Object.assign(window, globals);
  // The profile editor's description needs the Markdown editor: fetch it once the page is idle.
  setTimeout(() => requestIdleCallback(() => void loadMarkdown()), 1000);
  return globals as unknown as DecapWindow;
}

/**
 * Keeps what the editor shows true after a save. Decap 3.16 loads a collection's list once and never updates it
 * when an entry is saved (its entries reducer ignores ENTRY_PERSIST_SUCCESS), its relation widget caches the
 * options of a picker for the whole visit, and its search state answers a repeated query for ten seconds. So
 * the saved entry goes to Decap's store the way Decap itself hands over a loaded entry (`ENTRY_SUCCESS`, which
 * replaces the list item), and the pickers ask again.
 */
function showSaved(collection: string, entry: unknown): void {
  store.dispatch({ type: 'ENTRY_SUCCESS', payload: { collection, entry } });
  forgetPickerOptions();
}

/**
 * Starts Decap with `config` as its `loadConfig` would, except that Decap's config check waits for the first
 * save (`checkDecapConfig`). That check compiles Decap's whole config schema with ajv in the browser, the
 * largest single piece of opening /admin (about a third of a second on a slow machine), for a config this
 * project generates from validated settings and checks in its tests. Reading and listing content cannot harm
 * it; a save can, so no save goes through before the check has passed.
 * Decap takes a ready config from `window.CMS_CONFIG` (its loadConfig then only stores it), so this does what
 * loadConfig does after the check: normalise, apply defaults, store, and sign in (`authenticateUser`, its
 * onLoad). A config that cannot even be normalised goes through Decap's usual path, which checks and reports it.
 */
function startDecap(config: Record<string, unknown>): void {
  const w = window as { CMS_CONFIG?: unknown };
  // Decap's declarations want its own config type; this config gets Decap's check before any save.
  const options = { config } as unknown as Parameters<typeof CMS.init>[0];
  let ready: unknown;
  try {
    ready = applyDefaults(normalizeConfig({ ...config }));
  } catch {
    verdict = {}; // Decap's loadConfig checks it now, and shows its error page if it fails.
    CMS.init(options);
    return;
  }
  startedWith = config;
  w.CMS_CONFIG = ready;
  try {
    CMS.init(options);
  } finally {
    delete w.CMS_CONFIG;
  }
  store.dispatch(authenticateUser());
}

/** The config Decap was started with, and Decap's verdict on it once checked. */
let startedWith: Record<string, unknown> | undefined;
let verdict: { problem?: string } | undefined;

/**
 * Decap's own config check of the config the editor started with, run once (the first save asks): undefined
 * when it passes; otherwise Decap's message, and Decap shows its configuration error page as it would have at
 * start.
 */
function checkDecapConfig(): string | undefined {
  if (!verdict) {
    try {
      validateConfig(startedWith);
      verdict = {};
    } catch (error) {
      verdict = { problem: error instanceof Error ? error.message : String(error) };
      store.dispatch(configFailed(error as Error));
      console.error(error);
    }
  }
  return verdict.problem;
}

/** Pickers ask again: the widget's own cache, and Decap's ten-second cache of queries in its search state. */
function forgetPickerOptions(): void {
  relationCache.clear();
  store.dispatch({ type: 'SEARCH_CLEAR', payload: undefined });
}

const config = JSON.parse(document.getElementById('cms-config')?.textContent ?? '{}') as {
  backend?: { name?: string };
};
announceDecap(loadDecap(String(config.backend?.name)));
