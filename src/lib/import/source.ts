import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { error, formatFieldPath, type Issue, type Location } from '../issues.ts';
import {
  checkYamlDepth,
  checkYamlSize,
  firstAliasLine,
  measureDepth,
  tooDeepIssue,
  YAML_LIMITS,
} from '../yaml-limits.ts';

const optionalLine = (line: number | undefined) => (line === undefined ? {} : { line });

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
  /**
   * The comment lines written at a path: before and after its key (or list item) and anywhere inside its value,
   * except under the keys in `skip` (parts that carry their own comments).
   */
  comments(path: SourcePath, skip?: readonly string[]): string[];
}

/**
 * Parses a z2jh values file as Helm does: YAML 1.1 (so `yes`/`on` are booleans), `<<` merge keys, anchors and
 * aliases resolved (an aliased value is the same data wherever it is used). Dates stay text, as Helm keeps them.
 */
export function parseValues(file: string, text: string): { source?: ValuesSource; issues: Issue[] } {
  const tooLarge = checkYamlSize(file, text);
  if (tooLarge) return { issues: [tooLarge] };
  const tooDeep = checkYamlDepth(file, text);
  if (tooDeep) return { issues: [tooDeep] };
  const counter = new LineCounter();
  let doc: Document;
  try {
    doc = parseDocument(text, {
      lineCounter: counter,
      version: '1.1',
      merge: true,
      prettyErrors: false,
      customTags: (tags) => tags.filter((tag) => typeof tag !== 'object' || !tag.tag.endsWith(':timestamp')),
    });
  } catch (problem) {
    // The yaml library composes recursively: a tower of brackets overflows its stack.
    if (problem instanceof RangeError) return { issues: [tooDeepIssue(file, 1)] };
    throw problem;
  }
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
    if (problem instanceof RangeError) return { issues: [tooDeepIssue(file, 1)] };
    // The yaml library refuses documents whose aliases expand without bound ("billion laughs").
    return {
      issues: [
        error(
          'ImportYamlSyntax',
          { file, ...optionalLine(firstAliasLine(text)) },
          `${file} could not be read: ${(problem as Error).message}`,
          'check the anchors and aliases of the file. Nothing was written.',
        ),
      ],
    };
  }
  if (measureDepth(data) > YAML_LIMITS.maxDepth) return { issues: [tooDeepIssue(file, 1)] };
  const at = (path: SourcePath): Location => {
    const line = lineOf(doc, counter, path);
    return { file, field: formatFieldPath(path), ...(line === undefined ? {} : { line }) };
  };
  const comments = (path: SourcePath, skip: readonly string[] = []): string[] =>
    commentsAt(doc, path, new Set(skip));
  return { source: { file, data, at, comments }, issues: [] };
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

function commentsAt(doc: Document, path: SourcePath, skip: ReadonlySet<string>): string[] {
  let parent: unknown;
  let node: unknown = doc.contents;
  let found: { key?: unknown; value: unknown } | undefined;
  for (const segment of path) {
    parent = resolve(node, doc);
    found = childOf(parent, segment, doc);
    if (!found) return [];
    node = found.value;
  }
  const lines: string[] = [];
  const add = (text: string | null | undefined) => {
    if (text) lines.push(...text.split('\n').map((line) => line.trim()));
  };
  // A comment before the first item of a list belongs to the list; give it to that first item.
  if (path.at(-1) === 0 && isSeq(parent)) add(parent.commentBefore);
  const key = found?.key as Node | undefined;
  add(key?.commentBefore);
  add(key?.comment);
  const walk = (value: unknown, depth: number, seen: Set<unknown>) => {
    const current = resolve(value, doc) as Node | undefined;
    if (!current || seen.has(current)) return;
    seen.add(current);
    add(current.commentBefore);
    add(current.comment);
    if (isMap(current)) {
      for (const pair of current.items) {
        if (depth === 0 && isScalar(pair.key) && skip.has(String(pair.key.value))) continue;
        add((pair.key as Node | null)?.commentBefore);
        add((pair.key as Node | null)?.comment);
        walk(pair.value, depth + 1, seen);
      }
    } else if (isSeq(current)) {
      for (const item of current.items) walk(item, depth + 1, seen);
    }
  };
  walk(node, 0, new Set());
  // Empty comment lines separate paragraphs: keep them inside, not at either end or twice in a row.
  return lines.filter(
    (line, i) => line !== '' || (i > 0 && lines[i - 1] !== '' && lines.slice(i).some((l) => l !== '')),
  );
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
