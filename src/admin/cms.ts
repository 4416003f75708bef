import spawnCss from '../styles/spawn.css?raw';
import { CMS_FORMAT, ID_WIDGET, READONLY_WIDGET, SIZE_GENERATOR_WIDGET } from '../lib/cms/config.ts';
import { entryToYaml, normalizeEntryData, yamlToEntry } from '../lib/cms/entry-format.ts';
import type { Issue } from '../lib/issues.ts';
import {
  addValidateOptions,
  applySizeRequest,
  checkChange,
  contentProfiles,
  entryId,
  nodeGroups,
  refreshContent,
  setValidateOptions,
} from './content.ts';
import { decapGlobals, type ImmutableValue } from './decap.ts';
import { addGroupPicker, groupsInContent, loadHubFacts, showCountsInLists } from './hub-facts.ts';
import { createImagePreview, createPreview, profilePreviewHtml } from './previews.ts';
import { createIdWidget, createReadonlyWidget, createSizeGeneratorWidget } from './widgets.ts';

const PREVIEW_CSS = `${spawnCss}
.preview-issues { padding-left: 1.2em; } .preview-error { color: #a94442; } .preview-warning { color: #8a6d3b; }
.preview-ok { color: #3c763d; } dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 12px; }`;

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

/** Registers the project's format, widgets, previews and pre-save checks, then starts Decap. */
export async function startCms(): Promise<void> {
  const globals = decapGlobals();
  const { CMS } = globals;
  const config = JSON.parse(document.getElementById('cms-config')?.textContent ?? '{}') as Record<
    string,
    unknown
  >;
  const base = JSON.parse(document.getElementById('cms-base')?.textContent ?? '"/"') as string;
  const validate = JSON.parse(document.getElementById('cms-validate')?.textContent ?? '{}') as {
    advancedAllowedKeys?: string[];
  };
  setValidateOptions(
    validate.advancedAllowedKeys ? { advancedAllowedKeys: validate.advancedAllowedKeys } : {},
  );
  const [hub] = await Promise.all([loadHubFacts(base), refreshContent(base)]);
  if (hub.groups) {
    addValidateOptions({ hubGroups: hub.groups });
    addGroupPicker(config, hub.groups, groupsInContent(contentProfiles()));
  }
  const status = await readServerStatus(base);
  if (status) {
    showBanner(status);
    // The server offers review (drafts, "in review", "ready", publish) when it runs beside the hub.
    if (status.workflow && config['publish_mode'] === undefined)
      config['publish_mode'] = 'editorial_workflow';
  }

  CMS.registerCustomFormat(CMS_FORMAT, 'yaml', {
    fromFile: (text: string) => yamlToEntry(text),
    toFile: (data: Record<string, unknown>, sortedKeys: string[] = []) =>
      entryToYaml(collectionOf([...sortedKeys, ...Object.keys(data)]), data),
  });
  CMS.registerWidget(ID_WIDGET, createIdWidget(globals));
  CMS.registerWidget(READONLY_WIDGET, createReadonlyWidget(globals));
  CMS.registerWidget(
    SIZE_GENERATOR_WIDGET,
    createSizeGeneratorWidget(globals, { nodeGroups, preview: applySizeRequest }),
  );
  CMS.registerPreviewStyle(PREVIEW_CSS, { raw: true });
  CMS.registerPreviewTemplate('profiles', createPreview(globals, profilePreviewHtml));
  CMS.registerPreviewTemplate('images', createImagePreview(globals, base));
  CMS.registerEventListener({
    name: 'preSave',
    handler: async ({ entry }: { entry: ImmutableValue }) => {
      const collection = String(entry.get('collection'));
      if (collection === 'node_groups') {
        throw new Error(
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
        if (sized.problems.length > 0) throw new Error(`${sized.problems.join(' ')} Nothing was saved.`);
        replaced = sized.data !== raw;
        raw = sized.data;
      }
      const isNew = Boolean(entry.get('newRecord'));
      const slug =
        collection === 'settings' ? 'settings' : entryId({ slug: entry.get('slug'), isNew, data: raw });
      const check = checkChange(collection, slug, normalizeEntryData(collection, raw), isNew);
      if (check.errors.length > 0) throw new Error(describeRefusal(check.errors));
      // Generated sizes replace the entry's data (Immutable's merge converts the plain object deeply).
      return replaced ? dataMap.clear().merge(raw) : undefined;
    },
  });
  CMS.registerEventListener({ name: 'postSave', handler: () => void refreshContent(base) });
  globals.initCMS({ config });
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
