/**
 * Image-check benchmark: 200 distinct tags on a loopback Debian docker-registry with bearer-token auth (a token
 * issuer on loopback; anonymous pulls of public/*), checked by `skopeo inspect` one image after another (as the
 * earlier prototype did), by our checker cold (no tokens, no cached results) and by our checker with a warm token
 * cache (result cache off). Prints the median of each over several runs, and the ratios.
 *
 * Run: npm run bench:images --  [--images 200] [--runs 3] [--skopeo-sample N]
 * Needs the apt packages docker-registry, skopeo and openssl.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createImageChecker } from '../src/registry/checker.ts';
import { DEFAULT_REGISTRY_SETTINGS } from '../src/registry/settings.ts';
import { createTokenCache } from '../src/registry/tokens.ts';
import { median, startBenchRegistry, time } from './bench-registry.ts';

const exec = promisify(execFile);
const argument = (name: string, fallback: number): number => {
  const index = process.argv.indexOf(`--${name}`);
  const value = index === -1 ? undefined : Number(process.argv[index + 1]);
  return value !== undefined && Number.isFinite(value) && value > 0 ? value : fallback;
};
const IMAGES = argument('images', 200);
const RUNS = Math.max(3, argument('runs', 3));
const SKOPEO_SAMPLE = Math.min(IMAGES, argument('skopeo-sample', IMAGES));
const ms = (value: number): string => `${value.toFixed(1)} ms`;

async function main(): Promise<void> {
  const registry = await startBenchRegistry(IMAGES);
  const { references, repositories: REPOSITORIES } = registry;
  try {
    const sample = references
      .filter((_, i) => i % Math.max(1, Math.floor(IMAGES / SKOPEO_SAMPLE)) === 0)
      .slice(0, SKOPEO_SAMPLE);
    const skopeoRuns: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const elapsed = await time(async () => {
        for (const reference of sample) {
          const { stdout } = await exec('skopeo', ['inspect', '--tls-verify=false', `docker://${reference}`]);
          if (!stdout.includes('"Digest"')) throw new Error(`skopeo inspect ${reference}: ${stdout}`);
        }
      });
      skopeoRuns.push((elapsed / sample.length) * IMAGES);
    }

    const check = async (checker: ReturnType<typeof createImageChecker>): Promise<void> => {
      const results = await checker.checkMany(references);
      const bad = [...results.values()].filter((r) => r.status !== 'exists');
      if (bad.length > 0) throw new Error(`${bad.length} images not found, first: ${bad[0]?.message}`);
    };
    const coldRuns: number[] = [];
    let coldRequests = 0;
    for (let run = 0; run < RUNS + 2; run++) {
      const checker = createImageChecker({ cache: false, tokens: createTokenCache() });
      coldRuns.push(await time(() => check(checker)));
      coldRequests = checker.requests;
    }
    const warm = createImageChecker({ cache: false });
    await check(warm);
    const warmRuns: number[] = [];
    let before = warm.requests;
    let warmRequests = 0;
    for (let run = 0; run < RUNS + 2; run++) {
      warmRuns.push(await time(() => check(warm)));
      warmRequests = warm.requests - before;
      before = warm.requests;
    }

    const skopeo = median(skopeoRuns);
    const cold = median(coldRuns);
    const warmMedian = median(warmRuns);
    const skopeoNote =
      SKOPEO_SAMPLE === IMAGES
        ? `all ${IMAGES} images, one after another`
        : `${SKOPEO_SAMPLE} of ${IMAGES} images one after another, extrapolated to ${IMAGES}`;
    console.log(
      `Image check benchmark: ${IMAGES} tags in ${REPOSITORIES} repositories on a loopback docker-registry`,
    );
    console.log(
      `with bearer-token auth (anonymous pull tokens); median of ${RUNS} skopeo runs and ${RUNS + 2} checker runs.`,
    );
    console.log('');
    console.log(
      `skopeo inspect (${skopeoNote}):  ${ms(skopeo)}  (${ms(skopeo / IMAGES)} per image; runs: ${skopeoRuns.map(ms).join(', ')})`,
    );
    console.log(
      `checker, cold (no tokens, no cache):       ${ms(cold)}  (${coldRequests} requests; runs: ${coldRuns.map(ms).join(', ')})`,
    );
    console.log(
      `checker, warm tokens (result cache off):   ${ms(warmMedian)}  (${warmRequests} requests; runs: ${warmRuns.map(ms).join(', ')})`,
    );
    console.log('');
    console.log(`ratio skopeo / checker cold: ${(skopeo / cold).toFixed(1)}x`);
    console.log(`ratio skopeo / checker warm: ${(skopeo / warmMedian).toFixed(1)}x`);
    console.log(`(target: at least 20x; concurrency per registry: ${DEFAULT_REGISTRY_SETTINGS.concurrency})`);
  } finally {
    await registry.stop();
  }
}

await main();
