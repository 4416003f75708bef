import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { loadContent } from '../lib/load.ts';
import { generateOutputs } from '../lib/outputs.ts';
import { formatIssues } from './print.ts';

/** `build`: validates, then builds the Astro site (or only the two outputs) into dist/. */
export async function runBuild(projectDir: string, options: { outputsOnly?: boolean }): Promise<number> {
  const result = await loadContent(projectDir);
  if (!result.ok) {
    console.error(formatIssues(result.issues, 'Nothing was built.'));
    return 1;
  }
  if (result.issues.length > 0) console.log(formatIssues(result.issues, ''));
  if (options.outputsOnly) {
    const outputs = generateOutputs(result.resolved);
    const dist = path.join(projectDir, 'dist');
    await mkdir(dist, { recursive: true });
    await writeFile(path.join(dist, 'profile_list.json'), outputs.profileListJson);
    await writeFile(path.join(dist, 'values.yaml'), outputs.valuesYaml);
    console.log(`Wrote ${path.join('dist', 'profile_list.json')} and ${path.join('dist', 'values.yaml')}.`);
    return 0;
  }
  const { build } = await import('astro');
  await build({ root: projectDir, logLevel: 'warn' });
  console.log('Built the site into dist/client/ (profile_list.json, values.yaml, preview at index.html).');
  return 0;
}
