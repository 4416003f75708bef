import { allowsPlainHttp } from './target.ts';
import type { Clock, Fetch } from './types.ts';

/** How requests are sent: injectable fetch and clock, limits, and where plain HTTP is allowed. */
export interface HttpContext {
  fetch: Fetch;
  clock: Clock;
  /** Per-request timeout. */
  timeoutMs: number;
  /** How often a 429 is retried after waiting. */
  maxRetries: number;
  /** The longest wait for one retry; a registry asking for more is reported as rate limited at once. */
  maxRetryWaitMs: number;
  insecureRegistries: readonly string[];
  userAgent: string;
}

/** Shared by every request to one registry: a 429 pauses them all until Retry-After has passed. */
export interface RequestGate {
  pausedUntil: number;
}

/** One request; `authorization` is only ever sent to the origin of `url`. */
export interface RequestSpec {
  method: 'GET' | 'HEAD';
  url: URL;
  headers?: Record<string, string>;
  authorization?: string;
}

/** A response, or why there is none. A final 429 carries the seconds the registry asked to wait. */
export type SendResult =
  { ok: true; response: Response; url: URL; retryAfterSeconds?: number } | { ok: false; failure: string };

const MAX_REDIRECTS = 5;

/**
 * Sends a request: follows up to 5 redirects itself (dropping `Authorization` when the origin changes, refusing a
 * redirect to plain HTTP where Docker would not use it), waits and retries on 429 as `Retry-After` asks, times out.
 */
export async function send(context: HttpContext, gate: RequestGate, spec: RequestSpec): Promise<SendResult> {
  for (let attempt = 0; ; attempt++) {
    const wait = gate.pausedUntil - context.clock.now();
    if (wait > 0) await context.clock.sleep(wait);
    const result = await followRedirects(context, spec);
    if (!result.ok || result.response.status !== 429) return result;
    const waitMs =
      retryAfterMs(result.response.headers.get('retry-after'), context.clock.now()) ?? 1000 * 2 ** attempt;
    const seconds = Math.ceil(waitMs / 1000);
    if (attempt >= context.maxRetries || waitMs > context.maxRetryWaitMs) {
      return { ...result, retryAfterSeconds: seconds };
    }
    gate.pausedUntil = Math.max(gate.pausedUntil, context.clock.now() + waitMs);
  }
}

async function followRedirects(context: HttpContext, spec: RequestSpec): Promise<SendResult> {
  let url = spec.url;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    const headers: Record<string, string> = { 'User-Agent': context.userAgent, ...spec.headers };
    if (spec.authorization !== undefined && url.origin === spec.url.origin)
      headers['Authorization'] = spec.authorization;
    let response: Response;
    try {
      response = await context.fetch(url, {
        method: spec.method,
        headers,
        redirect: 'manual',
        signal: AbortSignal.timeout(context.timeoutMs),
      });
    } catch (problem) {
      return { ok: false, failure: describeFailure(problem, url, context.timeoutMs) };
    }
    const location = response.headers.get('location');
    if (response.status < 300 || response.status >= 400 || location === null)
      return { ok: true, response, url };
    await response.body?.cancel();
    const next = new URL(location, url);
    if (
      next.protocol !== 'https:' &&
      !(next.protocol === 'http:' && allowsPlainHttp(next.host, context.insecureRegistries))
    ) {
      return {
        ok: false,
        failure: `${url.host} redirected to ${next.protocol}//${next.host}, which is not HTTPS`,
      };
    }
    url = next;
  }
  return { ok: false, failure: `${spec.url.host} redirected more than ${MAX_REDIRECTS} times` };
}

/** `Retry-After` in milliseconds from now: delay-seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now: number): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Turns a fetch rejection into words: timeout, refused connection, unknown host, TLS. */
export function describeFailure(problem: unknown, url: URL, timeoutMs: number): string {
  const error = problem as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (error.name === 'TimeoutError' || error.name === 'AbortError') {
    return `${url.host} did not answer within ${timeoutMs / 1000} s`;
  }
  const code = error.cause?.code;
  if (code === 'ECONNREFUSED') return `${url.host} refused the connection (nothing listens there)`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return `the host name ${url.hostname} could not be resolved`;
  if (code === 'ECONNRESET') return `${url.host} closed the connection`;
  const detail = error.cause?.message ?? error.message ?? String(problem);
  return `${url.protocol}//${url.host} could not be reached (${code === undefined ? detail : `${code}: ${detail}`})`;
}
