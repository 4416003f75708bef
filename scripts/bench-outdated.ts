/**
 * Freshness benchmark: `z2jh-configurator outdated` (the whole process, as a person or CI runs it) over a project
 * of 200 images, each in its own repository of a loopback Debian docker-registry with bearer-token auth (anonymous
 * pull tokens for public/*), 30 tags each; side by side with 200 `skopeo list-tags` processes, one after another,
 * which is what a shell script doing the same would run. Each contender runs several times, alternating; prints
 * the medians and the ratio.
 *
 * Run: node scripts/bench-outdated.ts [--repositories 200] [--tags 30] [--runs 3]
 * Needs the apt packages docker-registry, skopeo and openssl.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { requireTools } from '../test/registry/helpers/processes.ts';
import { startRegistry } from '../test/registry/helpers/registry.ts';
import { pushCreatedImage, tokenPushAuth } from '../test/registry/helpers/tags.ts';
import { startTokenIssuer } from '../test/registry/helpers/token-issuer.ts';

const exec = promisify(execFile);
const argument = (name: string, fallback: number): number => {
  const index = process.argv.indexOf(`--${name}`);
  const value = index === -1 ? undefined : Number(process.argv[index + 1]);
  return value !== undefined && Number.isFinite(value) && value > 0 ? value : fallback;
};
const REPOSITORIES = argument('repositories', 200);
const TAGS = argument('tags', 30);
const RUNS = Math.max(3, argument('runs', 3));
const root = path.join(import.meta.dirname, '..');

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
const ms = (value: number): string => `${value.toFixed(0)} ms`;
const day = (i: number): string => new Date(Date.UTC(2024, 0, 1 + i)).toISOString().slice(0, 10);

async function main(): Promise<void> {
  requireTools('docker-registry', 'skopeo', 'openssl');
  const issuer = await startTokenIssuer({ users: { bench: 'bench-pass' } });
  const registry = await startRegistry({ kind: 'token', ...issuer });
  const project = await mkdtemp(path.join(tmpdir(), 'z2jh-bench-outdated-'));
  try {
    const auth = tokenPushAuth(issuer.realm, issuer.service, 'bench', 'bench-pass');
    const tags = Array.from({ length: TAGS }, (_, i) => day(i));
    const repositories = Array.from(
      { length: REPOSITORIES },
      (_, r) => `public/bench-${String(r).padStart(3, '0')}`,
    );
    await mkdir(path.join(project, 'content', 'images'), { recursive: true });
    let next = 0;
    const pushWorker = async (): Promise<void> => {
      for (let r = next++; r < repositories.length; r = next++) {
        const repository = repositories[r] as string;
        await pushCreatedImage(registry.host, repository, tags, '2024-01-01T00:00:00Z', auth);
        // Each image uses its repository's fifth tag, so every one has newer tags to find.
        await writeFile(
          path.join(project, 'content', 'images', `img-${String(r).padStart(3, '0')}.yaml`),
          `display_name: Image ${r}\nimage: ${registry.host}/${repository}:${tags[4]}\n`,
        );
      }
    };
    await Promise.all(Array.from({ length: 8 }, pushWorker));

    const skopeo = async (): Promise<void> => {
      for (const repository of repositories) {
        const { stdout } = await exec('skopeo', [
          'list-tags',
          '--tls-verify=false',
          `docker://${registry.host}/${repository}`,
        ]);
        if ((JSON.parse(stdout) as { Tags: string[] }).Tags.length !== TAGS)
          throw new Error(`skopeo: ${stdout}`);
      }
    };
    const env = Object.fromEntries(
      Object.entries(process.env).filter(([key]) => key !== 'CI' && !key.startsWith('CONFIGURATOR_')),
    );
    /** The CLI as one process, as `npx z2jh-configurator` runs it. */
    const outdated = async (): Promise<void> => {
      const { stdout } = await exec(
        process.execPath,
        [path.join(root, 'bin', 'z2jh-configurator.mjs'), '-C', project, 'outdated', '--json', '--no-cache'],
        {
          env: { ...env, NO_COLOR: '1', CONFIGURATOR_IMAGE_CHECK_CACHE: 'off' },
          maxBuffer: 64 * 1024 * 1024,
        },
      );
      const rows = JSON.parse(stdout) as { newer: string[] }[];
      if (rows.length !== REPOSITORIES || rows.some((r) => r.newer.length !== TAGS - 5)) {
        throw new Error(`outdated answered unexpectedly: ${stdout.slice(0, 500)}`);
      }
    };

    const skopeoRuns: number[] = [];
    const nodeRuns: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      nodeRuns.push(await time(outdated));
      skopeoRuns.push(await time(skopeo));
    }
    const a = median(skopeoRuns);
    const b = median(nodeRuns);
    console.log(
      `Freshness benchmark: ${REPOSITORIES} repositories x ${TAGS} tags on a loopback docker-registry with bearer-token auth.`,
    );
    console.log(`Median of ${RUNS} runs each, alternating, whole processes.`);
    console.log('');
    console.log(
      `${REPOSITORIES} x skopeo list-tags (one after another): ${ms(a)}  (runs: ${skopeoRuns.map(ms).join(', ')})`,
    );
    console.log(`1 x z2jh-configurator outdated --json: ${ms(b)}  (runs: ${nodeRuns.map(ms).join(', ')})`);
    console.log('');
    console.log(`ratio skopeo / outdated: ${(a / b).toFixed(1)}x (target: at least 20x)`);
  } finally {
    await registry.stop();
    await issuer.stop();
    await rm(project, { recursive: true, force: true });
  }
}

await main();
