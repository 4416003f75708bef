import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { loadContent } from '../lib/load.ts';
import { generateOutputs } from '../lib/outputs.ts';
import { formatIssues } from './print.ts';

/** The folder holding this tool's Astro site (src/pages), whatever project the content comes from. */
const appRoot = path.resolve(import.meta.dirname, '..', '..');

/** `build`: validates, then builds the Astro site (or only the two outputs) into `<project>/dist` or `--out`. */
export async function runBuild(
  projectDir: string,
  options: { outputsOnly?: boolean; out?: string },
): Promise<number> {
  const result = await loadContent(projectDir);
  if (!result.ok) {
    console.error(formatIssues(result.issues, 'Nothing was built.'));
    return 1;
  }
  if (result.issues.length > 0) console.log(formatIssues(result.issues, ''));
  const outDir = path.resolve(options.out ?? path.join(projectDir, 'dist'));
  if (options.outputsOnly) {
    const outputs = generateOutputs(result.resolved);
    await mkdir(outDir, { recursive: true });
    await writeFile(path.join(outDir, 'profile_list.json'), outputs.profileListJson);
    await writeFile(path.join(outDir, 'values.yaml'), outputs.valuesYaml);
    console.log(`Wrote profile_list.json and values.yaml into ${outDir}.`);
    return 0;
  }
  // The site's pages read the content of CONFIGURATOR_PROJECT (src/site/content.ts).
  process.env['CONFIGURATOR_PROJECT'] = path.resolve(projectDir);
  const { build } = await import('astro');
  await build({ root: appRoot, outDir, logLevel: 'warn' });
  console.log(
    `Built the site into ${path.join(outDir, 'client')} (index.html preview, profile_list.json, values.yaml).`,
  );
  return 0;
}
