import { isScalar, parseDocument, Scalar } from 'yaml';

/** The new text, or why the value could not be replaced in place. */
export type ScalarEdit = { ok: true; text: string; changed: boolean } | { ok: false; reason: string };

/**
 * Replaces one string scalar of a YAML file in place: only the characters of that value change, in the quoting
 * style it was written in, so comments, other lines and their formatting stay byte for byte (a one-line change
 * for `image: …`). Uses the yaml library's Document API for the node's source range, then re-parses the result to
 * prove that only that value changed.
 *
 * A small focused module for `bump` and the editor's "Update to"; a general comment-preserving editor for
 * whole entries is separate work.
 *
 * @example
 * replaceScalar('image: quay.io/x:2024-01-01 # pinned\n', ['image'], 'quay.io/x:2024-02-01');
 * // { ok: true, changed: true, text: 'image: quay.io/x:2024-02-01 # pinned\n' }
 */
export function replaceScalar(text: string, path: readonly (string | number)[], value: string): ScalarEdit {
  const document = parseDocument(text);
  if (document.errors.length > 0)
    return { ok: false, reason: `the file is not valid YAML (${document.errors[0]?.message})` };
  const node = document.getIn(path, true);
  if (!isScalar(node) || typeof node.value !== 'string' || !node.range) {
    return { ok: false, reason: `${path.join('.')} is not a text value in the file` };
  }
  if (node.value === value) return { ok: true, text, changed: false };
  const [start, end] = node.range;
  let written: string;
  switch (node.type) {
    case Scalar.QUOTE_DOUBLE:
      written = JSON.stringify(value);
      break;
    case Scalar.QUOTE_SINGLE:
      written = `'${value.replace(/'/g, "''")}'`;
      break;
    case Scalar.PLAIN:
      written = value;
      break;
    default:
      return {
        ok: false,
        reason: `${path.join('.')} is written as a block scalar, which is not edited in place`,
      };
  }
  let next = `${text.slice(0, start)}${written}${text.slice(end)}`;
  if (!provesEdit(text, next, path, value) && node.type === Scalar.PLAIN) {
    // The new value is not safe unquoted (a `#`, `: ` or a leading indicator): quote it.
    next = `${text.slice(0, start)}${JSON.stringify(value)}${text.slice(end)}`;
  }
  if (!provesEdit(text, next, path, value)) {
    return { ok: false, reason: `replacing ${path.join('.')} in place would change more than that value` };
  }
  return { ok: true, text: next, changed: true };
}

/** True when `next` parses to `before` with exactly `path` set to `value`. */
function provesEdit(
  before: string,
  next: string,
  path: readonly (string | number)[],
  value: string,
): boolean {
  const parsed = parseDocument(next);
  if (parsed.errors.length > 0) return false;
  const expected = parseDocument(before);
  expected.setIn(path, value);
  // Same parse, same key order: comparing the JSON texts is exact here.
  return JSON.stringify(parsed.toJS()) === JSON.stringify(expected.toJS());
}
