import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { generateHubValues, renderHubValues } from '../lib/helm/hub-values.ts';
import { resolveHubValuesOptions, type HubValuesInput } from '../lib/helm/options.ts';
import { loadContent } from '../lib/load.ts';
import { generateOutputs } from '../lib/outputs.ts';
import { formatIssues } from './print.ts';

/** The hub-side loader shipped with this tool, embedded into the values. */
export const LOADER_FILE = path.resolve(import.meta.dirname, '..', '..', 'hub', 'z2jh_profile_loader.py');

/** `helm-values` options as commander parses them. */
export type HelmValuesFlags = HubValuesInput & { fallback?: boolean; out?: string };

/**
 * `helm-values`: prints the z2jh values for the chosen deployment, with the project's current list baked in
 * as `singleuser.profileList` (unless `--no-fallback`). Exit 1, printing nothing, on a bad option or content.
 */
export async function runHelmValues(projectDir: string, flags: HelmValuesFlags): Promise<number> {
  const { options, issues } = resolveHubValuesOptions(flags);
  if (!options) {
    console.error(formatIssues(issues, 'Nothing was printed.'));
    return 1;
  }
  let fallback;
  if (flags.fallback !== false) {
    const content = await loadContent(projectDir);
    if (!content.ok) {
      console.error(
        formatIssues(
          content.issues,
          'Nothing was printed. Fix the content, or pass --no-fallback to leave singleuser.profileList out.',
        ),
      );
      return 1;
    }
    fallback = generateOutputs(content.resolved).profileList;
  }
  const loader = await readFile(LOADER_FILE, 'utf8');
  const yaml = renderHubValues(generateHubValues(options, loader, fallback), options);
  if (flags.out) {
    await writeFile(path.resolve(flags.out), yaml);
    console.error(`Wrote the ${options.mode} values into ${flags.out}.`);
  } else {
    process.stdout.write(yaml);
  }
  return 0;
}
