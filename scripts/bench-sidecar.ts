// Benchmark: /profile_list.json requests per second and p99 latency with 64 concurrent clients, side by side
// with nginx (Debian) serving the same file from disk on this machine; and the time from a publish to the new
// JSON being served. Run: npm run bench:sidecar  (needs Debian's wrk and nginx)
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { chmod, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '../test/helpers/ports.ts';
import { emptyDist, freshRepoDir, saveFile } from '../test/helpers/sidecar.ts';

const root = path.resolve(import.meta.dirname, '..');
const DURATION = process.env['BENCH_SECONDS'] ?? '10';

function wrk(url: string): { rps: number; p50ms: number; p99ms: number } {
  const out = execFileSync('wrk', ['-t2', '-c64', `-d${DURATION}s`, '--latency', url], { encoding: 'utf8' });
  const ms = (label: string) => {
    const match = new RegExp(`${label}%\\s+([\\d.]+)(us|ms|s)`).exec(out);
    if (!match) throw new Error(`wrk output without ${label}%:\n${out}`);
    const value = Number(match[1]);
    return match[2] === 'us' ? value / 1000 : match[2] === 's' ? value * 1000 : value;
  };
  return { rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]), p50ms: ms('50'), p99ms: ms('99') };
}

async function waitFor(url: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if ((await fetch(url).catch(() => undefined))?.ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not answer`);
}

const children: ChildProcess[] = [];
try {
  // The sidecar, as its own process (as in the pod), over a fresh content repository.
  const repo = await freshRepoDir();
  const sidecarPort = await freePort();
  const sidecar = spawn(
    process.execPath,
    [path.join(root, 'bin', 'z2jh-configurator.mjs'), 'serve', '--dist', await emptyDist()],
    {
      cwd: root,
      env: {
        ...process.env,
        PORT: String(sidecarPort),
        CONFIGURATOR_CONTENT_REPO: repo,
        CONFIGURATOR_CHECK_IMAGES: 'false',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  children.push(sidecar);
  const sidecarUrl = `http://127.0.0.1:${sidecarPort}/`;
  await waitFor(`${sidecarUrl}healthz`);

  // nginx serving the very same bytes from disk.
  const site = await mkdtemp(path.join(tmpdir(), 'z2jh-nginx-'));
  await chmod(site, 0o755); // nginx's workers run as an unprivileged user
  await mkdir(path.join(site, 'html'));
  await writeFile(
    path.join(site, 'html', 'profile_list.json'),
    Buffer.from(await (await fetch(`${sidecarUrl}profile_list.json`)).arrayBuffer()),
  );
  const nginxPort = await freePort();
  await writeFile(
    path.join(site, 'nginx.conf'),
    `daemon off; worker_processes 1; pid ${site}/nginx.pid; error_log ${site}/error.log;
events { worker_connections 1024; }
http { access_log off; types { application/json json; } sendfile on; keepalive_requests 100000;
  server { listen 127.0.0.1:${nginxPort}; root ${site}/html; etag on; } }`,
  );
  const nginx = spawn('nginx', ['-c', path.join(site, 'nginx.conf'), '-p', site], { stdio: 'ignore' });
  children.push(nginx);
  const nginxUrl = `http://127.0.0.1:${nginxPort}/`;
  await waitFor(`${nginxUrl}profile_list.json`);

  console.error('wrk against the sidecar…');
  const ours = wrk(`${sidecarUrl}profile_list.json`);
  console.error('wrk against nginx…');
  const theirs = wrk(`${nginxUrl}profile_list.json`);

  // Publish → served: from sending a save to a GET that returns the new list.
  console.error('publish → served…');
  const server = { url: sidecarUrl, origin: new URL(sidecarUrl).origin };
  const delays: number[] = [];
  for (let i = 0; i < 20; i++) {
    const before = (await fetch(`${sidecarUrl}profile_list.json`)).headers.get('etag');
    const start = performance.now();
    const saved = await saveFile(
      server,
      'content/images/bench.yaml',
      `display_name: Bench ${i}\nimage: quay.io/org/bench:${i}\n`,
    );
    if (saved.status !== 200) throw new Error(JSON.stringify(saved.body));
    while ((await fetch(`${sidecarUrl}profile_list.json`)).headers.get('etag') === before) {
      /* poll until the new commit is served */
    }
    delays.push(performance.now() - start);
  }
  delays.sort((a, b) => a - b);
  const median = delays[Math.floor(delays.length / 2)]!;

  console.log(
    `/profile_list.json, wrk -t2 -c64 -d${DURATION}s on loopback (2 cores shared by server and load generator):`,
  );
  console.log(
    `  sidecar (Node, from memory): ${ours.rps.toFixed(0)} req/s, p50 ${ours.p50ms.toFixed(2)} ms, p99 ${ours.p99ms.toFixed(2)} ms`,
  );
  console.log(
    `  nginx (Debian, from disk):   ${theirs.rps.toFixed(0)} req/s, p50 ${theirs.p50ms.toFixed(2)} ms, p99 ${theirs.p99ms.toFixed(2)} ms`,
  );
  console.log(
    `  ratio sidecar/nginx: throughput ${(ours.rps / theirs.rps).toFixed(2)}, p99 latency ${(ours.p99ms / theirs.p99ms).toFixed(2)}`,
  );
  console.log(
    `publish → new JSON served: median ${median.toFixed(0)} ms, max ${delays.at(-1)!.toFixed(0)} ms over ${delays.length} saves (includes validating and committing the save)`,
  );
  if (process.argv.includes('--json'))
    console.log(
      JSON.stringify({ sidecar: ours, nginx: theirs, publishToServedMs: { median, max: delays.at(-1) } }),
    );
} finally {
  for (const child of children) child.kill('SIGTERM');
}
