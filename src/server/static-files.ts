import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.yaml': 'application/yaml; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

/** Paths whose names change with their content, so browsers may keep them for a year. */
const IMMUTABLE = [/\/_astro\//];

/**
 * Serves the built site's static files: the precompressed `.br`/`.gz` sibling when the client accepts it,
 * long-lived caching for versioned paths, revalidation for the rest. Returns false when no file matches.
 */
export function createStaticHandler(root: string, base: string) {
  const prefix = base.endsWith('/') ? base : `${base}/`;
  return async (request: IncomingMessage, response: ServerResponse): Promise<boolean> => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return false;
    const pathname = decodedPath(request.url);
    if (pathname === undefined) {
      response
        .writeHead(400, { 'Content-Type': 'text/plain; charset=utf-8' })
        .end('Bad request: the path is not valid URL encoding.\n');
      return true;
    }
    if (!pathname.startsWith(prefix) && `${pathname}/` !== prefix) return false;
    let relative = pathname.slice(prefix.length);
    if (relative === '' || relative.endsWith('/')) relative += 'index.html';
    let file = path.join(root, relative);
    if (!file.startsWith(root + path.sep)) return false;
    let info = await stat(file).catch(() => undefined);
    if (info?.isDirectory()) {
      file = path.join(file, 'index.html');
      info = await stat(file).catch(() => undefined);
    }
    if (!info?.isFile()) return false;
    const accepted = String(request.headers['accept-encoding'] ?? '');
    let body = file;
    let encoding: string | undefined;
    for (const [name, extension] of [
      ['br', '.br'],
      ['gzip', '.gz'],
    ] as const) {
      if (!new RegExp(`\\b${name}\\b`).test(accepted)) continue;
      const compressed = await stat(file + extension).catch(() => undefined);
      if (compressed?.isFile()) {
        body = file + extension;
        encoding = name;
        info = compressed;
        break;
      }
    }
    // A weak validator from size and time, so clients such as the hub's loader can revalidate with 304.
    const etag = `W/"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}${encoding ? `-${encoding}` : ''}"`;
    response.setHeader('ETag', etag);
    response.setHeader('Content-Type', TYPES[path.extname(file)] ?? 'application/octet-stream');
    response.setHeader('Content-Length', info.size);
    response.setHeader('Vary', 'Accept-Encoding');
    response.setHeader(
      'Cache-Control',
      IMMUTABLE.some((pattern) => pattern.test(pathname))
        ? 'public, max-age=31536000, immutable'
        : 'no-cache',
    );
    if (encoding) response.setHeader('Content-Encoding', encoding);
    if (request.headers['if-none-match'] === etag) {
      response.removeHeader('Content-Length');
      response.writeHead(304).end();
      return true;
    }
    if (request.method === 'HEAD') {
      response.end();
      return true;
    }
    await new Promise<void>((resolve, reject) => {
      createReadStream(body).on('error', reject).pipe(response).on('finish', resolve).on('error', reject);
    });
    return true;
  };
}

/** The request's path, percent-decoded; undefined when its encoding is broken (`/admin/%E0%A4%A`). */
function decodedPath(url: string | undefined): string | undefined {
  try {
    return decodeURIComponent(new URL(url ?? '/', 'http://x').pathname);
  } catch {
    return undefined;
  }
}
