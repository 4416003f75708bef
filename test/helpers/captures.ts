import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fixturesRoot } from './content.ts';

/** One recorded request/response pair of Decap's proxy protocol (test/fixtures/decap-proxy-captures). */
export interface Capture {
  request: { action: string; params?: Record<string, unknown> };
  response: unknown;
  status: number;
}

/** Reads a capture file: `#` header lines, `POST <url>`, the request JSON, `--- response`, the response JSON, `[HTTP <status>]`. */
export async function readCapture(name: string): Promise<Capture> {
  const file = await readFile(path.join(fixturesRoot, 'decap-proxy-captures', `${name}.txt`), 'utf8');
  // Leading `#` lines name the capture's source and licence.
  const text = file.replace(/^(?:#.*\n)+/, '');
  const [head = '', tail = ''] = text.split('--- response');
  const request = JSON.parse(head.slice(head.indexOf('\n') + 1)) as Capture['request'];
  const status = Number(/\[HTTP (\d+)\]/.exec(tail)?.[1]);
  const body = tail.slice(0, tail.lastIndexOf('[HTTP')).trim();
  return { request, response: JSON.parse(body) as unknown, status };
}

/** The shape of a JSON value (types of every key, recursively), to compare answers with captured ones. */
export function shapeOf(value: unknown): unknown {
  if (value === null) return 'null';
  if (Array.isArray(value)) return value.length > 0 ? [shapeOf(value[0])] : [];
  if (typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .map(([k, v]) => [k, shapeOf(v)])
        .sort(),
    );
  }
  return typeof value;
}
