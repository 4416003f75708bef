#!/usr/bin/env node
// Each command's module is imported when the command runs, so a command loads only what it uses (start-up time).
import { Command } from 'commander';
import type { ImageCheckOptions } from './check-images.ts';
import { registerHelmValues } from './helm-values-command.ts';
import type { ImportCommandOptions } from './import.ts';
import type { SizesCommandOptions } from './sizes.ts';

// Each command's module is loaded when the command runs, so a quick command (usage, validate) does not pay
// for loading the build, the server or the registry client.
const program = new Command()
  .name('z2jh-configurator')
  .description('Validate and build the KubeSpawner profile list of a JupyterHub from content/.')
  .option('-C, --project <dir>', 'project folder holding content/', process.cwd())
  .showHelpAfterError();

program
  .command('validate')
  .description('check every content file; exit 1 on errors, 0 with warnings only')
  .option('--json', 'print the issues as JSON')
  .option('--check-images', 'also check that every image exists in its registry (the default when CI=true)')
  .option('--no-check-images', 'do not check images in registries, even when CI=true')
  .option('--strict-images', 'make every image that could not be confirmed to exist an error')
  .option(
    '--hub',
    "check allowed_groups against the hub's groups (JUPYTERHUB_API_URL, JUPYTERHUB_API_TOKEN with list:groups)",
  )
  .action(async (options: { json?: boolean; hub?: boolean } & ImageCheckOptions) => {
    process.exitCode = await (
      await import('./validate.ts')
    ).runValidate(program.opts<{ project: string }>().project, options);
  });

program
  .command('build')
  .description('validate, then build the site into dist/ (profile_list.json, values.yaml, preview)')
  .option('--outputs-only', 'write profile_list.json and values.yaml without building the site')
  .option('--out <dir>', 'output folder (default: <project>/dist)')
  .option('--check-images', 'also check that every image exists in its registry (the default when CI=true)')
  .option('--no-check-images', 'do not check images in registries, even when CI=true')
  .option('--strict-images', 'make every image that could not be confirmed to exist an error')
  .option('--pin-digests', 'write image@sha256:… into the outputs (checks images; needs --outputs-only)')
  .action(
    async (options: { outputsOnly?: boolean; out?: string; pinDigests?: boolean } & ImageCheckOptions) => {
      process.exitCode = await (
        await import('./build.ts')
      ).runBuild(program.opts<{ project: string }>().project, options);
    },
  );

program
  .command('check-images')
  .description(
    'check that images exist in their registries: the given references, or every image in content/',
  )
  .argument('[references...]', 'image references to check instead of the content')
  .option('--json', 'print the results as JSON')
  .option('--strict-images', 'make every image that could not be confirmed to exist an error')
  .option('--no-cache', 'ask the registries again instead of reusing cached results')
  .action(async (references: string[], options: { json?: boolean } & ImageCheckOptions) => {
    process.exitCode = await (
      await import('./check-images.ts')
    ).runCheckImages(program.opts<{ project: string }>().project, references, options);
  });

program
  .command('outdated')
  .description(
    'list images with newer tags of the same scheme in their registries (exit 0 when all could be checked)',
  )
  .argument('[image-ids...]', 'images to check (default: every image in content/images/)')
  .option('--json', 'print [{"id", "reference", "current", "newest", "newer": [newest first]}]')
  .option('--no-cache', 'list tags again instead of reusing cached lists')
  .action(async (ids: string[], options: { json?: boolean; cache?: boolean }) => {
    process.exitCode = await (
      await import('./outdated.ts')
    ).runOutdated(program.opts<{ project: string }>().project, ids, options);
  });

program
  .command('bump')
  .description(
    'move each named image (default: every outdated one) to its newest tag: one line per file, checked',
  )
  .argument('[image-ids...]', 'images to bump (default: every image with a newer tag)')
  .option('--dry-run', 'print what would change, and write nothing')
  .action(async (ids: string[], options: { dryRun?: boolean }) => {
    process.exitCode = await (
      await import('./bump.ts')
    ).runBump(program.opts<{ project: string }>().project, ids, options);
  });

program
  .command('load-node-groups')
  .description("create or update content/node-groups/ from the infrastructure admins' JSON file")
  .argument('<file>', 'JSON file: [{"slug", "display_name", "node_selector", ...}]')
  .action(async (file: string) => {
    process.exitCode = await (
      await import('./load-node-groups.ts')
    ).runLoadNodeGroups(program.opts<{ project: string }>().project, file);
  });

program
  .command('import')
  .description(
    "create content/ from a hub's values file: images, node groups and profiles from its profileList",
  )
  .argument('<values.yaml>', 'z2jh Helm values file (anchors, merge keys and comments are fine)')
  .option(
    '--key <path>',
    'dotted key path of the list (default: singleuser.profileList, jupyterhub.…, basehub.jupyterhub.…, profileList)',
  )
  .option('--force', 'replace content files that already exist')
  .option('--dry-run', 'print the files that would be written, and write nothing')
  .action(async (file: string, options: ImportCommandOptions) => {
    process.exitCode = await (
      await import('./import.ts')
    ).runImport(program.opts<{ project: string }>().project, file, options);
  });

program
  .command('sizes')
  .description("print size choices cut from node groups' capacity, or write them into a profile")
  .argument('[node-group-ids...]', "node groups to cut (default with --write-profile: the profile's own)")
  .option('--floor <memory>', 'smallest memory share, e.g. 512M or 2G (default 1G)')
  .option('--reserve <fraction>', 'part of each node kept free for system pods (default 0.05)')
  .option(
    '--menu <key>',
    'write a general menu with this key (default: sizes for one node group, "size" for several)',
  )
  .option('--write-profile <id>', 'put the sizes into content/profiles/<id>.yaml (validated first)')
  .action(async (ids: string[], options: SizesCommandOptions) => {
    process.exitCode = await (
      await import('./sizes.ts')
    ).runSizes(program.opts<{ project: string }>().project, ids, options);
  });

program
  .command('serve')
  .description('serve the built site and the editor on HOST:PORT (default 127.0.0.1:4321)')
  .option('--dist <dir>', "the built site (default: this tool's dist/)")
  .action(async (options: { dist?: string }) => {
    const code = await (
      await import('./serve.ts')
    ).runServe(program.opts<{ project: string }>().project, options);
    if (code !== 0) process.exitCode = code;
  });

program
  .command('history')
  .description('list published changes of the content repository (CONFIGURATOR_CONTENT_REPO or the project)')
  .option('--json', 'print JSON')
  .option('--limit <n>', 'how many changes', '20')
  .action(async (options: { json?: boolean; limit?: string }) => {
    process.exitCode = await (
      await import('./history.ts')
    ).runHistory(program.opts<{ project: string }>().project, options);
  });

program
  .command('revert')
  .description('restore the content of an earlier commit as a new, validated commit')
  .argument('<commit>', 'the commit to restore (see history)')
  .action(async (commit: string) => {
    process.exitCode = await (
      await import('./history.ts')
    ).runRevert(program.opts<{ project: string }>().project, commit);
  });

program
  .command('usage')
  .description(
    "how many users last started each profile and choice, from the hub's API (JUPYTERHUB_API_URL, JUPYTERHUB_API_TOKEN)",
  )
  .option(
    '--json',
    'print {"users", "profiles": {"<slug>": {"users", "options": {…}}}} (or {"unknown": true, "reason"})',
  )
  .action(async (options: { json?: boolean }) => {
    process.exitCode = await (
      await import('./usage.ts')
    ).runUsage(program.opts<{ project: string }>().project, options);
  });

registerHelmValues(program);

await program.parseAsync();
