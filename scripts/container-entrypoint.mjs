#!/usr/bin/env node
// Entry point of the sidecar image: `serve` (the default command) runs under a small supervisor that restarts
// the server whenever it exits, with a growing delay. The container itself keeps running, because a container
// that stops makes the whole hub pod unready, and the hub's Service then stops sending it traffic: the
// configurator must never take the hub down. Other commands (`validate`, `build`, ...) run once.
import { spawn } from 'node:child_process';
import path from 'node:path';

const cli = path.join(import.meta.dirname, '..', 'bin', 'z2jh-configurator.mjs');
const args = process.argv.length > 2 ? process.argv.slice(2) : ['serve'];
const MIN_DELAY_MS = Number(process.env.CONFIGURATOR_RESTART_DELAY_MS ?? 1000);
const MAX_DELAY_MS = 30_000;
const STABLE_MS = 60_000;

let child;
let stopping = false;
let delay = MIN_DELAY_MS;

function start() {
  const started = Date.now();
  child = spawn(process.execPath, [cli, ...args], { stdio: 'inherit' });
  child.once('exit', (code, signal) => {
    if (stopping || !args.includes('serve')) process.exit(code ?? (signal ? 1 : 0));
    if (Date.now() - started > STABLE_MS) delay = MIN_DELAY_MS;
    console.error(
      `z2jh-configurator ${signal ? `was stopped by ${signal}` : `exited with code ${code}`}; ` +
        `restarting in ${delay / 1000} s. The hub keeps spawning with its last good list meanwhile.`,
    );
    setTimeout(start, delay);
    delay = Math.min(delay * 2, MAX_DELAY_MS);
  });
}

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    stopping = true;
    if (child && child.exitCode === null && child.signalCode === null) child.kill(signal);
    else process.exit(0);
  });
}

start();
