#!/usr/bin/env node
import { Command } from 'commander';
import { runBuild } from './build.ts';
import { runLoadNodeGroups } from './load-node-groups.ts';
import { runValidate } from './validate.ts';

const program = new Command()
  .name('z2jh-configurator')
  .description('Validate and build the KubeSpawner profile list of a JupyterHub from content/.')
  .option('-C, --project <dir>', 'project folder holding content/', process.cwd())
  .showHelpAfterError();

program
  .command('validate')
  .description('check every content file; exit 1 on errors, 0 with warnings only')
  .option('--json', 'print the issues as JSON')
  .action(async (options: { json?: boolean }) => {
    process.exitCode = await runValidate(program.opts<{ project: string }>().project, options);
  });

program
  .command('build')
  .description('validate, then build the site into dist/ (profile_list.json, values.yaml, preview)')
  .option('--outputs-only', 'write profile_list.json and values.yaml without building the site')
  .option('--out <dir>', 'output folder (default: <project>/dist)')
  .action(async (options: { outputsOnly?: boolean; out?: string }) => {
    process.exitCode = await runBuild(program.opts<{ project: string }>().project, options);
  });

program
  .command('load-node-groups')
  .description("create or update content/node-groups/ from the infrastructure admins' JSON file")
  .argument('<file>', 'JSON file: [{"slug", "display_name", "node_selector", ...}]')
  .action(async (file: string) => {
    process.exitCode = await runLoadNodeGroups(program.opts<{ project: string }>().project, file);
  });

await program.parseAsync();
