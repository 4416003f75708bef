import { PUBLISHED_SCHEMAS } from './schema/index.ts';

/** The JSON Schema files published under public/schemas/, as the exact text written (stable, 2-space JSON). */
export function renderJsonSchemas(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(PUBLISHED_SCHEMAS).map(([name, schema]) => [
      name,
      `${JSON.stringify({ $schema: 'https://json-schema.org/draft/2020-12/schema', ...schema, $id: `schemas/${name}` }, null, 2)}\n`,
    ]),
  );
}
