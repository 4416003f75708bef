import { syntheticCatalog } from './synthetic-catalog.ts';
import { validateContent } from '../src/lib/validate.ts';
const files = syntheticCatalog(10000, 2000);
for (let i = 0; i < 4; i++) {
  const t = performance.now();
  validateContent(files);
  console.log('validate', (performance.now() - t).toFixed(0));
}
