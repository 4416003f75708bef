import spawnCss from '../styles/spawn.css?raw';
import {
  CMS_FORMAT,
  ID_FIELD,
  ID_WIDGET,
  IMAGE_WIDGET,
  READONLY_WIDGET,
  SIZE_GENERATOR_WIDGET,
} from '../lib/cms/config.ts';
import { entryToYaml, normalizeEntryData, yamlToEntry } from '../lib/cms/entry-format.ts';
import { entryPath } from '../lib/cms/check-change.ts';
import type { Issue } from '../lib/issues.ts';
import {
  addValidateOptions,
  applySizeRequest,
  checkChange,
  contentFiles,
  validateOptions,
  contentProfiles,
  entryId,
  nodeGroups,
  otherDefaultProfile,
  withoutDefault,
  refreshContent,
  setValidateOptions,
} from './content.ts';
import { HUB_BACKEND, registerHubBackend } from './backend.ts';
import { showConflict } from './conflict.ts';
import { installHistory } from './history.ts';
import { checkRemoval, confirmBrokenChoices } from './removals.ts';
import { whenDecapLoaded, type ImmutableValue } from './decap.ts';
import { registerWording } from './wording.ts';
import { learnFieldLabels } from './labels.ts';
import { quietRefusals, Refusal } from './refusals.ts';
import { createImageTagsWidget, markOutdatedImages } from './image-tags.ts';
import { addGroupPicker, groupsInContent, loadHubFacts, showCountsInLists } from './hub-facts.ts';
import { createImagePreview, createPreview, profilePreviewHtml } from './previews.ts';
import { createIdWidget, createReadonlyWidget, createSizeGeneratorWidget } from './widgets.ts';

const PREVIEW_CSS = `${spawnCss}
.preview-issues { padding-left: 1.2em; } .preview-error { color: #a94442; } .preview-warning { color: #8a6d3b; }
.preview-ok { color: #3c763d; } dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 12px; }`;

const NO_MEDIA = 'z2jh-no-media';

/** Which collection a file belongs to, from the field order Decap passes to the format. */
function collectionOf(keys: readonly string[]): string {
  if (keys.includes('node_selector')) return 'node_groups';
  if (keys.includes('profile_order') || keys.includes('default_image')) return 'settings';
  if (keys.includes('sizes') || keys.includes('node_groups')) return 'profiles';
  return 'images';
}

/** Formats refused-change issues as the text Decap shows in its error notice. */
export function describeRefusal(errors: Issue[]): string {
  return `${errors.map((e) => `${e.message}${e.hint ? ` Hint: ${e.hint}` : ''} (${e.code})`).join(' ')} Nothing was saved.`;
}

/** The default profile a save in progress takes over (its file and the revision the editor knows). */
let moveDefault: { path: string; base: string } | undefined;

/** The revision the server gives a file's text (sha-256, hex). */
async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Registers the project's format, widgets, previews and pre-save checks, then starts Decap. */
export async function startCms(): Promise<void> {
  const config = JSON.parse(document.getElementById('cms-config')?.textContent ?? '{}') as Record<
    string,
    unknown
  >;
  const backend = config['backend'] as Record<string, unknown> | undefined;
  const base = JSON.parse(document.getElementById('cms-base')?.textContent ?? '"/"') as string;
  const validate = JSON.parse(document.getElementById('cms-validate')?.textContent ?? '{}') as {
    advancedAllowedKeys?: string[];
  };
  setValidateOptions(
    validate.advancedAllowedKeys ? { advancedAllowedKeys: validate.advancedAllowedKeys } : {},
  );
  // Decap (the bulk of the page's code) downloads while the server answers what the editor needs to know.
  const [globals, hub, , status] = await Promise.all([
    whenDecapLoaded(),
    loadHubFacts(base),
    refreshContent(base),
    readServerStatus(base),
  ]);
  if (hub.groups) {
    addValidateOptions({ hubGroups: hub.groups });
    addGroupPicker(config, hub.groups, groupsInContent(contentProfiles()));
  }
  const { CMS } = globals;
  quietRefusals();
  registerWording(CMS);
  // No media: profile lists have no images or files to upload, so the Media button is left out.
  CMS.registerMediaLibrary({
    name: NO_MEDIA,
    init: () => ({ show: () => undefined, enableStandalone: () => false }),
  });
  config['media_library'] = { name: NO_MEDIA };
  if (backend?.['name'] === 'proxy') {
    // This project's server: sign in from its session (no Login click) and send base revisions with saves.
    registerHubBackend(globals, {
      user: status?.user ?? 'Local admin',
      ...(status?.mode === 'hub' ? { logoutUrl: `${base}logout` } : {}),
      onConflict: showConflict,
      beforeDelete: (paths) => checkRemoval(paths, base),
      takeSaveExtras: async () => {
        const move = moveDefault;
        moveDefault = undefined;
        return move && { params: { moveDefaultFrom: move.path }, bases: { [move.path]: move.base } };
      },
      afterDelete: () => globals.forgetPickerOptions(),
    });
    config['backend'] = { ...backend, name: HUB_BACKEND };
  }
  if (status) {
    showBanner(status);
    // The server offers review (drafts, "in review", "ready", publish) when it runs beside the hub.
    if (status.workflow && config['publish_mode'] === undefined)
      config['publish_mode'] = 'editorial_workflow';
    if (status.freshness) markOutdatedImages(base);
  }

  CMS.registerCustomFormat(CMS_FORMAT, 'yaml', {
    fromFile: (text: string) => yamlToEntry(text),
    toFile: (data: Record<string, unknown>, sortedKeys: string[] = []) =>
      entryToYaml(collectionOf([...sortedKeys, ...Object.keys(data)]), data),
  });
  CMS.registerWidget(ID_WIDGET, createIdWidget(globals));
  CMS.registerWidget(READONLY_WIDGET, createReadonlyWidget(globals));
  CMS.registerWidget(IMAGE_WIDGET, createImageTagsWidget(globals, base));
  CMS.registerWidget(
    SIZE_GENERATOR_WIDGET,
    createSizeGeneratorWidget(globals, { nodeGroups, preview: applySizeRequest }),
  );
  learnFieldLabels(config);
  CMS.registerPreviewStyle(PREVIEW_CSS, { raw: true });
  CMS.registerPreviewTemplate('profiles', createPreview(globals, profilePreviewHtml));
  CMS.registerPreviewTemplate('images', createImagePreview(globals, base));
  CMS.registerEventListener({
    name: 'preSave',
    handler: async ({ entry }: { entry: ImmutableValue }) => {
      const broken = globals.checkDecapConfig();
      if (broken)
        throw new Refusal(
          `The editor\u2019s configuration fails Decap\u2019s check: ${broken} Nothing was saved.`,
        );
      const collection = String(entry.get('collection'));
      if (collection === 'node_groups') {
        throw new Refusal(
          'Node groups come from the infrastructure admins and cannot be changed here. Nothing was saved.',
        );
      }
      await refreshContent(base);
      const dataMap = entry.get('data') as {
        toJS(): Record<string, unknown>;
        clear(): { merge(value: unknown): unknown };
      };
      let raw = dataMap.toJS();
      let replaced = false;
      if (collection === 'profiles') {
        const sized = applySizeRequest(raw);
        if (sized.problems.length > 0) throw new Refusal(`${sized.problems.join(' ')} Nothing was saved.`);
        replaced = sized.data !== raw;
        raw = sized.data;
      }
      const isNew = Boolean(entry.get('newRecord'));
      const slug =
        collection === 'settings' ? 'settings' : entryId({ slug: entry.get('slug'), isNew, data: raw });
      if (isNew && collection !== 'settings') {
        if (slug === '')
          throw new Refusal('Type an id, or a display name to take it from. Nothing was saved.');
        if (raw[ID_FIELD] !== slug) {
          // No id typed: the one taken from the display name becomes the file name.
          raw = { ...raw, [ID_FIELD]: slug };
          replaced = true;
        }
      }
      let tree = contentFiles();
      moveDefault = undefined;
      const ownPath = entryPath(collection, slug, validateOptions().contentRoot);
      const other =
        collection === 'profiles' && raw['default'] === true && ownPath && !reviewed
          ? otherDefaultProfile(ownPath)
          : undefined;
      if (other) {
        const question =
          `\u201c${other.name}\u201d is the default profile now. Make this profile the default instead? ` +
          'Both change in one save, so the hub always has exactly one default.';
        if (!window.confirm(question))
          throw new Refusal(`\u201c${other.name}\u201d stays the default. Nothing was saved.`);
        tree = withoutDefault(other.path);
        moveDefault = { path: other.path, base: await sha256(other.text) };
      }
      const check = checkChange(collection, slug, normalizeEntryData(collection, raw), isNew, tree);
      if (check.errors.length > 0) throw new Refusal(describeRefusal(check.errors));
      if (check.file) {
        const before = contentFiles();
        const after = [...before.filter((f) => f.path !== check.file?.path), check.file];
        if (!(await confirmBrokenChoices(before, after, validateOptions(), base)))
          throw new Refusal('You kept the choices users saved. Nothing was saved.');
      }
      // Generated sizes replace the entry's data (Immutable's merge converts the plain object deeply).
      return replaced ? dataMap.clear().merge(raw) : undefined;
    },
  });
  // After a save the preview and the checks read the new content, and the lists show the saved entry.
  const showSaved = ({ entry }: { entry: ImmutableValue }) => {
    globals.showSaved(String(entry.get('collection')), entry.toJS());
    void refreshContent(base);
  };
  const reviewed = config['publish_mode'] === 'editorial_workflow';
  CMS.registerEventListener({
    name: 'postSave',
    // With review, a save is a draft: the lists keep showing what is published until it is.
    handler: (event) => (reviewed ? void refreshContent(base) : showSaved(event)),
  });
  CMS.registerEventListener({ name: 'postPublish', handler: showSaved });
  globals.startDecap(config);
  // History lives on this project's server (local and beside the hub), not on static sites.
  if (status) installHistory(base);
  showCountsInLists();
}

/** What this server says about itself (absent for static sites with a git back end). */
interface ServerStatus {
  mode: 'local' | 'hub';
  user?: string;
  workflow: boolean;
  valid: boolean;
  servingCommit?: string;
  newestCommit?: string;
  problems: Issue[];
  /** The periodic image check's findings (sidecar). */
  freshness?: {
    intervalSeconds: number;
    checkedAt?: string;
    outdated: { id: string; newest?: string; status: string }[];
    drafts: string[];
  };
}

async function readServerStatus(base: string): Promise<ServerStatus | undefined> {
  try {
    const response = await fetch(`${base}api/status`, { credentials: 'same-origin', cache: 'no-store' });
    return response.ok ? ((await response.json()) as ServerStatus) : undefined;
  } catch {
    return undefined;
  }
}

/** A strip at the bottom of the editor: local mode without login, or a broken newest commit. */
function showBanner(status: ServerStatus): void {
  const lines: string[] = [];
  if (status.mode === 'local')
    lines.push('Local mode: no login. Changes are committed to the content repository on this machine.');
  if (!status.valid) {
    const problems = status.problems
      .map((p) => `${p.file}${p.line ? `:${p.line}` : ''} ${p.code}: ${p.message}`)
      .join(' · ');
    lines.push(
      `The newest commit (${status.newestCommit?.slice(0, 10) ?? '?'}) is not valid, so the hub still gets ${status.servingCommit?.slice(0, 10) ?? 'nothing'}. ${problems}`,
    );
  }
  const outdated = status.freshness?.outdated ?? [];
  if (outdated.length > 0) {
    const list = outdated
      .map((o) =>
        o.status === 'tag-moved' ? `${o.id} (the pinned tag moved)` : `${o.id} \u2192 ${o.newest ?? '?'}`,
      )
      .join(', ');
    const drafts = status.freshness?.drafts.length
      ? ` Drafts opened for review: ${status.freshness.drafts.join(', ')}.`
      : '';
    lines.push(
      `${outdated.length} image${outdated.length === 1 ? ' has' : 's have'} a newer tag: ${list}.${drafts}`,
    );
  }
  if (lines.length === 0) return;
  const banner = document.createElement('div');
  banner.id = 'z2jh-status';
  banner.setAttribute('role', 'status');
  banner.dataset['valid'] = String(status.valid);
  banner.textContent = lines.join(' ');
  banner.style.cssText =
    'position:fixed;left:0;right:0;bottom:0;z-index:10000;padding:6px 12px;font:13px sans-serif;' +
    `background:${status.valid ? '#fcf8e3' : '#f2dede'};color:${status.valid ? '#8a6d3b' : '#a94442'};border-top:1px solid #ccc`;
  document.body.append(banner);
}
