#!/usr/bin/env node
// `npx z2jh-configurator <command>`: Node 24 runs the TypeScript sources directly (type stripping; the type
// check's `erasableSyntaxOnly` keeps them runnable). The compile cache keeps the stripped and compiled modules on
// disk between runs, which more than halves the start-up of every command.
import module from 'node:module';

module.enableCompileCache?.();
await import('../src/cli/main.ts');
