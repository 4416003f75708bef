#!/usr/bin/env node
// `npx z2jh-configurator <command>`: runs the TypeScript CLI through tsx's loader (no separate compile step).
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
