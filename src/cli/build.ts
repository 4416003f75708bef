import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { loadContent, shareValidation } from '../lib/load.ts';
import { generateCheckedOutputs } from '../lib/output-limits.ts';
import pc from 'picocolors';
import type { Outputs } from '../lib/outputs.ts';
import type { ValidationResult } from '../lib/validate.ts';
import { pinOutputs } from '../registry/pin.ts';
import type { ImageCheckResult } from '../registry/types.ts';
import { withImageChecks, type ImageCheckOptions } from './check-images.ts';
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
  const outDir = path.resolve(options.out ?? path.join(appRoot, 'dist'));
  // Prerendering runs Astro's server bundle, which imports packages from this tool's node_modules: a folder
  // outside the tool is built in a scratch folder inside it first, then copied out.
  const inside = outDir.startsWith(appRoot + path.sep);
  const buildDir = inside ? outDir : await mkdtemp(path.join(appRoot, 'node_modules', '.z2jh-build-'));
  // The site's pages read the content of CONFIGURATOR_PROJECT (src/site/content.ts), validated once here.
  shareValidation(projectDir, result);
  process.env['CONFIGURATOR_PROJECT'] = path.resolve(projectDir);
  // An inherited BASE_URL (vitest sets one in its workers) would replace the base the site is built for in
  // import.meta.env.BASE_URL, so /admin would load Decap and the API from the wrong path behind the hub.
  delete process.env['BASE_URL'];
  // What is built is what is served: React and Decap in their production form, whatever NODE_ENV the caller
  // has (vitest sets `test`, which would bundle React's development build, three times the size and slower).
  process.env['NODE_ENV'] = 'production';
  try {
    const { build } = await import('astro');
    await build({ root: appRoot, outDir: buildDir, logLevel: 'warn' });
    if (!inside) await cp(buildDir, outDir, { recursive: true, force: true });
  } finally {
    if (!inside) await rm(buildDir, { recursive: true, force: true });
  }
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

/**
 * `build --pin-digests`: the outputs with every image written as `image@sha256:…`; undefined (after printing why)
 * when an image has no known digest, since a half-pinned list is not reproducible.
 */
export function pinBuildOutputs(
  outputs: Outputs,
  result: ValidationResult & { imageResults?: Map<string, ImageCheckResult> },
): Outputs | undefined {
  const pinned = pinOutputs(outputs, result.resolved, result.imageResults ?? new Map());
  for (const { image, pinnedAs } of pinned.report.pinned) console.log(`pinned ${image} → ${pinnedAs}`);
  if (pinned.report.unpinned.length === 0) return pinned.outputs;
  for (const { image, message } of pinned.report.unpinned) {
    console.error(`${pc.red('✖')} ${image} cannot be pinned: ${message}`);
  }
  console.error('--pin-digests needs the digest of every image. Nothing was written.');
  return undefined;
}
