import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../helpers/content.ts';

interface Manifest {
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  engines?: Record<string, string>;
}

const read = async <T>(name: string): Promise<T> =>
  JSON.parse(await readFile(path.join(projectRoot, name), 'utf8')) as T;

describe('package-lock.json', () => {
  it('records exactly the dependencies of package.json (else npm ci refuses it: run npm install)', async () => {
    const manifest = await read<Manifest>('package.json');
    const lock = await read<{
      lockfileVersion: number;
      packages: Record<string, Manifest & { version?: string }>;
    }>('package-lock.json');
    const root = lock.packages[''];
    expect(lock.lockfileVersion).toBe(3);
    expect(root?.dependencies ?? {}).toEqual(manifest.dependencies ?? {});
    expect(root?.devDependencies ?? {}).toEqual(manifest.devDependencies ?? {});
    expect(root?.engines).toEqual(manifest.engines);
    const missing = Object.keys({ ...manifest.dependencies, ...manifest.devDependencies }).filter(
      (name) => !lock.packages[`node_modules/${name}`]?.version,
    );
    expect(missing).toEqual([]);
  });
});
