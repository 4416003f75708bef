import { readFileSync } from 'node:fs';
import { it } from 'vitest';
import { importProfileList } from '/work/main/src/lib/import/index.ts';
import { formatIssues } from '/work/main/src/cli/print.ts';
it('shows', () => {
  for (const name of (process.env.FIX ?? 'nmfs-openscapes-workshop').split(',')) {
    const text = readFileSync(`/work/shared/fixtures/real-profile-lists/${name}.yaml`, 'utf8');
    const r = importProfileList(text, { fileName: `${name}.yaml` });
    for (const f of r.files) console.log(`=== ${f.path}\n${f.text}`);
    console.log(formatIssues(r.issues, ''));
  }
});
