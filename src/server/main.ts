import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createStaticHandler } from './static-files.ts';

/** What the server needs to start. */
export interface ServeOptions {
  /** The built site (`dist/`), with `client/` and `server/entry.mjs`. */
  distDir: string;
  host: string;
  port: number;
  base: string;
}

type AstroHandler = (
  request: IncomingMessage,
  response: ServerResponse,
  next?: (error?: unknown) => void,
) => void;

/** Starts the site: static files (compressed, cached) first, then Astro's on-demand routes (the content API). */
export async function startServer(options: ServeOptions): Promise<{ url: string; close(): Promise<void> }> {
  process.env['ASTRO_NODE_AUTOSTART'] = 'disabled';
  const entry = pathToFileURL(path.join(options.distDir, 'server', 'entry.mjs')).href;
  const { handler } = (await import(entry)) as { handler: AstroHandler };
  const serveStatic = createStaticHandler(path.join(options.distDir, 'client'), options.base);
  const server = createServer((request, response) => {
    serveStatic(request, response)
      .then((served) => {
        if (!served) handler(request, response);
      })
      .catch((problem: unknown) => {
        console.error('request failed:', problem);
        if (!response.headersSent) response.writeHead(500).end('Internal error');
      });
  });
  await new Promise<void>((resolve, reject) =>
    server.once('error', reject).listen(options.port, options.host, resolve),
  );
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const url = `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}${options.base}`;
  return { url, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
