/**
 * Image-check benchmark: 200 distinct tags on a loopback Debian docker-registry with bearer-token auth (a token
 * issuer on loopback; anonymous pulls of public/*), checked by `skopeo inspect` one image after another (as the
 * earlier prototype did), by our checker cold (no tokens, no cached results) and by our checker with a warm token
 * cache (result cache off). Prints the median of each over several runs, and the ratios.
 *
 * Run: npx tsx scripts/bench-images.ts [--images 200] [--runs 3] [--skopeo-sample N]
 * Needs the apt packages docker-registry, skopeo and openssl.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createImageChecker } from '../src/registry/checker.ts';
import { DEFAULT_REGISTRY_SETTINGS } from '../src/registry/settings.ts';
import { createTokenCache } from '../src/registry/tokens.ts';
import { buildOciLayout, pushImage } from '../test/registry/helpers/images.ts';
import { requireTools } from '../test/registry/helpers/processes.ts';
import { startRegistry } from '../test/registry/helpers/registry.ts';
import { startTokenIssuer } from '../test/registry/helpers/token-issuer.ts';

const exec = promisify(execFile);
const argument = (name: string, fallback: number): number => {
  const index = process.argv.indexOf(`--${name}`);
  const value = index === -1 ? undefined : Number(process.argv[index + 1]);
  return value !== undefined && Number.isFinite(value) && value > 0 ? value : fallback;
};
const IMAGES = argument('images', 200);
const RUNS = Math.max(3, argument('runs', 3));
const SKOPEO_SAMPLE = Math.min(IMAGES, argument('skopeo-sample', IMAGES));
const REPOSITORIES = 4;
const USERS = { bench: 'bench-pass' };
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};
const time = async (task: () => Promise<unknown>): Promise<number> => {
  const started = performance.now();
  await task();
  return performance.now() - started;
};
const ms = (value: number): string => `${value.toFixed(1)} ms`;

/** Tags an already pushed manifest under more tags with plain PUTs (a push token from the issuer). */
async function addTags(
  host: string,
  realm: string,
  service: string,
  repository: string,
  tags: string[],
): Promise<void> {
  const basic = `Basic ${Buffer.from(`bench:${USERS.bench}`).toString('base64')}`;
  const scope = `repository:${repository}:pull,push`;
  const tokenUrl = `${realm}?service=${encodeURIComponent(service)}&scope=${encodeURIComponent(scope)}`;
  const { token } = (await (await fetch(tokenUrl, { headers: { Authorization: basic } })).json()) as {
    token: string;
  };
  const headers = { Authorization: `Bearer ${token}`, Accept: OCI_MANIFEST };
  const manifest = await (
    await fetch(`http://${host}/v2/${repository}/manifests/base`, { headers })
  ).arrayBuffer();
  for (const tag of tags) {
    const put = await fetch(`http://${host}/v2/${repository}/manifests/${tag}`, {
      method: 'PUT',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': OCI_MANIFEST },
      body: manifest,
    });
    if (put.status !== 201) throw new Error(`PUT ${repository}:${tag} answered ${put.status}`);
  }
}

async function main(): Promise<void> {
  requireTools('docker-registry', 'skopeo', 'openssl');
  const issuer = await startTokenIssuer({ users: USERS });
  const registry = await startRegistry({ kind: 'token', ...issuer });
  const layout = await buildOciLayout();
  try {
    const references: string[] = [];
    for (let r = 0; r < REPOSITORIES; r++) {
      const repository = `public/bench-${r}`;
      await pushImage(layout, 'single', `${registry.host}/${repository}:base`, {
        creds: `bench:${USERS.bench}`,
      });
      const tags = Array.from(
        { length: Math.ceil(IMAGES / REPOSITORIES) },
        (_, i) => `2026.01.${String(i).padStart(3, '0')}`,
      );
      await addTags(registry.host, issuer.realm, issuer.service, repository, tags);
      references.push(...tags.map((tag) => `${registry.host}/${repository}:${tag}`));
    }
    references.length = IMAGES;

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
    await issuer.stop();
    await layout.remove();
  }
}

await main();
