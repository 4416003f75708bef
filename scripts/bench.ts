// `npm run bench [-- --json] [-- --no-build]`: times validate + generate and the full `build` over synthetic
// catalogues of growing size, and checks the targets (10,000 images / 2,000 profiles under 2 s, linear growth).
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { SourceFile } from '../src/lib/catalog.ts';
import { readContentFiles } from '../src/lib/load.ts';
import { generateOutputs } from '../src/lib/outputs.ts';
import { checkPythonRegexSyntax } from '../src/lib/python-regex.ts';
import { validateContent } from '../src/lib/validate.ts';
import { syntheticCatalog, writeSyntheticProject } from './synthetic-catalog.ts';

/** One catalogue size to measure, and how many timed runs its in-process steps get. */
export interface BenchSize {
  images: number;
  profiles: number;
  runs: number;
}

/** The sizes from the issue: each ten times the one before. */
export const SIZES: readonly BenchSize[] = [
  { images: 100, profiles: 20, runs: 7 },
  { images: 1_000, profiles: 200, runs: 7 },
  { images: 10_000, profiles: 2_000, runs: 5 },
];

/** Timed runs of the full `build` per size (each is a fresh process). */
export const BUILD_RUNS = 3;
/** The core step for the largest catalogue must stay under this many milliseconds. */
export const TARGET_MS = 2_000;
/** How much bigger each catalogue is than the one before. */
export const GROWTH_FACTOR = 10;
/** A growth ratio up to this many times {@link GROWTH_FACTOR} still counts as linear (noise, GC, caches). */
export const LINEAR_TOLERANCE = 1.25;

/** Median, minimum and maximum of a series of timings, in milliseconds. */
export interface Timing {
  runs: number;
  median: number;
  min: number;
  max: number;
}

/** Everything measured for one catalogue size. */
export interface SizeResult {
  images: number;
  profiles: number;
  files: number;
  bytes: number;
  /** validateContent + generateOutputs on files in memory. */
  core: Timing;
  /** Core median per profile, in microseconds. */
  perProfileUs: number;
  /** readContentFiles + core. */
  disk: Timing;
  /** The CLI `build` as a child process (site included); undefined with --no-build. */
  build?: Timing;
}

/** The growth of one measurement from one size to the next, against the catalogue's growth. */
export interface Growth {
  step: string;
  core: number;
  disk: number;
  build?: number;
  /** Extra core time per extra profile over this step, in microseconds (fixed start-up costs cancel out). */
  marginalCoreUsPerProfile: number;
}

/** The whole report, as printed with --json. */
export interface BenchReport {
  node: string;
  cpus: number;
  targetMs: number;
  growthFactor: number;
  sizes: SizeResult[];
  growth: Growth[];
  /** Core median of the largest catalogue is under {@link TARGET_MS}. */
  targetMet: boolean;
  /**
   * Every core growth ratio is at most {@link GROWTH_FACTOR} × {@link LINEAR_TOLERANCE}, and the marginal cost
   * per profile does not grow by more than {@link LINEAR_TOLERANCE} from one step to the next.
   */
  linear: boolean;
  notes: string[];
}

const projectRoot = path.resolve(import.meta.dirname, '..');
/** Summarises timings in milliseconds. */
export function summarize(samples: readonly number[]): Timing {
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median =
    sorted.length % 2 === 1 ? sorted[middle]! : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
  return { runs: sorted.length, median, min: sorted[0] ?? NaN, max: sorted[sorted.length - 1] ?? NaN };
}

async function time(runs: number, step: () => unknown): Promise<Timing> {
  const samples: number[] = [];
  for (let run = 0; run < runs; run++) {
    const start = performance.now();
    await step();
    samples.push(performance.now() - start);
  }
  return summarize(samples);
}

/** The step the 2 s target is about: validation (Python regex check included) and both outputs. */
function core(files: readonly SourceFile[]): void {
  const result = validateContent(files, { checkPythonRegex: checkPythonRegexSyntax });
  if (!result.ok) throw new Error(`synthetic content is not valid: ${JSON.stringify(result.issues[0])}`);
  generateOutputs(result.resolved);
}

/**
 * A throw-away project: the synthetic content, and a link to this project's node_modules, because the site's
 * server bundle (which prerenders the pages) resolves its packages from beside the output folder.
 */
async function makeProject(size: BenchSize): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `z2jh-bench-${size.images}-`));
  await writeSyntheticProject(dir, size.images, size.profiles);
  await symlink(path.join(projectRoot, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  return dir;
}

/**
 * Runs `z2jh-configurator -C <dir> build --out <dir>/dist` from this project, with the same Node as the
 * benchmark, so that this project's dist/ (which others may be serving) is left alone.
 */
function runBuild(dir: string): Promise<void> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    // The site reads its content from CONFIGURATOR_PROJECT (src/site/content.ts); `build` sets it too.
    CONFIGURATOR_PROJECT: dir,
  };
  // CI=true would turn on registry checks of every synthetic image; --no-check-images below also says so.
  delete env['CI'];
  const args = [
    'bin/z2jh-configurator.mjs',
    '-C',
    dir,
    'build',
    '--out',
    path.join(dir, 'dist'),
    '--no-check-images',
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: projectRoot, env });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`build in ${dir} exited with ${code}:\n${output}`)),
    );
  });
}

/** Fails unless the build wrote the synthetic profile list into the temporary project (not somewhere else). */
async function checkBuilt(dir: string, profiles: number): Promise<void> {
  const file = path.join(dir, 'dist', 'client', 'profile_list.json');
  const list = JSON.parse(await readFile(file, 'utf8')) as unknown[];
  if (list.length !== profiles) throw new Error(`${file} has ${list.length} profiles, expected ${profiles}`);
}

async function measure(
  size: BenchSize,
  withBuild: boolean,
  log: (line: string) => void,
): Promise<SizeResult> {
  const label = `${size.images} images / ${size.profiles} profiles`;
  const files = syntheticCatalog(size.images, size.profiles);
  log(`${label}: core x${size.runs} (after one warm-up run)...`);
  core(files);
  const coreTiming = await time(size.runs, () => core(files));
  const dir = await makeProject(size);
  try {
    log(`${label}: disk + core x${size.runs}...`);
    const disk = await time(size.runs, async () => core(await readContentFiles(dir)));
    const result: SizeResult = {
      images: size.images,
      profiles: size.profiles,
      files: files.length,
      bytes: files.reduce((sum, file) => sum + Buffer.byteLength(file.text), 0),
      core: coreTiming,
      perProfileUs: (coreTiming.median / size.profiles) * 1000,
      disk,
    };
    if (withBuild) {
      log(`${label}: full build x${BUILD_RUNS}...`);
      result.build = await time(BUILD_RUNS, () => runBuild(dir));
      await checkBuilt(dir, size.profiles);
    }
    return result;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function growthOf(sizes: readonly SizeResult[]): Growth[] {
  const growth: Growth[] = [];
  for (let i = 1; i < sizes.length; i++) {
    const before = sizes[i - 1]!;
    const after = sizes[i]!;
    const step: Growth = {
      step: `${after.images}/${before.images}`,
      core: after.core.median / before.core.median,
      disk: after.disk.median / before.disk.median,
      marginalCoreUsPerProfile:
        ((after.core.median - before.core.median) / (after.profiles - before.profiles)) * 1000,
    };
    if (after.build && before.build) step.build = after.build.median / before.build.median;
    growth.push(step);
  }
  return growth;
}

const ms = (value: number) => value.toFixed(value < 100 ? 1 : 0);
const ratio = (value: number | undefined) => (value === undefined ? '-' : `${value.toFixed(2)}x`);

/** Renders the report as the table and verdicts printed by `npm run bench`. */
export function formatReport(report: BenchReport): string {
  const header = ['catalog', 'core median ms', '(min-max)', 'per profile us', 'disk+core ms', 'build ms'];
  const rows = report.sizes.map((s) => [
    `${s.images} img / ${s.profiles} prof`,
    ms(s.core.median),
    `(${ms(s.core.min)}-${ms(s.core.max)})`,
    s.perProfileUs.toFixed(0),
    ms(s.disk.median),
    s.build ? ms(s.build.median) : '-',
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (cells: string[]) =>
    cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ');
  const largest = report.sizes[report.sizes.length - 1];
  return [
    `Node ${report.node}, ${report.cpus} CPUs. Medians of ${report.sizes.map((s) => s.core.runs).join('/')} core runs, ${BUILD_RUNS} builds.`,
    '',
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    '',
    `Growth per step (catalog grows ${report.growthFactor}x; linear = ${report.growthFactor}x or less):`,
    ...report.growth.map(
      (g) =>
        `  ${g.step.padEnd(11)} core ${ratio(g.core)}  disk+core ${ratio(g.disk)}  build ${ratio(g.build)}` +
        `  (marginal core cost ${g.marginalCoreUsPerProfile.toFixed(0)} us per added profile)`,
    ),
    '',
    largest
      ? `Target: core for ${largest.images} images / ${largest.profiles} profiles under ${report.targetMs} ms: ` +
        `${report.targetMet ? 'MET' : 'MISSED'} (${ms(largest.core.median)} ms).`
      : 'Target: nothing measured.',
    `Linear growth of core (each ratio <= ${(report.growthFactor * LINEAR_TOLERANCE).toFixed(1)}x, marginal cost ` +
      `per profile steady within ${LINEAR_TOLERANCE}x): ${report.linear ? 'YES' : 'NO'}.`,
    ...report.notes.map((note) => `Note: ${note}`),
  ].join('\n');
}

/** Measures every size and returns the report. Progress goes to `log` (stderr by default). */
export async function runBench(
  options: { build?: boolean; log?: (line: string) => void } = {},
): Promise<BenchReport> {
  const log = options.log ?? ((line: string) => console.error(line));
  const withBuild = options.build ?? true;
  const sizes: SizeResult[] = [];
  for (const size of SIZES) sizes.push(await measure(size, withBuild, log));
  const growth = growthOf(sizes);
  const largest = sizes[sizes.length - 1];
  return {
    node: process.version,
    cpus: os.availableParallelism(),
    targetMs: TARGET_MS,
    growthFactor: GROWTH_FACTOR,
    sizes,
    growth,
    targetMet: largest !== undefined && largest.core.median < TARGET_MS,
    linear:
      growth.every((g) => g.core <= GROWTH_FACTOR * LINEAR_TOLERANCE) &&
      growth.every(
        (g, i) =>
          i === 0 || g.marginalCoreUsPerProfile <= growth[i - 1]!.marginalCoreUsPerProfile * LINEAR_TOLERANCE,
      ),
    notes: [
      'core = validateContent (with the Python regex check, one python3 process per run) + generateOutputs.',
      withBuild
        ? 'build = `z2jh-configurator -C <tmp> build --out <tmp>/dist --no-check-images` as a child process, ' +
          "so this project's dist/ is untouched; it includes Node/Astro start-up, the site build and " +
          "compressing Decap's files (the site reuses the CLI's validation)."
        : 'build skipped (--no-build).',
    ],
  };
}

if (import.meta.main) {
  const args = process.argv.slice(2);
  const report = await runBench({ build: !args.includes('--no-build') });
  console.log(args.includes('--json') ? JSON.stringify(report, null, 2) : formatReport(report));
}
