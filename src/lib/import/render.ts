import { Document, isMap, isScalar, visit } from 'yaml';

/**
 * Writes one content file: a header comment, then the data as block YAML (sizes as one-line maps, as people
 * write them). Read back with the content loader, it gives exactly `data`.
 */
export function renderContentFile(data: unknown, header: readonly string[]): string {
  const doc = new Document(data);
  if (header.length > 0) doc.commentBefore = header.map((line) => ` ${line}`).join('\n');
  visit(doc, {
    Pair(_key, pair) {
      if (isScalar(pair.key) && pair.key.value === 'size' && isMap(pair.value)) pair.value.flow = true;
    },
  });
  return doc.toString({ lineWidth: 0 });
}
