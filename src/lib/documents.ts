import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { CORE_SCHEMA, load, type LoadOptions } from 'js-yaml';
import { error, type Issue } from './issues.ts';
import { checkExpansion, checkYamlSize, tooDeepIssue, YAML_LIMITS } from './yaml-limits.ts';

/** One YAML file parsed, with a way back from a field path to its line. */
export interface ParsedDocument {
  file: string;
  data: unknown;
  /** The 1-based line of the deepest node on `path` that exists (or undefined for an empty document). */
  lineOf(path: readonly (string | number)[]): number | undefined;
}

/**
 * Parses YAML text; syntax errors become issues with their line, and then `document` is undefined.
 * The data comes from js-yaml (YAML 1.2 core schema, about ten times faster); the `yaml` library, which keeps
 * source positions, parses the text again only when a line is asked for (an issue) or the text is invalid.
 * Parsing is bounded (`YAML_LIMITS`): a file too large, too deep or whose aliases expand too far is an issue.
 */
export function parseYamlDocument(
  file: string,
  text: string,
): { document?: ParsedDocument; issues: Issue[] } {
  const tooLarge = checkYamlSize(file, text);
  if (tooLarge) return { issues: [tooLarge] };
  let data: unknown;
  try {
    // js-yaml 4.3 refuses nesting past `maxDepth` (its typings predate the option).
    const options = { schema: CORE_SCHEMA, json: false, filename: file, maxDepth: YAML_LIMITS.maxDepth };
    data = load(text, options as LoadOptions) ?? null;
  } catch (problem) {
    return { issues: describeYamlErrors(file, text, problem) };
  }
  const expanded = checkExpansion(file, text, data);
  if (expanded) return { issues: [expanded] };
  let located: { doc: Document; counter: LineCounter } | undefined;
  const lineOf = (path: readonly (string | number)[]) => {
    if (!located) {
      const counter = new LineCounter();
      located = { doc: parseDocument(text, { lineCounter: counter, uniqueKeys: true }), counter };
    }
    return lineOfPath(located.doc, located.counter, path);
  };
  return { document: { file, data, lineOf }, issues: [] };
}

/** The issues of a text js-yaml refused, worded from the `yaml` library's errors when it finds them too. */
function describeYamlErrors(file: string, text: string, problem: unknown): Issue[] {
  const mark = (problem as { mark?: { line?: number }; reason?: string }).mark;
  if (/nesting exceeded maxDepth/.test(String((problem as { reason?: string }).reason))) {
    return [tooDeepIssue(file, (mark?.line ?? 0) + 1)];
  }
  const issues: Issue[] = [];
  try {
    const lineCounter = new LineCounter();
    const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
    for (const found of doc.errors) {
      const line = lineCounter.linePos(found.pos[0]).line;
      issues.push(yamlIssue(file, line, found.code === 'DUPLICATE_KEY', found.message));
    }
  } catch {
    // The yaml library composes recursively; js-yaml's own reason below still names the line.
  }
  if (issues.length > 0) return issues;
  const duplicate = /duplicated mapping key/.test(String((problem as { reason?: string }).reason));
  return [
    yamlIssue(
      file,
      (mark?.line ?? 0) + 1,
      duplicate,
      String((problem as { reason?: string }).reason ?? problem),
    ),
  ];
}

function yamlIssue(file: string, line: number, duplicate: boolean, message: string): Issue {
  return error(
    duplicate ? 'DuplicateKey' : 'YamlSyntax',
    { file, line },
    duplicate
      ? `${file} sets the same key twice on line ${line}; YAML keeps only one of them.`
      : `${file} is not valid YAML: ${firstLine(message)}`,
    duplicate
      ? 'remove one of the two keys.'
      : 'check the indentation and quoting near this line; values with ": " or "#" need quotes.',
  );
}

function lineOfPath(
  doc: Document,
  counter: LineCounter,
  path: readonly (string | number)[],
): number | undefined {
  let node: unknown = doc.contents;
  let line = startLine(node, counter);
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find(
        (item) => isPair(item) && isScalar(item.key) && item.key.value === segment,
      );
      if (!pair) break;
      line = startLine(pair.key, counter) ?? line;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment];
      if (item === undefined) break;
      line = startLine(item, counter) ?? line;
      node = item;
    } else {
      break;
    }
  }
  return line;
}

function startLine(node: unknown, counter: LineCounter): number | undefined {
  const range = (node as Node | null | undefined)?.range;
  return range ? counter.linePos(range[0]).line : undefined;
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}
