#!/usr/bin/env node
// Health check of the sidecar server, for the image's HEALTHCHECK and the hub pod's liveness probe.
//
//   node scripts/healthcheck.mjs          exit 0 when <base>healthz answers 200 {"status":"ok"}: a valid list is served
//   node scripts/healthcheck.mjs --live   exit 0 when the server answers at all (a 503 for invalid content too)
//
// The URL comes from the server's own environment: HOST and PORT (0.0.0.0 is checked on 127.0.0.1), and the
// base path CONFIGURATOR_BASE or JUPYTERHUB_SERVICE_PREFIX; HEALTHCHECK_URL overrides it. Plain JavaScript,
// so that a probe starts quickly. Exit 1 otherwise, with the reason on stderr.

const live = process.argv.includes('--live');
const timeoutMs = Number(process.env.HEALTHCHECK_TIMEOUT_MS ?? 5000);
const url = process.env.HEALTHCHECK_URL ?? healthUrl(process.env);

try {
  const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' });
  const text = await response.text();
  if (live) {
    console.log(`live: ${url} answered ${response.status}`);
    process.exit(0);
  }
  let status;
  try {
    status = JSON.parse(text).status;
  } catch {
    status = undefined;
  }
  if (response.status === 200 && status === 'ok') {
    console.log(`healthy: ${url}`);
    process.exit(0);
  }
  console.error(`unhealthy: ${url} answered ${response.status} ${text.slice(0, 300)}`);
  process.exit(1);
} catch (problem) {
  const reason =
    problem instanceof Error && problem.name === 'TimeoutError'
      ? `no answer within ${timeoutMs} ms`
      : describe(problem);
  console.error(`unhealthy: ${url}: ${reason}`);
  process.exit(1);
}

/** `http://<host>:<port><base>healthz` as the server listens, from its environment. */
function healthUrl(env) {
  const bound = env.HOST ?? '127.0.0.1';
  const host =
    bound === '0.0.0.0' || bound === ''
      ? '127.0.0.1'
      : bound === '::' || bound.includes(':')
        ? '[::1]'
        : bound;
  const port = env.PORT ?? '4321';
  let base = env.CONFIGURATOR_BASE ?? env.JUPYTERHUB_SERVICE_PREFIX ?? '/';
  if (!base.startsWith('/')) base = `/${base}`;
  if (!base.endsWith('/')) base = `${base}/`;
  return `http://${host}:${port}${base}healthz`;
}

function describe(problem) {
  const cause = problem instanceof Error && problem.cause instanceof Error ? problem.cause : problem;
  return cause instanceof Error ? cause.message : String(cause);
}
