import { FAILSAFE_SCHEMA, loadAll, type LoadOptions } from 'js-yaml';
import { isAlias, LineCounter, parseDocument, visit } from 'yaml';
import { error, type Issue } from './issues.ts';

/**
 * Bounds on every YAML text the project reads (content, configurator.yaml, node-group and values files). A
 * content file is a few hundred lines; these leave room for a thousand times that, and stop a hostile file
 * (an alias "bomb", a tower of brackets, a huge file) before it costs seconds of CPU or gigabytes of memory.
 */
export const YAML_LIMITS = {
  /** Largest file, in characters. */
  maxChars: 512 * 1024,
  /** Deepest nesting of maps and lists. */
  maxDepth: 64,
  /** Most values a file may hold once its aliases are expanded (what JSON output would repeat). */
  maxExpandedNodes: 100_000,
  /** Most alias uses (`*name`) in one file. */
  maxAliases: 1_000,
} as const;

/** The issue for a text over the size limit, or undefined. */
export function checkYamlSize(file: string, text: string): Issue | undefined {
  if (text.length <= YAML_LIMITS.maxChars) return undefined;
  return error(
    'YamlTooLarge',
    { file, line: 1 },
    `${file} has ${text.length.toLocaleString('en')} characters; YAML files are read only up to ${YAML_LIMITS.maxChars.toLocaleString('en')}.`,
    'split the content into several entries, or remove what was pasted by mistake.',
  );
}

/** The issue for nesting deeper than the limit (js-yaml's `maxDepth` refusal), at its line. */
export function tooDeepIssue(file: string, line: number): Issue {
  return error(
    'YamlTooDeep',
    { file, line },
    `${file} nests lists and maps more than ${YAML_LIMITS.maxDepth} levels deep near line ${line}; nothing in the content needs that.`,
    'flatten the structure; look for unclosed brackets or runaway indentation near this line.',
  );
}

/**
 * Measures what the parsed data would become once written out: js-yaml keeps an alias as a second reference to
 * the same object, so the data is small in memory but every consumer (validation, JSON) walks it in full.
 * Counts each value as often as it would be written, without ever expanding it; stops at the limit.
 */
export function measureExpansion(data: unknown): { nodes: number; aliases: number } {
  const sizes = new Map<object, number>();
  let aliases = 0;
  const sizeOf = (value: unknown): number => {
    if (value === null || typeof value !== 'object') return 1;
    const known = sizes.get(value);
    if (known !== undefined) {
      aliases++;
      return known;
    }
    sizes.set(value, Number.POSITIVE_INFINITY); // a cycle counts as unbounded
    let total = 1;
    for (const child of Object.values(value)) {
      total += sizeOf(child);
      if (total > YAML_LIMITS.maxExpandedNodes) break;
    }
    sizes.set(value, total);
    return total;
  };
  return { nodes: sizeOf(data), aliases };
}

/** The issue when parsed data expands past the alias budget, or undefined. Line: the first alias in the text. */
export function checkExpansion(file: string, text: string, data: unknown): Issue | undefined {
  const { nodes, aliases } = measureExpansion(data);
  if (nodes <= YAML_LIMITS.maxExpandedNodes && aliases <= YAML_LIMITS.maxAliases) return undefined;
  return error(
    'YamlAliasBudget',
    { file, line: firstAliasLine(text) ?? 1 },
    `${file} uses anchors and aliases (&name, *name) that expand to ${nodes > YAML_LIMITS.maxExpandedNodes ? `more than ${YAML_LIMITS.maxExpandedNodes.toLocaleString('en')} values` : `${aliases.toLocaleString('en')} alias uses`}; ` +
      'such a file would make every reader (and the generated profile list) enormous.',
    'write the values out instead of repeating them through aliases.',
  );
}

/** The line of the first alias (`*name`) in a YAML text, found without expanding anything. */
export function firstAliasLine(text: string): number | undefined {
  try {
    const counter = new LineCounter();
    const doc = parseDocument(text, { lineCounter: counter, uniqueKeys: false });
    let offset: number | undefined;
    visit(doc, {
      Alias(_, node) {
        if (isAlias(node) && node.range) offset = node.range[0];
        return visit.BREAK;
      },
    });
    return offset === undefined ? undefined : counter.linePos(offset).line;
  } catch {
    return undefined; // too deep for the yaml library's recursive composer: no line, the message still stands
  }
}

/** How deeply lists and maps nest in parsed data (iteratively: deep data must not overflow the stack here). */
export function measureDepth(data: unknown): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[data, 0]];
  const seen = new Set<object>();
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    if (value === null || typeof value !== 'object' || seen.has(value)) continue;
    seen.add(value);
    deepest = Math.max(deepest, depth + 1);
    for (const child of Object.values(value)) stack.push([child, depth + 1]);
  }
  return deepest;
}

/**
 * The issue for a text nesting deeper than the limit, found by js-yaml (which stops at `maxDepth` without
 * expanding aliases), for readers that then use the yaml library (whose composer recurses without a limit).
 */
export function checkYamlDepth(file: string, text: string): Issue | undefined {
  try {
    // Failsafe schema and JSON mode: only the shape matters here; duplicate keys and tags are checked elsewhere.
    const options = { schema: FAILSAFE_SCHEMA, json: true, maxDepth: YAML_LIMITS.maxDepth };
    loadAll(text, () => undefined, options as LoadOptions);
    return undefined;
  } catch (problem) {
    const { reason, mark } = problem as { reason?: string; mark?: { line?: number } };
    return /nesting exceeded maxDepth/.test(String(reason))
      ? tooDeepIssue(file, (mark?.line ?? 0) + 1)
      : undefined;
  }
}
