import { describe, expect, it } from 'vitest';
import { replaceScalar } from '../../src/lib/yaml-scalar-edit.ts';

const changedLines = (before: string, after: string): string[] => {
  const a = before.split('\n');
  return after.split('\n').filter((line, i) => line !== a[i]);
};

describe('replacing one YAML value in place', () => {
  const file = [
    '# Maintained by the data team',
    'display_name:   "Python (SciPy)"',
    'image: quay.io/jupyter/scipy-notebook:2024-03-18 # bumped by bot',
    'description: >-',
    '  Folded text that must stay',
    '  exactly as it is.',
    '',
  ].join('\n');

  it('changes only the value, keeping comments, quoting and every other line', () => {
    const edit = replaceScalar(file, ['image'], 'quay.io/jupyter/scipy-notebook:2024-04-01');
    expect(edit).toMatchObject({ ok: true, changed: true });
    if (!edit.ok) return;
    expect(changedLines(file, edit.text)).toEqual([
      'image: quay.io/jupyter/scipy-notebook:2024-04-01 # bumped by bot',
    ]);
  });

  it.each([
    ["image: 'a/b:1'\n", "image: 'a/b:2'\n"],
    ['image: "a/b:1"\n', 'image: "a/b:2"\n'],
  ])('keeps the quoting style of %j', (before, after) => {
    expect(replaceScalar(before, ['image'], 'a/b:2')).toEqual({ ok: true, changed: true, text: after });
  });

  it('is idempotent: the same value changes nothing', () => {
    expect(replaceScalar('image: a/b:1\n', ['image'], 'a/b:1')).toEqual({
      ok: true,
      changed: false,
      text: 'image: a/b:1\n',
    });
  });

  it('quotes a value that would not survive unquoted', () => {
    expect(replaceScalar('image: a/b:1\n', ['image'], 'a/b:2 #x')).toMatchObject({
      ok: true,
      text: 'image: "a/b:2 #x"\n',
    });
  });

  it('refuses what it cannot change in place', () => {
    expect(replaceScalar('image: [a]\n', ['image'], 'x')).toMatchObject({ ok: false });
    expect(replaceScalar('image: |\n  a/b:1\n', ['image'], 'x')).toMatchObject({ ok: false });
    expect(replaceScalar('other: 1\n', ['image'], 'x')).toMatchObject({ ok: false });
  });
});
