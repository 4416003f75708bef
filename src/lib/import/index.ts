import { parseContent, CONTENT_FOLDERS, SETTINGS_FILE, type Entry, type SourceFile } from '../catalog.ts';
import { hasErrors, sortIssues, type Issue } from '../issues.ts';
import type { ImageInput } from '../schema/image.ts';
import type { NodeGroupInput } from '../schema/node-group.ts';
import type { SettingsInput } from '../schema/settings.ts';
import { createImageRegistry, createNodeGroupRegistry, warn, type ImportContext } from './context.ts';
import { isRecord } from './fields.ts';
import { importProfiles } from './profiles.ts';
import { renderContentFile } from './render.ts';
import { findProfileList, parseValues, valueAt } from './source.ts';

export { DEFAULT_PROFILE_LIST_KEYS } from './source.ts';

/** How to import a values file. */
export interface ImportOptions {
  /** The values file's name as issues show it, e.g. `values.yaml`. */
  fileName: string;
  /** Dotted key path of the profile list; by default the first of DEFAULT_PROFILE_LIST_KEYS found. */
  key?: string;
  contentRoot?: string;
  /** The project's content now: its images and node groups are reused (by reference, by node selector). */
  existing?: readonly SourceFile[];
  /**
   * The keys `advanced` may hold (configurator.yaml advanced.allowed_keys): a key outside them is an error at its
   * line in the values file. Undefined: not checked here (validation checks the written content anyway).
   */
  advancedAllowedKeys?: readonly string[];
}

/** What the import would write, and everything it noticed on the way. */
export interface ImportResult {
  /** Content files to write (new images, node groups and profiles; settings when new). */
  files: SourceFile[];
  /** Issues in the values file, each with its file and line. */
  issues: Issue[];
  /** False when the values file has an error that stops the import. */
  ok: boolean;
  /** Where the profile list was found, e.g. `jupyterhub.singleuser.profileList`. */
  key?: string;
  profiles: string[];
  images: string[];
  nodeGroups: string[];
}

/**
 * Imports a z2jh values file's `singleuser.profileList` as content: images de-duplicated by reference, node groups
 * from node selectors and tolerations, one profile file each (friendly fields where they fit exactly, else the
 * general `options` form), everything else under `advanced`. What content cannot express is reported at its line,
 * never dropped silently. Pure: the caller validates the files and writes them.
 */
export function importProfileList(text: string, options: ImportOptions): ImportResult {
  const contentRoot = options.contentRoot ?? 'content';
  const result: ImportResult = {
    files: [],
    issues: [],
    ok: false,
    profiles: [],
    images: [],
    nodeGroups: [],
  };
  const parsed = parseValues(options.fileName, text);
  result.issues.push(...parsed.issues);
  const source = parsed.source;
  if (!source) return result;
  const found = findProfileList(source, options.key);
  if ('issue' in found) {
    result.issues.push(found.issue);
    return result;
  }
  result.key = found.path.join('.');
  const existing = parseContent(options.existing ?? [], contentRoot).raw;
  const singleuser = found.path.at(-2) === 'singleuser' ? found.path.slice(0, -1) : undefined;
  const ctx: ImportContext = {
    source,
    issues: result.issues,
    images: createImageRegistry(existing.images.filter(isImage)),
    nodeGroups: createNodeGroupRegistry(existing.nodeGroups.filter(isNodeGroup)),
    ...(options.advancedAllowedKeys ? { allowedAdvanced: new Set(options.advancedAllowedKeys) } : {}),
    hubWide: (path) => (singleuser ? valueAt(source.data, [...singleuser, ...path]) : undefined),
  };
  if (found.list.length === 0) {
    warn(
      ctx,
      'ImportEmptyList',
      found.path,
      `${result.key} is an empty list: the hub offers no profiles, so nothing is imported.`,
    );
  }
  const profiles = importProfiles(ctx, found.list, found.path);
  const settings = importSettings(ctx, singleuser, existing.settings !== undefined);
  const from = `${options.fileName} (${result.key})`;
  for (const { id, data } of ctx.nodeGroups.created()) {
    result.nodeGroups.push(id);
    result.files.push({
      path: `${contentRoot}/${CONTENT_FOLDERS.nodeGroups}/${id}.yaml`,
      text: renderContentFile(data, [
        `Derived by \`z2jh-configurator import\` from a node selector in ${from}.`,
        'Infrastructure admins: add this group, with its capacity, to the node-groups file (load-node-groups).',
      ]),
    });
  }
  for (const { id, data } of ctx.images.created()) {
    result.images.push(id);
    result.files.push({
      path: `${contentRoot}/${CONTENT_FOLDERS.images}/${id}.yaml`,
      text: renderContentFile(data, [`Imported by \`z2jh-configurator import\` from ${from}.`]),
    });
  }
  for (const { id, data, path, comments } of profiles) {
    result.profiles.push(id);
    const line = source.at(path).line;
    result.files.push({
      path: `${contentRoot}/${CONTENT_FOLDERS.profiles}/${id}.yaml`,
      text: renderContentFile(
        data,
        [
          `Imported by \`z2jh-configurator import\` from ${options.fileName}${line === undefined ? '' : `:${line}`} (${result.key}[${String(path.at(-1))}]).`,
        ],
        comments,
      ),
    });
  }
  if (settings) {
    result.files.push({
      path: `${contentRoot}/${SETTINGS_FILE}`,
      text: renderContentFile(settings, [
        `Imported by \`z2jh-configurator import\` from ${options.fileName}.`,
      ]),
    });
  }
  result.issues.splice(0, result.issues.length, ...sortIssues(result.issues));
  result.ok = !hasErrors(result.issues);
  return result;
}

/** `singleuser.image` and `singleuser.defaultUrl` beside the list become content/settings.yaml, when it is new. */
function importSettings(
  ctx: ImportContext,
  singleuser: string[] | undefined,
  exists: boolean,
): SettingsInput | undefined {
  if (!singleuser) return undefined;
  const settings: SettingsInput = {};
  const image = ctx.hubWide(['image']);
  if (image && typeof image === 'object') {
    const { name, tag } = image as { name?: unknown; tag?: unknown };
    if (typeof name === 'string' && (typeof tag === 'string' || typeof tag === 'number')) {
      settings.default_image = ctx.images.idFor(`${name}:${String(tag)}`, {});
    } else if (typeof name === 'string') {
      warn(
        ctx,
        'ImportNotExpressible',
        [...singleuser, 'image'],
        `singleuser.image has no tag (the chart then picks its own), so it cannot become the default image. It was left out.`,
      );
    }
  }
  const defaultUrl = ctx.hubWide(['defaultUrl']);
  if (typeof defaultUrl === 'string' && /^\/[^\s"<>]*$/.test(defaultUrl)) settings.default_url = defaultUrl;
  if (Object.keys(settings).length === 0) return undefined;
  if (exists) {
    warn(
      ctx,
      'ImportSettingsKept',
      singleuser,
      `content/settings.yaml exists, so it was not changed; the values file sets ${Object.keys(settings).join(' and ')} for the whole hub.`,
      'set them in content/settings.yaml by hand if they should move to the configurator.',
    );
    return undefined;
  }
  return settings;
}

/** An existing image file with a reference (a broken one is validation's business, not the import's). */
function isImage(entry: Entry<unknown>): entry is Entry<ImageInput> {
  return isRecord(entry.data) && typeof entry.data['image'] === 'string';
}

/** An existing node-group file with a node selector. */
function isNodeGroup(entry: Entry<unknown>): entry is Entry<NodeGroupInput> {
  return isRecord(entry.data) && isRecord(entry.data['node_selector']);
}
