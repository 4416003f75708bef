// Benchmark: time from navigation to an editable /admin, cold and warm cache, and bytes transferred, side by
// side with the baseline the issue names: Decap 3.16 served plainly (its stock bundle and stock proxy back end,
// uncompressed and uncached, with the same collections), including the click on its Login button.
// The time is the page's own: from the start of the navigation to the frame that draws the collection list (the
// baseline's includes the driver's Login click); the driver's wall clock (page.goto until Playwright sees the
// list, its polling and protocol round trips included) is printed beside it. Medians of BENCH_RUNS loads.
// Run: npm run bench:admin  (needs Debian's chromium)
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, BrowserContext, Request } from 'playwright-core';
import { launchChromium } from '../test/helpers/browser.ts';
import { copySampleProject } from '../test/helpers/project.ts';
import { startSite } from '../test/helpers/site-server.ts';

const RUNS = Number(process.env['BENCH_RUNS'] ?? '5');
const root = path.resolve(import.meta.dirname, '..');
/** Where the baseline serves Decap's stock bundle (node_modules/decap-cms/dist, as a site would copy it). */
const STOCK_PREFIX = '/decap-stock/';
const stockDist = path.join(root, 'node_modules', 'decap-cms', 'dist');

/**
 * Stock Decap: the built page's collections with Decap's own proxy back end, YAML format and string widgets in
 * place of this project's, no project code (so Decap shows its Login button).
 */
async function stockAdminPage(clientDir: string): Promise<string> {
  const html = await readFile(path.join(clientDir, 'admin', 'index.html'), 'utf8');
  const config = JSON.parse(/id="cms-config"[^>]*>([^<]*)</.exec(html)?.[1] ?? '{}', (key, value: unknown) =>
    key === 'format' && value === 'z2jh-yaml'
      ? 'yaml'
      : key === 'widget' && typeof value === 'string' && value.startsWith('z2jh-')
        ? 'string'
        : value,
  ) as Record<string, unknown>;
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Decap baseline</title></head><body>` +
    `<script>window.CMS_MANUAL_INIT = true;</script><script src="${STOCK_PREFIX}decap-cms.js"></script>` +
    `<script>initCMS({ config: ${JSON.stringify(config).replace(/</g, '\\u003c')} });</script></body></html>`
  );
}

/** Serves dist/client as a naive static host would (no compression, no cache headers), API calls proxied. */
async function startBaseline(clientDir: string, upstream: string): Promise<{ url: string; close(): void }> {
  const target = new URL(upstream);
  const stock = await stockAdminPage(clientDir);
  const server = createServer((req, res) => {
    const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    if (pathname === '/admin/' || pathname === '/admin/index.html') {
      res.writeHead(200, { 'Content-Type': 'text/html', 'Cache-Control': 'no-store' }).end(stock);
      return;
    }
    if (pathname.startsWith('/api/')) {
      const forward = httpRequest(
        {
          host: target.hostname,
          port: target.port,
          path: req.url,
          method: req.method,
          headers: { ...req.headers, host: target.host },
        },
        (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        },
      );
      req.pipe(forward);
      return;
    }
    const file = pathname.startsWith(STOCK_PREFIX)
      ? path.join(stockDist, path.basename(pathname))
      : path.join(clientDir, pathname.endsWith('/') ? `${pathname}index.html` : pathname);
    readFile(file)
      .then((body) => {
        const type = file.endsWith('.html')
          ? 'text/html'
          : file.endsWith('.js')
            ? 'text/javascript'
            : file.endsWith('.wasm')
              ? 'application/wasm'
              : 'application/octet-stream';
        res.writeHead(200, { 'Content-Type': type, 'Cache-Control': 'no-store' }).end(body);
      })
      .catch(() => res.writeHead(404).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, close: () => server.close() };
}

/** One load: ms from navigation start to the collection list (in the page), the driver's wall clock, bytes. */
interface Sample {
  ms: number;
  wallMs: number;
  bytes: number;
}

/** One navigation until the editor lists its collections. */
async function measure(context: BrowserContext, url: string, throttle: boolean): Promise<Sample> {
  const page = await context.newPage();
  if (throttle) {
    // A modest hub network: 10 Mbit/s down, 40 ms round trip (Chromium throttles the bytes on the wire).
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 40,
      downloadThroughput: 10e6 / 8,
      uploadThroughput: 5e6 / 8,
    });
  }
  // Sizes are asked for once the page is ready: asking during the load would add protocol round trips to it.
  const finished: Request[] = [];
  page.on('requestfinished', (request) => finished.push(request));
  // The page notes when the collection list (its link to Profiles) is first drawn, in its own clock
  // (milliseconds since the navigation started), free of the driver's polling and round trips.
  await page.addInitScript(() => {
    const w = window as { benchReady?: number };
    const observer = new MutationObserver(() => {
      if (!document.querySelector('a[href="#/collections/profiles"]')) return;
      observer.disconnect();
      // The frame that draws it: the next animation frame, and the task right after its paint.
      requestAnimationFrame(() => {
        const channel = new MessageChannel();
        channel.port1.onmessage = () => (w.benchReady = performance.now());
        channel.port2.postMessage(null);
      });
    });
    observer.observe(document, { childList: true, subtree: true });
  });
  const start = performance.now();
  // Only until the navigation commits: the page's load event is not what an admin waits for.
  await page.goto(`${url}admin/`, { waitUntil: 'commit' });
  // Decap remembers the login in localStorage, so a warm visit goes straight to the collections.
  const login = page.getByRole('button', { name: 'Login' });
  const ready = page.getByRole('link', { name: 'Profiles' }).first();
  await login.or(ready).first().waitFor();
  if (await login.isVisible()) await login.click();
  await ready.waitFor();
  const wallMs = performance.now() - start;
  const ms = await page.evaluate(() => (window as { benchReady?: number }).benchReady ?? Number.NaN);
  const sizes = finished.map((request) =>
    request.sizes().then(
      (s) => s.responseBodySize + s.responseHeadersSize,
      () => 0,
    ),
  );
  const bytes = (await Promise.all(sizes)).reduce((a, b) => a + b, 0);
  await page.close();
  return { ms, wallMs, bytes };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** Medians of cold loads (a new browser context each) and of warm ones (the same context again). */
async function run(browser: Browser, url: string, throttle: boolean): Promise<Record<Visit, Sample>> {
  const samples: Record<Visit, Sample[]> = { cold: [], warm: [] };
  for (let i = 0; i < RUNS; i++) {
    const context = await browser.newContext();
    for (const visit of VISITS) samples[visit].push(await measure(context, url, throttle));
    await context.close();
  }
  const medians = (list: Sample[]): Sample => ({
    ms: median(list.map((r) => r.ms)),
    wallMs: median(list.map((r) => r.wallMs)),
    bytes: median(list.map((r) => r.bytes)),
  });
  return { cold: medians(samples.cold), warm: medians(samples.warm) };
}

type Visit = 'cold' | 'warm';
const VISITS: Visit[] = ['cold', 'warm'];
/** The table's rows: what each measures and how it prints. */
const METRICS: [keyof Sample, string, (value: number) => string][] = [
  ['ms', 'ms to list (page clock)', (v) => v.toFixed(0)],
  ['wallMs', 'driver wall clock, ms', (v) => v.toFixed(0)],
  ['bytes', 'bytes transferred', (v) => `${(v / 1e6).toFixed(2)} MB`],
];

const project = await copySampleProject();
const site = await startSite(project, 'dist-bench-admin');
const baseline = await startBaseline(path.join(root, 'test-results', 'dist-bench-admin', 'client'), site.url);
const browser = await launchChromium();
try {
  const results: Record<string, unknown> = {};
  // BENCH_THROTTLED=0 measures plain loopback only (half the time, for quick comparisons).
  for (const throttle of process.env['BENCH_THROTTLED'] === '0' ? [false] : [false, true]) {
    const ours = await run(browser, site.url, throttle);
    const base = await run(browser, baseline.url, throttle);
    results[throttle ? 'throttled' : 'loopback'] = { ours, baseline: base };
    const rows = [
      ['', 'this project (no Login click)', 'stock Decap 3.16 (plain, + Login click)', 'baseline/ours'],
      ...VISITS.flatMap((visit) =>
        METRICS.map(([key, label, show]) => [
          `${visit}: ${label}`,
          show(ours[visit][key]),
          show(base[visit][key]),
          (base[visit][key] / ours[visit][key]).toFixed(2),
        ]),
      ),
    ];
    console.log(
      `\n/admin load, ${RUNS} runs each (median), headless Chromium, ${throttle ? 'throttled to 10 Mbit/s, 40 ms RTT' : 'plain loopback'}:`,
    );
    for (const row of rows) console.log(row.map((cell, i) => cell.padEnd(i === 0 ? 30 : 40)).join(''));
  }
  if (process.argv.includes('--json')) console.log(JSON.stringify({ runs: RUNS, ...results }));
} finally {
  await browser.close();
  baseline.close();
  await site.stop();
}
