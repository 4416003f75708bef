/**
 * Whole-process benchmark of the CLI, each figure side by side with its baseline in one run:
 *
 * 1. `z2jh-configurator validate` on the sample content against `node -e 0` (the same Node): with the caches a
 *    machine has after the first run (Node's compile cache, the Python regex verdicts), and fully cold (both
 *    caches empty, as on the very first run after a clone).
 * 2. `z2jh-configurator check-images --no-cache <200 references>` as one process against 200 `skopeo inspect`
 *    processes, one after another, on a loopback docker-registry with bearer-token auth.
 *
 * Run: npm run bench:cli -- [--runs 15] [--images 200] [--skopeo-runs 3]
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { median, startBenchRegistry, time } from './bench-registry.ts';

const exec = promisify(execFile);
const root = path.resolve(import.meta.dirname, '..');
const cli = path.join(root, 'bin', 'z2jh-configurator.mjs');
const argument = (name: string, fallback: number): number => {
  const index = process.argv.indexOf(`--${name}`);
  const value = index === -1 ? undefined : Number(process.argv[index + 1]);
  return value !== undefined && Number.isFinite(value) && value > 0 ? value : fallback;
};
const RUNS = argument('runs', 15);
const IMAGES = argument('images', 200);
const SKOPEO_RUNS = argument('skopeo-runs', 3);
const ms = (value: number): string => `${value.toFixed(0)} ms`;

/** The environment of every measured process: no CI (which would switch on registry checks), no colours. */
function baseEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', ...extra };
  delete env['CI'];
  delete env['CONFIGURATOR_CHECK_IMAGES'];
  return env;
}

async function run(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  const { stdout } = await exec(process.execPath, args, { cwd: root, env, maxBuffer: 64 << 20 });
  return stdout;
}

/** Medians of the baseline and the commands, measured in turns (a, b, c, a, b, c, ...) so drift hits all alike. */
async function interleaved(tasks: Record<string, () => Promise<unknown>>): Promise<Record<string, number[]>> {
  const runs: Record<string, number[]> = Object.fromEntries(Object.keys(tasks).map((name) => [name, []]));
  for (const task of Object.values(tasks)) await task(); // warm-up: file system cache, compile cache
  for (let i = 0; i < RUNS; i++) {
    for (const [name, task] of Object.entries(tasks)) runs[name]!.push(await time(task));
  }
  return runs;
}

async function benchValidate(): Promise<void> {
  const scratch = await mkdtemp(path.join(tmpdir(), 'z2jh-bench-cli-'));
  let fresh = 0;
  try {
    const runs = await interleaved({
      'node -e 0': () => run(['-e', '0'], baseEnv()),
      'validate (caches warm)': async () => {
        const out = await run([cli, 'validate'], baseEnv());
        if (!out.includes('The content is valid.')) throw new Error(`validate: ${out}`);
      },
      'validate (caches empty)': async () => {
        const dir = path.join(scratch, String(fresh++));
        const out = await run(
          [cli, 'validate'],
          baseEnv({ NODE_COMPILE_CACHE: path.join(dir, 'node'), XDG_CACHE_HOME: path.join(dir, 'xdg') }),
        );
        if (!out.includes('The content is valid.')) throw new Error(`validate: ${out}`);
      },
    });
    const base = median(runs['node -e 0']!);
    console.log(`validate on the sample content, whole processes, median of ${RUNS} runs each, interleaved:`);
    for (const [name, values] of Object.entries(runs)) {
      const m = median(values);
      console.log(`  ${name.padEnd(26)} ${ms(m).padStart(8)}  ${(m / base).toFixed(2)}x node -e 0`);
    }
    console.log('  (target: validate at most 4x node -e 0)');
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

async function benchCheckImages(): Promise<void> {
  const registry = await startBenchRegistry(IMAGES);
  const project = await mkdtemp(path.join(tmpdir(), 'z2jh-bench-check-'));
  try {
    const env = baseEnv({ DOCKER_CONFIG: project });
    const skopeoRuns: number[] = [];
    const ourRuns: number[] = [];
    for (let i = 0; i < SKOPEO_RUNS; i++) {
      skopeoRuns.push(
        await time(async () => {
          for (const reference of registry.references) {
            const { stdout } = await exec(
              'skopeo',
              ['inspect', '--tls-verify=false', `docker://${reference}`],
              {
                env,
              },
            );
            if (!stdout.includes('"Digest"')) throw new Error(`skopeo inspect ${reference}: ${stdout}`);
          }
        }),
      );
      for (let j = 0; j < 3; j++) {
        ourRuns.push(
          await time(async () => {
            const out = await run(
              [cli, '-C', project, 'check-images', '--no-cache', '--json', ...registry.references],
              env,
            );
            const parsed = JSON.parse(out) as { results: { status: string }[] };
            const found = parsed.results.filter((r) => r.status === 'exists').length;
            if (found !== IMAGES) throw new Error(`check-images found ${found} of ${IMAGES}`);
          }),
        );
      }
    }
    const skopeo = median(skopeoRuns);
    const ours = median(ourRuns);
    console.log('');
    console.log(
      `check-images on ${IMAGES} tags in ${registry.repositories} repositories of a loopback docker-registry with token auth, whole processes:`,
    );
    console.log(
      `  ${IMAGES} x skopeo inspect (one after another) ${ms(skopeo).padStart(9)}  (median of ${SKOPEO_RUNS})`,
    );
    console.log(
      `  1 x z2jh-configurator check-images --no-cache ${ms(ours).padStart(8)}  (median of ${ourRuns.length})`,
    );
    console.log(`  ratio: ${(skopeo / ours).toFixed(1)}x (target: at least 20x)`);
  } finally {
    await registry.stop();
    await rm(project, { recursive: true, force: true });
  }
}

await benchValidate();
if (!process.argv.includes('--no-images')) await benchCheckImages();
