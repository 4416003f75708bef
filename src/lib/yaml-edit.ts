import { Document, isMap, isNode, isScalar, isSeq, parseDocument, Scalar, type Node } from 'yaml';

/**
 * Rewrites a YAML file so that it holds `data`, touching only what changed: comments, quoting, key order, flow
 * style and every untouched line stay as they were, so a one-field change is a one-line diff. Changed scalars
 * are replaced in the source text itself (keeping their quote style); added or removed keys and items go
 * through the `yaml` Document API, printed with the file's own indentation. Text that does not parse as one
 * YAML map is replaced whole by `fallback(data)`.
 *
 * @example updateYamlText("image: a:1 # pinned\nname: 'x'\n", { image: 'a:2', name: 'x' }, stringify)
 *   // "image: a:2 # pinned\nname: 'x'\n"
 */
export function updateYamlText(text: string, data: unknown, fallback: (data: unknown) => string): string {
  const doc = parseDocument(text, { keepSourceTokens: false });
  if (doc.errors.length > 0 || !isMap(doc.contents)) return fallback(data);
  const edits: ScalarEdit[] = [];
  if (collectScalarEdits(doc.contents, data, edits)) return spliceScalars(text, edits);
  mergeInto(doc, doc.contents, data);
  return doc.toString(printOptions(text));
}

/**
 * Sets one value at a path (keys and list indexes) and returns the new text, changing only that value's
 * source when it is a scalar (e.g. a bump of an image tag is a one-line diff). Missing maps are created.
 *
 * @example setYamlValue('image: quay.io/a:1 # note\n', ['image'], 'quay.io/a:2') // 'image: quay.io/a:2 # note\n'
 */
export function setYamlValue(text: string, path: readonly (string | number)[], value: unknown): string {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw new Error(`The file is not valid YAML: ${doc.errors[0]?.message ?? ''}`);
  const node = doc.getIn(path, true);
  if (isScalar(node) && isScalar(doc.createNode(value)) && node.range) {
    return spliceScalars(text, [{ node, value }]);
  }
  doc.setIn(path, value);
  return doc.toString(printOptions(text));
}

/**
 * Removes one top-level key and returns the new text; every other line stays as it was (a one-line diff for a
 * one-line key). Text without that key is returned unchanged.
 *
 * @example removeYamlKey('display_name: A\ndefault: true\norder: 1\n', 'default') // 'display_name: A\norder: 1\n'
 */
export function removeYamlKey(text: string, key: string): string {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw new Error(`The file is not valid YAML: ${doc.errors[0]?.message ?? ''}`);
  if (!doc.has(key)) return text;
  doc.delete(key);
  return doc.toString(printOptions(text));
}

interface ScalarEdit {
  node: Scalar;
  value: unknown;
}

/**
 * Walks the document beside the new data; collects scalar changes and returns false as soon as the shape
 * differs (a key or an item added or removed, a scalar becoming a map, a block scalar changing).
 */
function collectScalarEdits(node: unknown, value: unknown, edits: ScalarEdit[]): boolean {
  if (isScalar(node)) {
    if (isStructured(value)) return false;
    if (node.value === value) return true;
    const blockText = node.type === Scalar.BLOCK_LITERAL || node.type === Scalar.BLOCK_FOLDED;
    if (blockText || !node.range || value === undefined) return false;
    edits.push({ node, value });
    return true;
  }
  if (isMap(node)) {
    if (!isPlainObject(value)) return false;
    const keys = node.items.map((pair) => keyOf(pair.key));
    const wanted = Object.keys(value);
    if (keys.length !== wanted.length || !wanted.every((k) => keys.includes(k))) return false;
    return node.items.every((pair) => collectScalarEdits(pair.value, value[keyOf(pair.key)], edits));
  }
  if (isSeq(node)) {
    if (!Array.isArray(value) || value.length !== node.items.length) return false;
    return node.items.every((item, index) => collectScalarEdits(item, value[index], edits));
  }
  return false;
}

/** Replaces each edited scalar's source, right to left so earlier offsets stay valid. */
function spliceScalars(text: string, edits: ScalarEdit[]): string {
  const sorted = [...edits].sort((a, b) => (b.node.range?.[0] ?? 0) - (a.node.range?.[0] ?? 0));
  let out = text;
  for (const { node, value } of sorted) {
    const [start, end] = node.range ?? [0, 0];
    out = out.slice(0, start) + printScalar(node, value) + out.slice(end);
  }
  return out;
}

/** One scalar as YAML source, in the old node's quote style when the new value is a string too. */
function printScalar(old: Scalar, value: unknown): string {
  const doc = new Document(value);
  const scalar = doc.contents as Scalar;
  const quoted = old.type === Scalar.QUOTE_SINGLE || old.type === Scalar.QUOTE_DOUBLE;
  if (typeof value === 'string' && quoted && old.type) scalar.type = old.type;
  return doc.toString({ lineWidth: 0 }).replace(/\n$/, '');
}

/** Brings a map node to the new data in place: changed values replaced, missing keys removed, new keys put in order. */
function mergeInto(doc: Document, map: Node, value: unknown): void {
  if (!isMap(map) || !isPlainObject(value)) return;
  const wanted = Object.keys(value);
  for (const pair of [...map.items]) {
    if (!wanted.includes(keyOf(pair.key))) map.delete(pair.key);
  }
  for (const [index, key] of wanted.entries()) {
    const existing = map.items.find((pair) => keyOf(pair.key) === key);
    if (existing) {
      existing.value = mergeValue(doc, existing.value, value[key]);
      continue;
    }
    const pair = doc.createPair(key, value[key]);
    // Keep the data's order: put the new key before the next key that is already in the file.
    const next = wanted.slice(index + 1).find((k) => map.items.some((p) => keyOf(p.key) === k));
    const at = next === undefined ? map.items.length : map.items.findIndex((p) => keyOf(p.key) === next);
    map.items.splice(at, 0, pair);
  }
}

function mergeValue(doc: Document, node: unknown, value: unknown): unknown {
  if (isScalar(node) && !isStructured(value)) {
    if (node.value !== value) node.value = value;
    return node;
  }
  if (isMap(node) && isPlainObject(value)) {
    mergeInto(doc, node, value);
    return node;
  }
  if (isSeq(node) && Array.isArray(value)) {
    node.items.splice(value.length);
    value.forEach((item, index) => {
      node.items[index] =
        index < node.items.length
          ? (mergeValue(doc, node.items[index], item) as Node)
          : doc.createNode(item, { flow: node.flow ?? false });
    });
    return node;
  }
  return doc.createNode(value);
}

/** Print options that match the file: its indentation and whether lists are indented under their key. */
function printOptions(text: string) {
  const indent = /^( +)\S/m.exec(text)?.[1]?.length ?? 2;
  const unindentedList = /^(\s*)[\w"'-][^\n]*:\s*\n\1- /m.test(text);
  return { lineWidth: 0, indent: Math.min(Math.max(indent, 2), 8), indentSeq: !unindentedList };
}

function keyOf(key: unknown): string {
  return String(isNode(key) && isScalar(key) ? key.value : key);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isStructured(value: unknown): boolean {
  return typeof value === 'object' && value !== null;
}
