import type { Command } from 'commander';
import { DEFAULT_CONTENT_CLAIM, DEFAULT_PORT, DEFAULT_SERVICE_NAME } from '../lib/helm/options.ts';
import type { HelmValuesFlags } from './helm-values.ts';

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
      process.exitCode = await (
        await import('./helm-values.ts')
      ).runHelmValues(program.opts<{ project: string }>().project, flags);
    });
}
