import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { error, type Issue } from './issues.ts';

/** One YAML file parsed, with a way back from a field path to its line. */
export interface ParsedDocument {
  file: string;
  data: unknown;
  /** The 1-based line of the deepest node on `path` that exists (or undefined for an empty document). */
  lineOf(path: readonly (string | number)[]): number | undefined;
}

/** Parses YAML text; syntax errors become issues with their line, and then `document` is undefined. */
export function parseYamlDocument(
  file: string,
  text: string,
): { document?: ParsedDocument; issues: Issue[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const issues: Issue[] = [];
  for (const problem of [...doc.errors]) {
    const line = lineCounter.linePos(problem.pos[0]).line;
    const duplicate = problem.code === 'DUPLICATE_KEY';
    issues.push(
      error(
        duplicate ? 'DuplicateKey' : 'YamlSyntax',
        { file, line },
        duplicate
          ? `${file} sets the same key twice on line ${line}; YAML keeps only one of them.`
          : `${file} is not valid YAML: ${firstLine(problem.message)}`,
        duplicate
          ? 'remove one of the two keys.'
          : 'check the indentation and quoting near this line; values with ": " or "#" need quotes.',
      ),
    );
  }
  if (issues.length > 0) return { issues };
  const data: unknown = doc.toJS({ maxAliasCount: 100 });
  return { document: { file, data, lineOf: (path) => lineOfPath(doc, lineCounter, path) }, issues };
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
