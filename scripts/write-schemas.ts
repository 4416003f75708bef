// Writes public/schemas/*.json and the precompiled validators from src/lib/schema (the single source of
// truth). A test fails when either drifts.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { renderJsonSchemas } from '../src/lib/json-schemas.ts';
import { renderValidators } from '../src/lib/schema/write-validators.ts';

const root = path.join(import.meta.dirname, '..');
const dir = path.join(root, 'public', 'schemas');
await mkdir(dir, { recursive: true });
for (const [name, text] of Object.entries(renderJsonSchemas())) {
  await writeFile(path.join(dir, name), text);
  console.log(`wrote public/schemas/${name}`);
}
await writeFile(path.join(root, 'src', 'lib', 'schema', 'validators.generated.js'), renderValidators());
console.log('wrote src/lib/schema/validators.generated.js');
