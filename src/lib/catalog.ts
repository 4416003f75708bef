import { parseYamlDocument, type ParsedDocument } from './documents.ts';
import { error, warning, type Issue } from './issues.ts';
import type { ImageInput } from './schema/image.ts';
import type { NodeGroupInput } from './schema/node-group.ts';
import type { ProfileInput } from './schema/profile.ts';
import type { SettingsInput } from './schema/settings.ts';
import { SLUG_PATTERN } from './schema/constants.ts';

/** A file's path (relative to the project, with `/`) and text. */
export interface SourceFile {
  path: string;
  text: string;
}

/** One content entry: its id (the file name), where it came from and its data. */
export interface Entry<T> {
  id: string;
  file: string;
  data: T;
  lineOf: ParsedDocument['lineOf'];
}

/** The folders of the content tree, relative to the content root. */
export const CONTENT_FOLDERS = { images: 'images', profiles: 'profiles', nodeGroups: 'node-groups' } as const;
/** The settings file, relative to the content root. */
export const SETTINGS_FILE = 'settings.yaml';

type Kind = keyof typeof CONTENT_FOLDERS;

/** Content as parsed from YAML, before the schema pass. */
export interface RawCatalog {
  images: Entry<unknown>[];
  profiles: Entry<unknown>[];
  nodeGroups: Entry<unknown>[];
  settings?: Entry<unknown>;
  /** Every id that has a file, even one that is not valid YAML. */
  ids: Record<Kind, Set<string>>;
}

/** Content that passed the schema pass, typed. Entries that failed it are left out but their ids stay known. */
export interface Catalog {
  images: Entry<ImageInput>[];
  profiles: Entry<ProfileInput>[];
  nodeGroups: Entry<NodeGroupInput>[];
  settings?: Entry<SettingsInput>;
  /** Every id that has a file, valid or not, so one broken file does not cascade into "unknown" errors. */
  ids: Record<Kind, Set<string>>;
}

const SLUG = new RegExp(SLUG_PATTERN);

/** Sorts source files into the content kinds by folder and parses their YAML. */
export function parseContent(
  files: readonly SourceFile[],
  contentRoot = 'content',
): { raw: RawCatalog; issues: Issue[] } {
  const raw: RawCatalog = {
    images: [],
    profiles: [],
    nodeGroups: [],
    ids: { images: new Set(), profiles: new Set(), nodeGroups: new Set() },
  };
  const issues: Issue[] = [];
  const seen = new Map<string, string>();
  const prefix = `${contentRoot}/`;
  for (const source of [...files].sort((a, b) => a.path.localeCompare(b.path))) {
    if (!source.path.startsWith(prefix)) continue;
    const relative = source.path.slice(prefix.length);
    const place = classify(relative);
    if (!place) {
      if (/\.ya?ml$/.test(relative)) {
        issues.push(
          warning(
            'UnknownFile',
            { file: source.path },
            `${source.path} is not in a content folder, so it is ignored.`,
            'content files live in content/images/, content/profiles/, content/node-groups/ or content/settings.yaml.',
          ),
        );
      }
      continue;
    }
    if (place.kind !== 'settings' && !SLUG.test(place.id)) {
      issues.push(
        error(
          'InvalidId',
          { file: source.path },
          `The file name "${place.id}" is not a valid id: ids become slugs that users' saved choices refer to.`,
          'rename the file to lower-case letters, digits and single dashes, e.g. "scipy-2024.yaml".',
        ),
      );
      continue;
    }
    const key = `${place.kind}/${place.id}`;
    const other = seen.get(key);
    if (other) {
      issues.push(
        error(
          'DuplicateId',
          { file: source.path },
          `${source.path} and ${other} both define the id "${place.id}".`,
          'keep one of the two files.',
        ),
      );
      continue;
    }
    seen.set(key, source.path);
    if (place.kind !== 'settings') raw.ids[place.kind].add(place.id);
    const { document, issues: yamlIssues } = parseYamlDocument(source.path, source.text);
    issues.push(...yamlIssues);
    if (!document) continue;
    const entry: Entry<unknown> = {
      id: place.id,
      file: source.path,
      data: document.data,
      lineOf: document.lineOf,
    };
    if (place.kind === 'settings') raw.settings = entry;
    else raw[place.kind].push(entry);
  }
  return { raw, issues };
}

function classify(relative: string): { kind: Kind | 'settings'; id: string } | undefined {
  if (relative === SETTINGS_FILE || relative === 'settings.yml') return { kind: 'settings', id: 'settings' };
  const match = /^([^/]+)\/([^/]+)\.ya?ml$/.exec(relative);
  if (!match) return undefined;
  const [, folder, id = ''] = match;
  const kind = (Object.keys(CONTENT_FOLDERS) as Kind[]).find((k) => CONTENT_FOLDERS[k] === folder);
  return kind ? { kind, id } : undefined;
}
