import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createStaticHandler } from '../../src/server/static-files.ts';

/** Serves a built site folder on a free loopback port with the project's own static handler (no API). */
export async function serveStatic(root: string): Promise<{ url: string; close: () => Promise<void> }> {
  const handle = createStaticHandler(root, '/');
  const server = createServer((request, response) => {
    void handle(request, response).then((served) => {
      if (!served) response.writeHead(404).end('not found');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
