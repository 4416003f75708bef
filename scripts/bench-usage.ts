// Benchmark: `z2jh-configurator usage --json` against a real JupyterHub 3.0 on loopback whose database holds
// 5,000 users (5,500 servers with saved user_options, all stopped), seeded through JupyterHub's own ORM.
// Target: under 2 s. Run: npm run bench:usage  (BENCH_USERS=… for another size, BENCH_RUNS=… for more runs)
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createHubClient } from '../src/hub-api/client.ts';
import { readUsage } from '../src/hub-api/usage.ts';
import { SERVICE_TOKEN, startJupyterHub } from '../test/helpers/jupyterhub.ts';

const root = path.resolve(import.meta.dirname, '..');
const USERS = Number(process.env['BENCH_USERS'] ?? '5000');
const RUNS = Number(process.env['BENCH_RUNS'] ?? '5');

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const hubPython = (await readFile(execFileSync('which', ['jupyterhub'], { encoding: 'utf8' }).trim(), 'utf8'))
  .split('\n')[0]!
  .replace(/^#!\s*/, '');

const dir = await mkdtemp(path.join(tmpdir(), 'z2jh-bench-usage-'));
const dbUrl = `sqlite:///${dir}/jupyterhub.sqlite`;
execFileSync(hubPython, [path.join(root, 'scripts/seed-hub-users.py'), dbUrl, String(USERS)], {
  stdio: 'ignore',
});
const hub = await startJupyterHub({ users: [], dbUrl, startSeconds: 300 });
try {
  const env = {
    PATH: process.env['PATH'] ?? '',
    NO_COLOR: '1',
    JUPYTERHUB_API_URL: hub.apiUrl,
    JUPYTERHUB_API_TOKEN: SERVICE_TOKEN,
  };
  const cli = path.join(root, 'bin', 'z2jh-configurator.mjs');
  const time = (command: string, args: string[]) => {
    const start = performance.now();
    const out = execFileSync(command, args, { env, encoding: 'utf8', maxBuffer: 64 << 20 });
    const ms = performance.now() - start;
    const usage = JSON.parse(out) as { users: number };
    if (usage.users !== USERS) throw new Error(`usage counted ${usage.users} users, not ${USERS}`);
    return ms;
  };
  // Warm the hub once (its first listing after a start builds a wrapper per user), as any later call finds it.
  await readUsage(createHubClient({ apiUrl: hub.apiUrl, token: SERVICE_TOKEN, timeoutMs: 300_000 }));
  const cliRuns = Array.from({ length: RUNS }, () => time(process.execPath, [cli, 'usage', '--json']));
  const client = createHubClient({ apiUrl: hub.apiUrl, token: SERVICE_TOKEN });
  const readRuns: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    await readUsage(client);
    readRuns.push(performance.now() - start);
  }
  const sequential = createHubClient({ apiUrl: hub.apiUrl, token: SERVICE_TOKEN, concurrency: 1 });
  const seqRuns: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    await readUsage(sequential);
    seqRuns.push(performance.now() - start);
  }
  const fmt = (values: number[]) =>
    `median ${median(values).toFixed(0)} ms (min ${Math.min(...values).toFixed(0)}, max ${Math.max(...values).toFixed(0)})`;
  console.log(`usage over ${USERS} users in JupyterHub 3.0 (${RUNS} runs each):`);

  console.log(`  z2jh-configurator usage --json (whole process, start-up included):        ${fmt(cliRuns)}`);
  console.log(`  readUsage in process, 4 pages at a time:                                  ${fmt(readRuns)}`);
  console.log(`  readUsage in process, one page at a time:                                 ${fmt(seqRuns)}`);
} finally {
  await hub.stop();
}
