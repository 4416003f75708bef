// Writes public/schemas/*.json from src/lib/schema (the single source of truth). A test fails when they drift.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { renderJsonSchemas } from '../src/lib/json-schemas.ts';

const dir = path.join(import.meta.dirname, '..', 'public', 'schemas');
await mkdir(dir, { recursive: true });
for (const [name, text] of Object.entries(renderJsonSchemas())) {
  await writeFile(path.join(dir, name), text);
  console.log(`wrote public/schemas/${name}`);
}
