import { describe, expect, it } from 'vitest';
import { parseChallenges } from '../../src/registry/challenge.ts';
import { mayReceiveCredentials } from '../../src/registry/connection.ts';
import { retryAfterMs } from '../../src/registry/http.ts';
import { createLimiter } from '../../src/registry/limiter.ts';
import { allowsPlainHttp, resolveTarget } from '../../src/registry/target.ts';

const DIGEST = `sha256:${'ab'.repeat(32)}`;

describe('resolveTarget: Docker normalisation and the request to make', () => {
  it.each([
    [
      'ubuntu',
      'docker.io',
      'registry-1.docker.io',
      'library/ubuntu',
      'latest',
      'docker.io/library/ubuntu:latest',
    ],
    [
      'docker.io/ubuntu:22.04',
      'docker.io',
      'registry-1.docker.io',
      'library/ubuntu',
      '22.04',
      'docker.io/library/ubuntu:22.04',
    ],
    [
      'pangeo/pangeo-notebook:2024.05.03',
      'docker.io',
      'registry-1.docker.io',
      'pangeo/pangeo-notebook',
      '2024.05.03',
      'docker.io/pangeo/pangeo-notebook:2024.05.03',
    ],
    [
      'index.docker.io/jupyter/base-notebook',
      'docker.io',
      'registry-1.docker.io',
      'jupyter/base-notebook',
      'latest',
      'docker.io/jupyter/base-notebook:latest',
    ],
    [
      'quay.io/jupyter/scipy-notebook:2024-03-18',
      'quay.io',
      'quay.io',
      'jupyter/scipy-notebook',
      '2024-03-18',
      'quay.io/jupyter/scipy-notebook:2024-03-18',
    ],
    [`ghcr.io/org/img:1.0@${DIGEST}`, 'ghcr.io', 'ghcr.io', 'org/img', DIGEST, `ghcr.io/org/img@${DIGEST}`],
    ['localhost:5000/a/b:c', 'localhost:5000', 'localhost:5000', 'a/b', 'c', 'localhost:5000/a/b:c'],
    ['[::1]:5000/a:b', '[::1]:5000', '[::1]:5000', 'a', 'b', '[::1]:5000/a:b'],
  ])('%s → %s, API at %s, %s, %s', (input, domain, apiHost, repository, reference, key) => {
    const resolved = resolveTarget(input);
    expect(resolved.ok).toBe(true);
    if (resolved.ok) expect(resolved.target).toMatchObject({ domain, apiHost, repository, reference, key });
  });

  it('keeps the tag in the canonical form but asks by digest', () => {
    const resolved = resolveTarget(`ghcr.io/org/img:1.0@${DIGEST}`);
    expect(resolved.ok && resolved.target.canonical).toBe(`ghcr.io/org/img:1.0@${DIGEST}`);
  });

  it.each([
    'a'.repeat(100_000) + '!',
    'a-'.repeat(50_000) + '_',
    'a/'.repeat(50_000),
    `x:${'9'.repeat(99_998)}`,
    '@'.repeat(100_000),
  ])('answers a 100,000-character input without backtracking (%#)', (input) => {
    // Linear parsing takes milliseconds here; quadratic work on 100,000 characters (10^10 steps) or catastrophic
    // backtracking takes minutes. The bound sits between the two, far from either, so a loaded machine does not
    // make it flaky.
    const started = performance.now();
    const resolved = resolveTarget(input);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(resolved.ok).toBe(false);
  });
});

describe('plain HTTP only where Docker allows it', () => {
  it.each([
    ['127.0.0.1:5000', [], true],
    ['127.4.5.6', [], true],
    ['localhost:5000', [], true],
    ['[::1]:5000', [], true],
    ['quay.io', [], false],
    ['registry.internal:5000', ['registry.internal:5000'], true],
    ['registry.internal:5000', ['registry.internal'], true],
    ['registry.internal:5001', ['registry.internal:5000'], false],
    ['128.0.0.1:5000', [], false],
  ] as const)('%s with insecure %j → %s', (host, insecure, expected) => {
    expect(allowsPlainHttp(host, insecure)).toBe(expected);
  });
});

describe('WWW-Authenticate', () => {
  it('reads the Docker Hub challenge, with a quoted scope that holds commas', () => {
    expect(
      parseChallenges(
        'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:samalba/my-app:pull,push"',
      ),
    ).toEqual([
      {
        scheme: 'bearer',
        params: {
          realm: 'https://auth.docker.io/token',
          service: 'registry.docker.io',
          scope: 'repository:samalba/my-app:pull,push',
        },
      },
    ]);
  });

  it('reads several challenges in one header, and escaped quotes', () => {
    const header =
      'Bearer realm="https://x/v2/token",service="container_registry",scope="*",Basic realm="a \\"b\\"",service="c"';
    expect(parseChallenges(header)).toEqual([
      {
        scheme: 'bearer',
        params: { realm: 'https://x/v2/token', service: 'container_registry', scope: '*' },
      },
      { scheme: 'basic', params: { realm: 'a "b"', service: 'c' } },
    ]);
  });

  it('reads an insufficient_scope answer and survives garbage in linear time', () => {
    expect(parseChallenges('Bearer realm="r",error="insufficient_scope"')[0]?.params['error']).toBe(
      'insufficient_scope',
    );
    const started = performance.now();
    parseChallenges(`Bearer ${'a=,"'.repeat(25_000)}`);
    parseChallenges('"'.repeat(100_000));
    // Milliseconds when linear; minutes when quadratic or backtracking (see above).
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe('Retry-After', () => {
  it('reads seconds and HTTP dates, and ignores what it cannot read', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(retryAfterMs('7', now)).toBe(7000);
    expect(retryAfterMs('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30_000);
    expect(retryAfterMs('Wed, 31 Dec 2025 00:00:00 GMT', now)).toBe(0);
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs(null, now)).toBeUndefined();
  });
});

describe('where credentials may go', () => {
  it.each([
    ['https://auth.docker.io/token', 'registry-1.docker.io', true],
    ['https://gitlab.com/jwt/auth', 'registry.gitlab.com', true],
    ['https://ghcr.io/token', 'ghcr.io', true],
    ['http://127.0.0.1:5059/token', '127.0.0.1:5058', true],
    ['https://evil.example/token', 'ghcr.io', false],
    ['http://127.0.0.1:5059/token', '10.0.0.1:5000', false],
  ] as const)('token realm %s for registry %s → %s', (realm, host, expected) => {
    expect(mayReceiveCredentials(realm, host)).toBe(expected);
  });
});

describe('the per-registry limiter', () => {
  it('never runs more than its limit, also when tasks finish and start in between', async () => {
    const limiter = createLimiter(2);
    let running = 0;
    let most = 0;
    const task = async (): Promise<void> => {
      running++;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, 1));
      running--;
    };
    await Promise.all(Array.from({ length: 20 }, () => limiter.run(task)));
    await Promise.all([limiter.run(task), limiter.run(task), limiter.run(task)]);
    expect(most).toBe(2);
    expect(limiter.active).toBe(0);
  });
});
