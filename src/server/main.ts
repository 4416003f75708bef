import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { SourceFile } from '../lib/catalog.ts';
import { CONTENT_FOLDERS } from '../lib/catalog.ts';
import type { Issue } from '../lib/issues.ts';
import { parseYamlDocument } from '../lib/documents.ts';
import type { ValidateOptions } from '../lib/validate.ts';
import { createImageChecker, readRegistrySettings, type ImageChecker } from '../registry/index.ts';
import { createApp } from './app.ts';
import { createFreshnessService, type FreshnessSettings } from './freshness.ts';
import { createHubAuth } from './auth.ts';
import { createHubFacts } from './hub-facts.ts';
import { createUsageSnapshots } from './usage-snapshots.ts';
import type { ServerConfig } from './config.ts';
import { ensureContentRepo } from './git/init.ts';
import { removeStaleScratchFolders } from './git/scratch.ts';
import { GitStore } from './git-store.ts';
import { LiveContent } from './live.ts';
import { createWriteQueue } from './content-api.ts';
import { createHostCheck, wrongHostMessage } from './host-check.ts';
import { setSecurityHeaders } from './security-headers.ts';
import { createStaticHandler } from './static-files.ts';

/** What the server needs to start. */
export interface ServeOptions {
  /** The built site (`dist/`), with `client/`. */
  distDir: string;
  config: ServerConfig;
  /** Content to start a new repository with. */
  sampleContent: string;
  validate?: ValidateOptions;
  /** Check images against their registries before a save that adds or changes one. */
  checkImages?: boolean;
  /** The periodic image freshness check (off unless given with an interval). */
  freshness?: FreshnessSettings;
  log?: (line: string) => void;
}

/** A running server. */
export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

/**
 * Starts the server: the outputs of the newest valid commit (live, from memory), the content API and history
 * over git, JupyterHub login in hub mode, and the built site's static files.
 */
export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const { config } = options;
  const log = options.log ?? ((line: string) => console.log(line));
  const built = JSON.parse(
    await readFile(path.join(options.distDir, 'configurator-build.json'), 'utf8').catch(() => '{}'),
  ) as {
    base?: string;
  };
  if (built.base !== undefined && built.base !== config.base) {
    throw new Error(
      `The site in ${options.distDir} was built for the base path ${built.base}, but the server runs at ${config.base}. ` +
        `Rebuild it: CONFIGURATOR_BASE=${config.base} z2jh-configurator build`,
    );
  }
  const { created } = await ensureContentRepo(config.contentRepo, options.sampleContent);
  if (created) log(`Created the content repository ${config.contentRepo} from the sample content.`);
  const validate = { ...options.validate };
  const store = new GitStore(config.contentRepo);
  // A crash may have left a commit's scratch folder behind, or the checked-out files behind main.
  await removeStaleScratchFolders();
  await store.repairWorktree();
  const live = new LiveContent(store.repo, { validate, log });
  const hubFacts = createHubFacts(config.hub);
  const usageSnapshots = createUsageSnapshots(config.contentRepo);
  store.onPublish = async (commit) => {
    usageSnapshots.record(commit, hubFacts.usageNow());
    await live.refresh();
    live.confirmServed(commit);
  };
  await live.start();
  // One checker for the server's life: its token and result caches serve the save gate and the editor.
  const checker = createImageChecker({ settings: readRegistrySettings(process.env).settings });
  const auth = config.hub
    ? createHubAuth({ hub: config.hub, secret: config.sessionSecret, adminGroups: config.adminGroups })
    : undefined;
  const queue = createWriteQueue();
  const freshness = createFreshnessService({
    checker,
    store,
    ...(config.workflow ? { workflow: store } : {}),
    validate,
    settings: options.freshness ?? { intervalSeconds: 0, openDrafts: false },
    queue,
    log,
  });
  hubFacts.warm();
  const app = createApp({
    config,
    hubFacts,
    usageSnapshots,
    store,
    live,
    ...(auth ? { auth } : {}),
    validate,
    ...(options.checkImages ? { beforeWrite: createImageGate(checker) } : {}),
    checkImage: (reference: string) => checker.check(reference),
    freshness: { service: freshness, checker },
    queue,
  });
  const serveStatic = createStaticHandler(path.join(options.distDir, 'client'), config.base);
  let listeningPort = config.port;
  const outputs: Record<string, { body: 'json' | 'yaml'; type: string }> = {
    [`${config.base}profile_list.json`]: { body: 'json', type: 'application/json; charset=utf-8' },
    [`${config.base}values.yaml`]: { body: 'yaml', type: 'application/yaml; charset=utf-8' },
  };

  const hostAllowed = createHostCheck(config, () => listeningPort);
  const server = createServer((request, response) => {
    const pathname = (request.url ?? '/').split('?')[0] ?? '/';
    setSecurityHeaders(response, pathname, config.base);
    if (!hostAllowed(request.headers.host)) {
      response
        .writeHead(421, { 'Content-Type': 'text/plain; charset=utf-8' })
        .end(wrongHostMessage(config, listeningPort));
      return;
    }
    const output = outputs[pathname];
    if (output && config.publicOutputs && (request.method === 'GET' || request.method === 'HEAD')) {
      serveOutput(request, response, output);
      return;
    }
    handle(request, response).catch((problem: unknown) => {
      console.error('request failed:', problem);
      if (!response.headersSent)
        response.writeHead(500, { 'Content-Type': 'text/plain' }).end('Internal error\n');
    });
  });

  /** The hot path: bytes computed once per commit, with an ETag per commit. */
  function serveOutput(
    request: IncomingMessage,
    response: ServerResponse,
    output: { body: 'json' | 'yaml'; type: string },
  ): void {
    const current = live.current();
    if (!current) {
      response
        .writeHead(503, { 'Content-Type': 'text/plain' })
        .end('No valid content has been published yet.\n');
      return;
    }
    const etag = `"${current.commit}-${output.body}"`;
    const headers = { ETag: etag, 'Cache-Control': 'no-cache', 'X-Content-Commit': current.commit };
    if (request.headers['if-none-match'] === etag) {
      response.writeHead(304, headers).end();
      return;
    }
    const body = output.body === 'json' ? current.json : current.yaml;
    response.writeHead(200, { ...headers, 'Content-Type': output.type, 'Content-Length': body.length });
    response.end(request.method === 'HEAD' ? undefined : body);
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const webRequest = toWebRequest(request);
    const answer = await app(webRequest);
    if (answer) return sendWebResponse(answer, response);
    if (await serveStatic(request, response)) return;
    response.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found\n');
  }

  // Keep idle connections longer than the proxy in front (CHP) and clients do, so a reused socket is never
  // closed under a request (Node's default of 5 s races with keep-alive clients).
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  await new Promise<void>((resolve, reject) =>
    server.once('error', reject).listen(config.port, config.host, resolve),
  );
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  listeningPort = port;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}${config.base}`;
  return {
    url,
    close: () =>
      new Promise((resolve) => {
        live.stop();
        freshness.stop();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Refuses saves that add or change an image the registry says does not exist. */
function createImageGate(
  checker: ImageChecker,
): (change: { files: SourceFile[]; current: SourceFile[] }) => Promise<Issue[]> {
  return async ({ files, current }) => {
    const issues: Issue[] = [];
    for (const file of files) {
      if (!file.path.includes(`/${CONTENT_FOLDERS.images}/`)) continue;
      const reference = imageOf(file.text);
      const before = current.find((f) => f.path === file.path);
      if (!reference || (before && imageOf(before.text) === reference)) continue;
      const result = await checker.check(reference, { refresh: true });
      if (result.status === 'not-found') {
        issues.push({
          code: 'ImageNotFound',
          severity: 'error',
          file: file.path,
          field: 'image',
          message: `The registry says ${reference} does not exist: ${result.message}`,
          hint: 'check the repository name and the tag (it is case-sensitive); push the image first if it is new.',
        });
      }
    }
    return issues;
  };
}

function imageOf(text: string): string | undefined {
  const data = parseYamlDocument('image.yaml', text).document?.data as { image?: unknown } | undefined;
  return typeof data?.image === 'string' ? data.image.trim() : undefined;
}

function toWebRequest(request: IncomingMessage): Request {
  const host = request.headers.host ?? 'localhost';
  const headers = new Headers();
  for (const [key, value] of Object.entries(request.headers)) {
    if (Array.isArray(value)) value.forEach((v) => headers.append(key, v));
    else if (value !== undefined) headers.set(key, value);
  }
  const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
  return new Request(`http://${host}${request.url ?? '/'}`, {
    method: request.method ?? 'GET',
    headers,
    ...(hasBody ? { body: Readable.toWeb(request) as ReadableStream, duplex: 'half' } : {}),
  } as RequestInit);
}

async function sendWebResponse(answer: Response, response: ServerResponse): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  answer.headers.forEach((value, key) => {
    if (key !== 'set-cookie') headers[key] = value;
  });
  const cookies = answer.headers.getSetCookie();
  if (cookies.length > 0) headers['set-cookie'] = cookies;
  response.writeHead(answer.status, headers);
  response.end(Buffer.from(await answer.arrayBuffer()));
}
