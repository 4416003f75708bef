import { describe, it, expect } from 'vitest';
import {
  formatImageReference,
  manifestReference,
  normalizeImageReference,
  parseImageReference,
  registryApiHost,
  type ImageReference,
  type ImageReferenceProblem,
} from '../../src/lib/image-reference.ts';

const HEX64 = '0123456789abcdef'.repeat(4);
const HEX128 = HEX64.repeat(2);

function parsed(input: string): ImageReference {
  const result = parseImageReference(input);
  if (!result.ok) throw new Error(`expected ${input} to parse: ${result.problem.message}`);
  return result.reference;
}

function problem(input: string): ImageReferenceProblem {
  const result = parseImageReference(input);
  if (result.ok) throw new Error(`expected ${input} to fail, got ${JSON.stringify(result.reference)}`);
  return result.problem;
}

describe('parseImageReference: valid references', () => {
  const cases: [string, ImageReference][] = [
    [
      'quay.io/jupyter/scipy-notebook:2024-03-18',
      { domain: 'quay.io', path: 'jupyter/scipy-notebook', tag: '2024-03-18' },
    ],
    ['pangeo/pangeo-notebook:2026.04.29', { path: 'pangeo/pangeo-notebook', tag: '2026.04.29' }],
    ['ubuntu', { path: 'ubuntu' }],
    ['localhost:5000/a/b:1', { domain: 'localhost:5000', path: 'a/b', tag: '1' }],
    [`127.0.0.1:5000/x@sha256:${HEX64}`, { domain: '127.0.0.1:5000', path: 'x', digest: `sha256:${HEX64}` }],
    ['[::1]:5000/x:y', { domain: '[::1]:5000', path: 'x', tag: 'y' }],
    [`a/b:t@sha256:${HEX64}`, { path: 'a/b', tag: 't', digest: `sha256:${HEX64}` }],
    [
      'registry.example.com/a__b/c-d.e:v1.0_x',
      { domain: 'registry.example.com', path: 'a__b/c-d.e', tag: 'v1.0_x' },
    ],
    ['localhost/x', { domain: 'localhost', path: 'x' }],
    ['localhost:5000/x', { domain: 'localhost:5000', path: 'x' }],
    ['[fe80::1]/x', { domain: '[fe80::1]', path: 'x' }],
    ['Registry.Example.com/x:Tag', { domain: 'Registry.Example.com', path: 'x', tag: 'Tag' }],
    ['Jupyter/x:1', { domain: 'Jupyter', path: 'x', tag: '1' }],
    ['my-registry.io:443/a---b/c_d/e:_', { domain: 'my-registry.io:443', path: 'a---b/c_d/e', tag: '_' }],
    [`x@sha512:${HEX128}`, { path: 'x', digest: `sha512:${HEX128}` }],
    [
      'x@multihash+base58:QmRZxt2b1FVZPNqd8hsiykDL3TdBDeTSPX9Kv46HmX4Gx8',
      {
        path: 'x',
        digest: 'multihash+base58:QmRZxt2b1FVZPNqd8hsiykDL3TdBDeTSPX9Kv46HmX4Gx8',
      },
    ],
    [`x:${'t'.repeat(128)}`, { path: 'x', tag: 't'.repeat(128) }],
  ];
  it.each(cases)('%s', (input, expected) => {
    const reference = parsed(input);
    expect(reference).toStrictEqual(expected);
    expect(formatImageReference(reference)).toBe(input);
  });

  it('omits absent parts instead of setting them to undefined', () => {
    expect(Object.keys(parsed('ubuntu'))).toEqual(['path']);
  });

  it('accepts a name of exactly 255 characters (normalised)', () => {
    const path = `a/${'b'.repeat(255 - 'docker.io/a/'.length)}`;
    expect(parsed(path).path).toBe(path);
  });
});

describe('parseImageReference: invalid references', () => {
  const cases: [string, ImageReferenceProblem['code']][] = [
    ['', 'ImageEmpty'],
    [' quay.io/a:b', 'ImageHasSpaces'],
    ['quay.io/a:b ', 'ImageHasSpaces'],
    ['quay.io/a:b\n', 'ImageHasSpaces'],
    ['quay.io/a:bad tag', 'ImageHasSpaces'],
    ['quay.io/Jupyter/x:1', 'ImageUppercase'],
    ['Ubuntu', 'ImageUppercase'],
    ['jupyter/Scipy:1', 'ImageUppercase'],
    ['quay.io/a:', 'ImageEmptyTag'],
    ['quay.io/a:bad!tag', 'ImageBadTag'],
    ['quay.io/a:.tag', 'ImageBadTag'],
    ['quay.io/a:-tag', 'ImageBadTag'],
    [`quay.io/a:${'t'.repeat(129)}`, 'ImageBadTag'],
    ['quay.io/a@sha256:abc', 'ImageBadDigest'],
    ['quay.io/a@md5', 'ImageBadDigest'],
    [`quay.io/a@sha256:${HEX64.toUpperCase()}`, 'ImageBadDigest'],
    [`quay.io/a@sha256:${HEX64}0`, 'ImageBadDigest'],
    [`quay.io/a@sha512:${HEX64}`, 'ImageBadDigest'],
    [`quay.io/a@SHA256:${HEX64}`, 'ImageBadDigest'],
    [`quay.io/a@sha256+:${HEX64}`, 'ImageBadDigest'],
    ['quay.io/a@', 'ImageBadDigest'],
    [`quay.io/a@sha256:${HEX64}@sha256:${HEX64}`, 'ImageBadDigest'],
    ['a//b:1', 'ImageBadName'],
    ['-a/b:1', 'ImageBadName'],
    ['a/b-:1', 'ImageBadName'],
    ['a/b/:1', 'ImageBadName'],
    ['/a', 'ImageBadName'],
    ['a..b', 'ImageBadName'],
    ['a___b', 'ImageBadName'],
    ['a._b', 'ImageBadName'],
    ['a/b!c', 'ImageBadName'],
    [':tag', 'ImageBadName'],
    [`@sha256:${HEX64}`, 'ImageBadName'],
    ['a:b:c', 'ImageBadName'],
    ['quay..io/a', 'ImageBadName'],
    ['-quay.io/a', 'ImageBadName'],
    ['quay.io-/a', 'ImageBadName'],
    ['quay_io.com/a', 'ImageBadName'],
    ['quay.io:/a', 'ImageBadName'],
    ['quay.io:80a/a', 'ImageBadName'],
    ['[::1/a', 'ImageBadName'],
    ['[zz]:5000/a', 'ImageBadName'],
    ['[::1]x/a', 'ImageBadName'],
    [HEX64, 'ImageBadName'],
    [`quay.io/${'a'.repeat(300)}:1`, 'ImageNameTooLong'],
    [`a/${'b'.repeat(256 - 'docker.io/a/'.length)}`, 'ImageNameTooLong'],
    ['a'.repeat(250), 'ImageNameTooLong'],
  ];
  it.each(cases)('%j → %s', (input, code) => {
    const found = problem(input);
    expect(found.code).toBe(code);
    expect(found.message).not.toBe('');
    expect(found.hint).not.toBe('');
  });

  it('quotes the reference in the message and cuts long input to 80 characters', () => {
    expect(problem('quay.io/a:').message).toContain('"quay.io/a:"');
    const long = `quay.io/${'a'.repeat(300)}:1`;
    expect(problem(long).message).toContain(`"${long.slice(0, 80)}…"`);
    expect(problem(long).message).not.toContain(long.slice(0, 81));
  });

  it('makes whitespace visible in the message', () => {
    expect(problem('a:b\t').message).toContain('"a:b\\t"');
  });

  it('suggests the lower-case name', () => {
    expect(problem('quay.io/Jupyter/x:1').hint).toContain('"quay.io/jupyter/x"');
  });

  it('never emits ImageMissingTag', () => {
    expect(parseImageReference('quay.io/a').ok).toBe(true);
  });
});

describe('parseImageReference: no backtracking on long input', () => {
  it.each([
    ['a x 100k', 'a'.repeat(100_000)],
    ['a: x 50k', 'a:'.repeat(50_000)],
    ['a- x 50k + !', `${'a-'.repeat(50_000)}!`],
    ['a. x 50k + /', `${'a.'.repeat(50_000)}/`],
    ['a/ x 50k', `${'a/'.repeat(50_000)}a:1`],
    ['long tag', `a:${'t'.repeat(100_000)}`],
    ['long digest', `a@sha256:${'a'.repeat(100_000)}`],
    ['long host', `${'a.'.repeat(50_000)}io/x`],
  ])('%s returns a problem', (_label, input) => {
    expect(parseImageReference(input).ok).toBe(false);
  });
});

describe('normalizeImageReference', () => {
  const cases: [string, string][] = [
    ['ubuntu', 'docker.io/library/ubuntu'],
    ['ubuntu:24.04', 'docker.io/library/ubuntu:24.04'],
    ['jupyter/x:1', 'docker.io/jupyter/x:1'],
    ['index.docker.io/x', 'docker.io/library/x'],
    ['index.docker.io/jupyter/x', 'docker.io/jupyter/x'],
    ['docker.io/x', 'docker.io/library/x'],
    ['docker.io/library/x', 'docker.io/library/x'],
    ['quay.io/x', 'quay.io/x'],
    ['localhost:5000/x', 'localhost:5000/x'],
    [`a/b:t@sha256:${HEX64}`, `docker.io/a/b:t@sha256:${HEX64}`],
  ];
  it.each(cases)('%s → %s', (input, expected) => {
    const normalized = normalizeImageReference(parsed(input));
    expect(formatImageReference(normalized)).toBe(expected);
  });

  it('gives the normalised parts and does not modify its argument', () => {
    const reference = parsed('jupyter/x:1');
    expect(normalizeImageReference(reference)).toStrictEqual({
      domain: 'docker.io',
      path: 'jupyter/x',
      tag: '1',
    });
    expect(normalizeImageReference(parsed('ubuntu'))).toStrictEqual({
      domain: 'docker.io',
      path: 'library/ubuntu',
    });
    expect(reference).toStrictEqual({ path: 'jupyter/x', tag: '1' });
  });
});

describe('registryApiHost', () => {
  it('maps Docker Hub to its API host', () => {
    expect(registryApiHost('docker.io')).toBe('registry-1.docker.io');
  });
  it('leaves other registries alone', () => {
    expect(registryApiHost('quay.io')).toBe('quay.io');
    expect(registryApiHost('localhost:5000')).toBe('localhost:5000');
  });
});

describe('manifestReference', () => {
  it('prefers the digest over the tag', () => {
    expect(manifestReference(parsed(`a/b:t@sha256:${HEX64}`))).toBe(`sha256:${HEX64}`);
  });
  it('uses the tag when there is no digest', () => {
    expect(manifestReference(parsed('a/b:t'))).toBe('t');
  });
  it('defaults to latest', () => {
    expect(manifestReference(parsed('a/b'))).toBe('latest');
  });
});

describe('formatImageReference', () => {
  it('joins the parts', () => {
    expect(
      formatImageReference({ domain: 'quay.io', path: 'a/b', tag: '1', digest: `sha256:${HEX64}` }),
    ).toBe(`quay.io/a/b:1@sha256:${HEX64}`);
    expect(formatImageReference({ path: 'a' })).toBe('a');
  });
});
