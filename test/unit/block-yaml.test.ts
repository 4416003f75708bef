import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { toBlockYaml } from '../../src/lib/block-yaml.ts';

const cases: [string, unknown][] = [
  ['nested maps and lists', { a: { b: [1, 'two', { c: true, d: null }], e: [] }, f: {} }],
  [
    'YAML 1.1 traps stay strings',
    { yes: 'yes', on: 'off', date: '2024-03-18', n: 'n', octal: '0755', num: '1e3', tilde: '~' },
  ],
  [
    'awkward keys and text',
    { 'nvidia.com/gpu': '1', 'a b': 'x: y # z', '': 'empty', '- dash': 'it\'s "quoted"\nnext' },
  ],
  ['lists of lists', [[1, 2], [], [{ a: 1 }], 'x']],
  ['unicode and control characters', { s: 'caf\u00e9 \u2014 \t tab \u0001' }],
];

describe('toBlockYaml', () => {
  it.each(cases)('%s: reads back identically in YAML 1.1 and 1.2', (_name, value) => {
    const text = toBlockYaml(value);
    expect(parse(text, { version: '1.1' })).toEqual(value);
    expect(parse(text)).toEqual(value);
  });

  it('writes readable block style', () => {
    expect(
      toBlockYaml({ singleuser: { profileList: [{ slug: 'a', kubespawner_override: { cpu_limit: 2 } }] } }),
    ).toBe(
      'singleuser:\n  profileList:\n    - slug: "a"\n      kubespawner_override:\n        cpu_limit: 2\n',
    );
  });
});
