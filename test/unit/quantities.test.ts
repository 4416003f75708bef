import { describe, expect, it } from 'vitest';
import { parseCpu, parseKubernetesMemory, parseMemory } from '../../src/lib/quantities.ts';

describe('parseMemory (KubeSpawner units)', () => {
  it.each([
    ['512M', 512 * 2 ** 20, '512M'],
    ['4G', 4 * 2 ** 30, '4G'],
    ['4Gi', 4 * 2 ** 30, '4G'],
    ['1.5G', 1.5 * 2 ** 30, '1.5G'],
    ['512Mi', 512 * 2 ** 20, '512M'],
    [1073741824, 2 ** 30, 1073741824],
    ['2048', 2048, 2048],
    ['1.2345678G', Math.floor(1.2345678 * 2 ** 30), '1.2345678G'],
    ['7.234G', 7767448354, '7.234G'],
  ] as const)('reads %s', (input, bytes, kubespawner) => {
    expect(parseMemory(input)).toEqual({ bytes, kubespawner });
  });

  it.each(['4g', '4GB', 'lots', '-1G', '0', '', '1e9', '4 G', '0.0000001K'])('rejects %s', (input) => {
    expect(parseMemory(input)).toBeUndefined();
  });
});

describe('parseKubernetesMemory (node capacity)', () => {
  it.each([
    ['15Gi', 15 * 2 ** 30],
    ['16G', 16e9],
    ['31760868Ki', 31760868 * 1024],
    [1000, 1000],
  ] as const)('reads %s', (input, bytes) => {
    expect(parseKubernetesMemory(input)).toBe(bytes);
  });
  it.each(['15gi', 'x', '500m'])('rejects %s', (input) =>
    expect(parseKubernetesMemory(input)).toBeUndefined(),
  );
});

describe('parseCpu', () => {
  it.each([
    [2, 2],
    [0.5, 0.5],
    ['500m', 0.5],
    ['3920m', 3.92],
    ['2', 2],
  ] as const)('reads %s', (input, cores) => expect(parseCpu(input)).toBe(cores));
  it.each(['two', '-1', 0, '1.5.2'])('rejects %s', (input) => expect(parseCpu(input)).toBeUndefined());
});
