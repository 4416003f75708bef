import { Document, isMap, isScalar, isSeq, visit } from 'yaml';

/**
 * Writes one content file: a header comment, then the data as block YAML (sizes as one-line maps, as people
 * write them). Read back with the content loader, it gives exactly `data`.
 */
export function renderContentFile(
  data: unknown,
  header: readonly string[],
  comments: readonly { at: (string | number)[]; lines: readonly string[] }[] = [],
): string {
  const doc = new Document(data);
  const text = (lines: readonly string[]) => lines.map((line) => (line === '' ? '' : ` ${line}`)).join('\n');
  const top = [...header, ...comments.filter((c) => c.at.length === 0).flatMap((c) => c.lines)];
  if (top.length > 0) doc.commentBefore = text(top);
  for (const { at, lines } of comments) {
    const node = at.length > 0 ? doc.getIn(at, true) : undefined;
    const target = isMap(node) || isSeq(node) || isScalar(node) ? node : undefined;
    if (target && lines.length > 0) target.commentBefore = text(lines);
  }
  visit(doc, {
    Pair(_key, pair) {
      if (isScalar(pair.key) && pair.key.value === 'size' && isMap(pair.value)) pair.value.flow = true;
    },
  });
  return doc.toString({ lineWidth: 0 });
}
