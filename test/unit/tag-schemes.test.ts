import { describe, expect, it } from 'vitest';
import { inferScheme, newerTags, orderTagsForPicker } from '../../src/lib/freshness/tag-schemes.ts';

describe('tag schemes', () => {
  it.each([
    ['2024-03-18', { kind: 'date', prefix: '', suffix: '', date: '2024-03-18' }],
    ['20240318', { kind: 'compact-date', date: '2024-03-18' }],
    ['2026.04.29', { kind: 'calver', key: [2026, 4, 29] }],
    ['v5.2.0', { kind: 'semver', prefix: 'v', key: [5, 2, 0] }],
    ['5.2.0', { kind: 'semver', prefix: '' }],
    ['cuda12-2024-03-18', { kind: 'date', prefix: 'cuda12-' }],
    ['4.3-python3.11', { kind: 'semver', suffix: '-python3.11', key: [4, 3] }],
    ['5.2.0-rc1', { kind: 'semver', prerelease: true, suffix: '' }],
    ['1.0.0-alpine', { kind: 'semver', prerelease: false, suffix: '-alpine' }],
    ['42', { kind: 'number', key: [42] }],
    ['build-42', { kind: 'number', prefix: 'build-' }],
    ['f762e16', { kind: 'hash' }],
    ['sha-f762e16', { kind: 'hash', prefix: 'sha-' }],
  ])('reads %s', (tag, expected) => {
    expect(inferScheme(tag)).toMatchObject(expected);
  });

  it.each(['latest', 'main', 'stable', 'Latest', 'no-version-here'])('has no scheme for %s', (tag) => {
    expect(inferScheme(tag)).toBeUndefined();
  });

  it('compares only within the scheme, newest first, and never proposes pre-releases or moving tags', () => {
    const tags = ['v1.10.0', 'v1.9.0', 'v2.0.0-rc1', '1.11.0', 'latest', 'v1.2.0', 'v1.3.0.1', 'v1.10'];
    expect(newerTags('v1.2.0', tags)).toMatchObject({ kind: 'ordered', newer: ['v1.10.0', 'v1.9.0'] });
  });

  it('treats a release as newer than the pre-release in use', () => {
    expect(newerTags('5.2.0-rc1', ['5.2.0', '5.2.0-rc2', '5.1.9'])).toMatchObject({ newer: ['5.2.0'] });
  });

  it('narrows with updates.tags and turns off with updates.enabled', () => {
    expect(newerTags('4.3.0', ['4.3.1', '4.4.0', '5.0.0'], { tags: '^4\\.3\\.' })).toMatchObject({
      newer: ['4.3.1'],
    });
    expect(newerTags('4.3.0', ['4.4.0'], { enabled: false })).toMatchObject({ kind: 'cannot-tell' });
    expect(newerTags('4.3.0', ['4.4.0'], { tags: '(' })).toMatchObject({ kind: 'cannot-tell' });
  });

  it('hands hash tags back as unordered candidates of the same form', () => {
    expect(newerTags('abc1234', ['def5678', 'v1.0.0', 'sha-0123abc', '2024-01-01'])).toEqual({
      kind: 'hash',
      scheme: expect.objectContaining({ kind: 'hash' }),
      candidates: ['def5678'],
    });
  });

  it('orders a picker: the same scheme newest first with dates, then the rest', () => {
    expect(orderTagsForPicker('2024-03-18', ['latest', '2024-01-01', 'v1.0.0', '2024-04-01'])).toEqual([
      { tag: '2024-04-01', date: '2024-04-01', sameScheme: true },
      { tag: '2024-01-01', date: '2024-01-01', sameScheme: true },
      { tag: 'v1.0.0', sameScheme: false },
      { tag: 'latest', sameScheme: false },
    ]);
  });
});
