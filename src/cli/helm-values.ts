import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { generateHubValues, renderHubValues } from '../lib/helm/hub-values.ts';
import {
  DEFAULT_CONTENT_CLAIM,
  DEFAULT_PORT,
  DEFAULT_SERVICE_NAME,
  resolveHubValuesOptions,
  type HubValuesInput,
} from '../lib/helm/options.ts';
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

/** Adds `helm-values` to the CLI. */
export function registerHelmValues(program: Command): void {
  program
    .command('helm-values')
    .description('print the z2jh values that plug the configurator into a hub (sidecar or static deployment)')
    .requiredOption('--mode <mode>', 'sidecar: in the hub pod; static: the hub reads a published site')
    .option(
      '--url <url>',
      'static: the published site or its profile_list.json; sidecar: overrides the loader URL',
    )
    .option('--image <reference>', 'sidecar: the image built from the Dockerfile, as the cluster pulls it')
    .option('--service-name <name>', 'JupyterHub service name (URL /services/<name>/)', DEFAULT_SERVICE_NAME)
    .option('--port <port>', "the sidecar's port in the hub pod", String(DEFAULT_PORT))
    .option('--base-url <path>', "the chart's hub.baseUrl", '/')
    .option('--hub-name <name>', "the hub's Service and Secret name (fullnameOverride)", 'hub')
    .option(
      '--content-claim <name>',
      'PersistentVolumeClaim holding the content repository',
      DEFAULT_CONTENT_CLAIM,
    )
    .option(
      '--content-empty-dir',
      'keep the content repository in an emptyDir (a trial: lost when the pod goes)',
    )
    .option('--admin-groups <groups>', 'comma-separated groups that may edit besides hub admins')
    .option(
      '--min-refresh <seconds>',
      'seconds the loader answers from memory (default: sidecar 10, static 60)',
    )
    .option('--timeout <seconds>', 'seconds the loader waits for the configurator', '2')
    .option('--no-fallback', 'leave out singleuser.profileList (the list baked from content/)')
    .option('--out <file>', 'write the values into a file instead of printing them')
    .action(async (flags: HelmValuesFlags) => {
      process.exitCode = await runHelmValues(program.opts<{ project: string }>().project, flags);
    });
}
