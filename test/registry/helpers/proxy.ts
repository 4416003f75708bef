import { createServer, request as forward, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request the proxy saw. */
export interface SeenRequest {
  method: string;
  path: string;
  authorization?: string;
}

/** A loopback HTTP server in front of a real registry, to see, delay or answer requests itself. */
export interface TestProxy {
  host: string;
  requests: SeenRequest[];
  /** The most requests that were in flight at once. */
  maxInFlight: number;
  stop(): Promise<void>;
}

/** Answers a request itself (returns true) or lets it through to the registry (false). */
export type Intercept = (request: IncomingMessage, response: ServerResponse, index: number) => boolean;

/** Starts a proxy to `target` (`127.0.0.1:<port>`); `delayMs` holds each forwarded request that long. */
export async function startProxy(
  target: string,
  options: { intercept?: Intercept; delayMs?: number } = {},
): Promise<TestProxy> {
  const [hostname, port] = target.split(':');
  const requests: SeenRequest[] = [];
  let inFlight = 0;
  const proxy: TestProxy = { host: '', requests, maxInFlight: 0, stop: async () => {} };
  const server = createServer((request, response) => {
    const index = requests.length;
    requests.push({
      method: request.method ?? 'GET',
      path: request.url ?? '/',
      ...(request.headers.authorization === undefined
        ? {}
        : { authorization: request.headers.authorization }),
    });
    if (options.intercept?.(request, response, index)) return;
    inFlight++;
    proxy.maxInFlight = Math.max(proxy.maxInFlight, inFlight);
    const done = (): void => {
      inFlight--;
    };
    setTimeout(() => {
      const upstream = forward(
        { hostname, port: Number(port), method: request.method, path: request.url, headers: request.headers },
        (answer) => {
          response.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(response);
          answer.on('end', done);
        },
      );
      upstream.on('error', () => {
        done();
        response.writeHead(502).end();
      });
      request.pipe(upstream);
    }, options.delayMs ?? 0);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.stop = async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return proxy;
}
