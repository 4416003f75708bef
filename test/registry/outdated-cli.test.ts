import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEntry, copySampleProject } from '../helpers/project.ts';
import { requireTools } from './helpers/processes.ts';
import { startRegistry, type TestRegistry } from './helpers/registry.ts';
import { pushCreatedImage } from './helpers/tags.ts';

const exec = promisify(execFile);
const CREATED = '2024-01-01T00:00:00Z';

describe('outdated and bump (the real CLI, a real registry)', () => {
  let registry: TestRegistry;
  let project: string;
  let dockerConfig: string;
  const file = (id: string): string => path.join(project, 'content', 'images', `${id}.yaml`);

  const cli = async (...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> => {
    const base = Object.fromEntries(
      Object.entries(process.env).filter(([key]) => key !== 'CI' && !key.startsWith('CONFIGURATOR_')),
    );
    try {
      const { stdout, stderr } = await exec(process.execPath, [cliEntry, '-C', project, ...args], {
        env: { ...base, NO_COLOR: '1', DOCKER_CONFIG: dockerConfig, CONFIGURATOR_CHECK_IMAGES: 'false' },
      });
      return { code: 0, stdout, stderr };
    } catch (failure) {
      const f = failure as { code?: number; stdout?: string; stderr?: string };
      return { code: f.code ?? 1, stdout: f.stdout ?? '', stderr: f.stderr ?? '' };
    }
  };

  beforeAll(async () => {
    requireTools('docker-registry');
    [registry, project, dockerConfig] = await Promise.all([
      startRegistry(),
      copySampleProject(),
      mkdtemp(path.join(tmpdir(), 'z2jh-docker-config-')),
    ]);
    const host = registry.host;
    await pushCreatedImage(
      host,
      'jupyter/scipy',
      ['2024-03-18', '2024-04-01', '2024-05-06', 'latest'],
      CREATED,
    );
    await pushCreatedImage(host, 'jupyter/datascience', ['v1.0.0', 'v1.1.0-rc1'], CREATED);
    await pushCreatedImage(
      host,
      'jupyter/pytorch',
      ['cuda12-2024-03-18', 'cuda12-2024-04-01', 'cuda11-2024-09-09'],
      CREATED,
    );
    await pushCreatedImage(host, 'pangeo/pangeo', ['latest', '2026.04.29'], CREATED);
    await writeFile(file('scipy'), `display_name: Python (SciPy)\nimage: ${host}/jupyter/scipy:2024-03-18\n`);
    await writeFile(
      file('datascience'),
      `display_name: Data science\nimage: ${host}/jupyter/datascience:v1.0.0\n`,
    );
    await writeFile(
      file('pytorch'),
      `# GPU image: keep on CUDA 12\ndisplay_name: 'PyTorch with CUDA'\nimage: '${host}/jupyter/pytorch:cuda12-2024-03-18' # bumped by CI\ndescription: PyTorch built for NVIDIA GPUs.\n`,
    );
    await writeFile(file('pangeo'), `display_name: Pangeo\nimage: ${host}/pangeo/pangeo:latest\n`);
    await writeFile(file('rstudio'), `display_name: RStudio\nimage: ${host}/rocker/missing:4.3\n`);
  }, 120_000);

  afterAll(async () => {
    await registry?.stop();
  });

  it('prints newer tags of the same scheme as JSON, newest first, and exits 0 when it could check', async () => {
    const { code, stdout } = await cli('outdated', '--json', 'scipy', 'datascience', 'pytorch', 'pangeo');
    expect(code).toBe(0);
    const host = registry.host;
    // In the content's order (by id).
    expect(JSON.parse(stdout)).toEqual([
      { id: 'datascience', reference: `${host}/jupyter/datascience:v1.0.0`, current: 'v1.0.0', newest: 'v1.0.0', newer: [] },
      { id: 'pangeo', reference: `${host}/pangeo/pangeo:latest`, current: 'latest', newest: null, newer: [], note: expect.stringContaining('moving tag') },
      { id: 'pytorch', reference: `${host}/jupyter/pytorch:cuda12-2024-03-18`, current: 'cuda12-2024-03-18', newest: 'cuda12-2024-04-01', newer: ['cuda12-2024-04-01'] },
      { id: 'scipy', reference: `${host}/jupyter/scipy:2024-03-18`, current: '2024-03-18', newest: '2024-05-06', newer: ['2024-05-06', '2024-04-01'] },
    ]); // prettier-ignore
  });

  it('prints a table and exits 1 when a repository could not be checked', async () => {
    const { code, stdout } = await cli('outdated');
    expect(code).toBe(1);
    expect(stdout).toMatch(/IMAGE\s+REFERENCE\s+NEWEST\s+NEWER\s+NOTE/);
    expect(stdout).toMatch(/scipy\s+\S+jupyter\/scipy:2024-03-18\s+2024-05-06\s+2\b/);
    expect(stdout).toContain('has no repository rocker/missing');
    expect(stdout).toContain('5 images: 2 with a newer tag, 1 could not be checked.');
  });

  it('refuses an unknown image id', async () => {
    const { code, stderr } = await cli('outdated', 'nope');
    expect(code).toBe(1);
    expect(stderr).toContain('No image with the id "nope"');
  });

  it('bump --dry-run says what would change and writes nothing', async () => {
    const before = await readFile(file('scipy'), 'utf8');
    const { code, stdout } = await cli('bump', '--dry-run');
    expect(code).toBe(0);
    expect(stdout).toContain(
      `would change content/images/scipy.yaml: image ${registry.host}/jupyter/scipy:2024-03-18 → ${registry.host}/jupyter/scipy:2024-05-06`,
    );
    expect(stdout).toContain('nothing was written');
    expect(await readFile(file('scipy'), 'utf8')).toBe(before);
  });

  it('bump changes one line per outdated file, keeps comments and quoting, and a second run does nothing', async () => {
    const before = {
      scipy: await readFile(file('scipy'), 'utf8'),
      pytorch: await readFile(file('pytorch'), 'utf8'),
    };
    const first = await cli('bump');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('2 file(s) changed.');
    const after = {
      scipy: await readFile(file('scipy'), 'utf8'),
      pytorch: await readFile(file('pytorch'), 'utf8'),
    };
    const diff = (a: string, b: string) => b.split('\n').filter((line, i) => line !== a.split('\n')[i]);
    expect(diff(before.scipy, after.scipy)).toEqual([`image: ${registry.host}/jupyter/scipy:2024-05-06`]);
    expect(diff(before.pytorch, after.pytorch)).toEqual([
      `image: '${registry.host}/jupyter/pytorch:cuda12-2024-04-01' # bumped by CI`,
    ]);
    const second = await cli('bump');
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('Nothing to bump');
    expect(await readFile(file('scipy'), 'utf8')).toBe(after.scipy);
    expect((await cli('validate')).code).toBe(0);
  });

  it('bump of a named image that is up to date says so', async () => {
    const { code, stdout } = await cli('bump', 'datascience');
    expect(code).toBe(0);
    expect(stdout).toContain('datascience: nothing to bump (it is up to date)');
  });
});
