import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { loadContent, shareValidation } from '../lib/load.ts';
import { generateCheckedOutputs } from '../lib/output-limits.ts';
import { pinBuildOutputs, withImageChecks, type ImageCheckOptions } from './check-images.ts';
import { formatIssues } from './print.ts';

/** The folder holding this tool's Astro site (src/pages), whatever project the content comes from. */
const appRoot = path.resolve(import.meta.dirname, '..', '..');

/** `build`: validates, then builds the Astro site into this tool's `dist/` (or only the two outputs into `<project>/dist`). */
export async function runBuild(
  projectDir: string,
  options: { outputsOnly?: boolean; out?: string; pinDigests?: boolean } & ImageCheckOptions,
): Promise<number> {
  if (options.pinDigests && !options.outputsOnly) {
    console.error(
      '--pin-digests works with --outputs-only for now (the site build generates its own list). Nothing was built.',
    );
    return 1;
  }
  const result = await withImageChecks(projectDir, await loadContent(projectDir), options);
  if (!result.ok) {
    console.error(formatIssues(result.issues, 'Nothing was built.'));
    return 1;
  }
  if (result.issues.length > 0) console.log(formatIssues(result.issues, ''));
  if (options.outputsOnly) {
    const outDir = path.resolve(options.out ?? path.join(projectDir, 'dist'));
    const checked = generateCheckedOutputs(result.resolved);
    if (!checked.outputs) {
      console.error(formatIssues(checked.issues, 'Nothing was built.'));
      return 1;
    }
    const generated = checked.outputs;
    const outputs = options.pinDigests ? pinBuildOutputs(generated, result) : generated;
    if (!outputs) return 1;
    await mkdir(outDir, { recursive: true });
    await writeFile(path.join(outDir, 'profile_list.json'), outputs.profileListJson);
    await writeFile(path.join(outDir, 'values.yaml'), outputs.valuesYaml);
    console.log(`Wrote profile_list.json and values.yaml into ${outDir}.`);
    return 0;
  }
  // The server bundle resolves its packages from this tool's node_modules, so the site is built beside it.
  const outDir = path.resolve(options.out ?? path.join(appRoot, 'dist'));
  // The site's pages read the content of CONFIGURATOR_PROJECT (src/site/content.ts), validated once here.
  shareValidation(projectDir, result);
  process.env['CONFIGURATOR_PROJECT'] = path.resolve(projectDir);
  const { build } = await import('astro');
  await build({ root: appRoot, outDir, logLevel: 'warn' });
  // The server checks that it runs at the base path the site was built for.
  const base = process.env['CONFIGURATOR_BASE'] ?? '/';
  await writeFile(
    path.join(outDir, 'configurator-build.json'),
    `${JSON.stringify({ base: base.endsWith('/') ? base : `${base}/` })}\n`,
  );
  console.log(
    `Built the site into ${path.join(outDir, 'client')} (index.html preview, profile_list.json, values.yaml).`,
  );
  return 0;
}
