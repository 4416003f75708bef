import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { error, formatFieldPath, type Issue, type Location } from '../issues.ts';

/** Where `import` looks for the profile list when no `--key` is given, in this order. */
export const DEFAULT_PROFILE_LIST_KEYS = [
  'singleuser.profileList',
  'jupyterhub.singleuser.profileList',
  'basehub.jupyterhub.singleuser.profileList',
  'profileList',
] as const;

/** A path inside the values file, e.g. ['jupyterhub', 'singleuser', 'profileList', 0, 'slug']. */
export type SourcePath = readonly (string | number)[];

/** A parsed values file: its data as Helm reads it, and a way back from a path to its line. */
export interface ValuesSource {
  file: string;
  data: unknown;
  /** The file, line and dotted field of a path (the deepest node on it that exists). */
  at(path: SourcePath): Location;
}

/**
 * Parses a z2jh values file as Helm does: YAML 1.1 (so `yes`/`on` are booleans), `<<` merge keys, anchors and
 * aliases resolved (an aliased value is the same data wherever it is used). Dates stay text, as Helm keeps them.
 */
export function parseValues(file: string, text: string): { source?: ValuesSource; issues: Issue[] } {
  const counter = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter: counter,
    version: '1.1',
    merge: true,
    prettyErrors: false,
    customTags: (tags) => tags.filter((tag) => typeof tag !== 'object' || !tag.tag.endsWith(':timestamp')),
  });
  if (doc.errors.length > 0) {
    return {
      issues: doc.errors.map((found) =>
        error(
          'ImportYamlSyntax',
          { file, line: counter.linePos(found.pos[0]).line },
          `${file} is not valid YAML: ${found.message.split('\n')[0] ?? found.message}`,
          'fix the file (Helm would refuse it too), then import again. Nothing was written.',
        ),
      ),
    };
  }
  let data: unknown;
  try {
    data = doc.toJS();
  } catch (problem) {
    // The yaml library refuses documents whose aliases expand without bound ("billion laughs").
    return {
      issues: [
        error(
          'ImportYamlSyntax',
          { file },
          `${file} could not be read: ${(problem as Error).message}`,
          'check the anchors and aliases of the file. Nothing was written.',
        ),
      ],
    };
  }
  const at = (path: SourcePath): Location => {
    const line = lineOf(doc, counter, path);
    return { file, field: formatFieldPath(path), ...(line === undefined ? {} : { line }) };
  };
  return { source: { file, data, at }, issues: [] };
}

/** The value at a dotted key path such as `singleuser.profileList`, or undefined. */
export function valueAt(data: unknown, path: SourcePath): unknown {
  let node = data;
  for (const segment of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[segment];
  }
  return node;
}

/** Finds the profile list: at `key` when given, else at the first of DEFAULT_PROFILE_LIST_KEYS that exists. */
export function findProfileList(
  source: ValuesSource,
  key?: string,
): { path: string[]; list: unknown[] } | { issue: Issue } {
  const candidates = key === undefined ? [...DEFAULT_PROFILE_LIST_KEYS] : [key];
  for (const candidate of candidates) {
    const path = candidate.split('.').filter((part) => part !== '');
    const value = valueAt(source.data, path);
    if (value === undefined) continue;
    if (Array.isArray(value)) return { path, list: value };
    return {
      issue: error(
        'ImportNotAList',
        source.at(path),
        `${candidate} in ${source.file} is not a list of profiles${value !== null && typeof value === 'object' ? ' (a mapping: the dict form of KubeSpawner 7.1 is not supported)' : ''}.`,
        'point --key at the list under singleuser.profileList. Nothing was written.',
      ),
    };
  }
  return {
    issue: error(
      'ImportKeyNotFound',
      { file: source.file },
      `${source.file} has no profile list at ${candidates.join(', ')}.`,
      'give the key path of the list with --key, e.g. --key jupyterhub.singleuser.profileList. Nothing was written.',
    ),
  };
}

function lineOf(doc: Document, counter: LineCounter, path: SourcePath): number | undefined {
  let node: unknown = doc.contents;
  let line = startLine(node, counter);
  for (const segment of path) {
    node = resolve(node, doc);
    const next = childOf(node, segment, doc);
    if (!next) break;
    line = startLine(next.key ?? next.value, counter) ?? line;
    node = next.value;
  }
  return line;
}

/** A child of a mapping (looking through `<<` merges, nearest first) or of a sequence. */
function childOf(
  node: unknown,
  segment: string | number,
  doc: Document,
): { key?: unknown; value: unknown } | undefined {
  if (isSeq(node)) {
    const item = typeof segment === 'number' ? node.items[segment] : undefined;
    return item === undefined ? undefined : { value: item };
  }
  if (!isMap(node)) return undefined;
  const merged: unknown[] = [];
  for (const pair of node.items) {
    const key = pair.key;
    if (isScalar(key) && typeof key.value === 'symbol') {
      const value = resolve(pair.value, doc);
      if (isSeq(value)) merged.push(...value.items.map((item) => resolve(item, doc)));
      else merged.push(value);
    } else if (isScalar(key) && String(key.value) === String(segment)) {
      return { key, value: pair.value };
    }
  }
  for (const source of merged) {
    const found = childOf(source, segment, doc);
    if (found) return found;
  }
  return undefined;
}

function resolve(node: unknown, doc: Document): unknown {
  let current = node;
  for (let hops = 0; isAlias(current) && hops < 100; hops++) current = current.resolve(doc);
  return current;
}

function startLine(node: unknown, counter: LineCounter): number | undefined {
  const range = (node as Node | null | undefined)?.range;
  return range ? counter.linePos(range[0]).line : undefined;
}
