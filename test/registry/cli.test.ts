import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { cliEntry, copySampleProject } from '../helpers/project.ts';
import { buildOciLayout, pushImage, type OciLayout } from './helpers/images.ts';
import { closedPort, requireTools } from './helpers/processes.ts';
import { startRegistry, type TestRegistry } from './helpers/registry.ts';

const exec = promisify(execFile);

describe('check-images and the image step of validate and build (the real CLI, a real registry)', () => {
  let registry: TestRegistry;
  let layout: OciLayout;
  let project: string;
  let dockerConfig: string;

  /** Runs the CLI with a clean environment: no CI, no Docker credentials, no colours, plus `env`. */
  const cli = async (
    args: string[],
    env: Record<string, string> = {},
  ): Promise<{ code: number; stdout: string; stderr: string }> => {
    const base = Object.fromEntries(
      Object.entries(process.env).filter(([key]) => key !== 'CI' && !key.startsWith('CONFIGURATOR_')),
    );
    try {
      const { stdout, stderr } = await exec(process.execPath, [cliEntry, '-C', project, ...args], {
        env: { ...base, NO_COLOR: '1', DOCKER_CONFIG: dockerConfig, ...env },
      });
      return { code: 0, stdout, stderr };
    } catch (failure) {
      const f = failure as { code?: number; stdout?: string; stderr?: string };
      return { code: f.code ?? 1, stdout: f.stdout ?? '', stderr: f.stderr ?? '' };
    }
  };
  const setImage = (id: string, reference: string): Promise<void> =>
    writeFile(
      path.join(project, 'content', 'images', `${id}.yaml`),
      `display_name: ${id}\nimage: ${reference}\n`,
    );

  beforeAll(async () => {
    requireTools('docker-registry', 'skopeo');
    [registry, layout, project, dockerConfig] = await Promise.all([
      startRegistry(),
      buildOciLayout(),
      copySampleProject(),
      mkdtemp(path.join(tmpdir(), 'z2jh-docker-config-')),
    ]);
    await pushImage(layout, 'single', `${registry.host}/jupyter/scipy:v1`);
    await pushImage(layout, 'multi', `${registry.host}/jupyter/datascience:v1`);
    await pushImage(layout, 'single', `${registry.host}/jupyter/pytorch:v1`);
    await pushImage(layout, 'single', `${registry.host}/rocker/binder:v1`);
    await setImage('scipy', `${registry.host}/jupyter/scipy:v1`);
    await setImage('datascience', `${registry.host}/jupyter/datascience:v1`);
    await setImage('pytorch', `${registry.host}/jupyter/pytorch:v1`);
    await setImage('rstudio', `${registry.host}/rocker/binder:v1`);
    await setImage('pangeo', `${registry.host}/pangeo/notebook:typo`);
  }, 120_000);

  afterAll(async () => {
    await registry?.stop();
    await layout?.remove();
    if (project) await rm(project, { recursive: true, force: true });
    if (dockerConfig) await rm(dockerConfig, { recursive: true, force: true });
  });

  it('check-images prints a table with digests, the issue at the file and line, and exits 1 on a missing image', async () => {
    const result = await cli(['check-images']);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stdout).toMatch(/IMAGE\s+REFERENCE\s+RESULT\s+DIGEST/);
    expect(result.stdout).toMatch(
      new RegExp(`scipy\\s+${registry.host}/jupyter/scipy:v1\\s+exists\\s+${layout.singleDigest}`),
    );
    expect(result.stdout).toMatch(new RegExp(`datascience\\s+\\S+\\s+exists\\s+${layout.indexDigest}`));
    expect(result.stdout).toMatch(/pangeo\s+\S+\s+not found/);
    expect(result.stdout).toContain('✖ content/images/pangeo.yaml:2 image  ImageNotFound');
    expect(result.stdout).toContain('5 images checked: 4 exists, 1 not found.');

    const cached = await cli(['check-images']);
    expect(cached.stdout).toContain('exists (cached)');
    expect(cached.stdout).toContain('(5 from the cache)');
    const file = JSON.parse(await readFile(path.join(project, '.cache', 'image-checks.json'), 'utf8')) as {
      results: object;
    };
    expect(Object.keys(file.results)).toHaveLength(5);
  });

  it('check-images --json gives the results with image ids and the issues', async () => {
    const result = await cli([
      'check-images',
      '--json',
      '--no-cache',
      `${registry.host}/jupyter/scipy:v1`,
      'Bad/Name',
    ]);
    expect(result.code).toBe(1);
    const data = JSON.parse(result.stdout) as {
      ok: boolean;
      results: { status: string; cached?: boolean }[];
    };
    expect(data.ok).toBe(false);
    expect(data.results.map((r) => [r.status, r.cached])).toEqual([
      ['exists', undefined],
      ['invalid', undefined],
    ]);
  });

  it('validate checks images only when asked, or in CI, and not with --no-check-images', async () => {
    const [plain, asked, ci, ciOff, ciOffByEnv] = await Promise.all([
      cli(['validate']),
      cli(['validate', '--check-images']),
      cli(['validate', '--json'], { CI: 'true' }),
      cli(['validate', '--no-check-images'], { CI: 'true' }),
      cli(['validate'], { CI: 'true', CONFIGURATOR_CHECK_IMAGES: 'false' }),
    ]);
    expect(plain.code).toBe(0);
    expect(plain.stdout).not.toContain('ImageNotFound');
    expect(asked.code).toBe(1);
    expect(asked.stdout).toContain('✖ content/images/pangeo.yaml:2 image  ImageNotFound');
    expect(ci.code).toBe(1);
    const json = JSON.parse(ci.stdout) as { issues: { code: string; line?: number }[] };
    expect(json.issues.find((i) => i.code === 'ImageNotFound')?.line).toBe(2);
    expect(ciOff.code).toBe(0);
    expect(ciOffByEnv.code).toBe(0);
  });

  it('makes a private or unreachable registry a warning, and an error with --strict-images', async () => {
    await setImage('pangeo', `127.0.0.1:${await closedPort()}/pangeo/notebook:v1`);
    try {
      const [lenient, strict] = await Promise.all([
        cli(['validate', '--check-images']),
        cli(['validate', '--check-images', '--strict-images']),
      ]);
      expect(lenient.code).toBe(0);
      expect(lenient.stdout).toContain('⚠ content/images/pangeo.yaml:2 image  ImageCheckFailed');
      expect(strict.code).toBe(1);
      expect(strict.stdout).toContain('✖ content/images/pangeo.yaml:2 image  ImageCheckFailed');
    } finally {
      await setImage('pangeo', `${registry.host}/pangeo/notebook:typo`);
    }
  });

  it('build --outputs-only --pin-digests writes image@sha256 into profile_list.json and values.yaml', async () => {
    await setImage('pangeo', `${registry.host}/rocker/binder:v1`);
    const out = path.join(project, 'pinned');
    const [refused, built] = await Promise.all([
      cli(['build', '--pin-digests']),
      cli(['build', '--outputs-only', '--pin-digests', '--out', out]),
    ]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('--pin-digests works with --outputs-only');
    expect(built.code, built.stderr).toBe(0);
    const list = await readFile(path.join(out, 'profile_list.json'), 'utf8');
    expect(list).toContain(`"${registry.host}/jupyter/scipy:v1@${layout.singleDigest}"`);
    expect(list).toContain(`"${registry.host}/jupyter/datascience:v1@${layout.indexDigest}"`);
    const values = await readFile(path.join(out, 'values.yaml'), 'utf8');
    expect((parse(values) as { singleuser: { image: { tag: string } } }).singleuser.image.tag).toBe(
      `v1@${layout.singleDigest}`,
    );

    await setImage('pangeo', `${registry.host}/pangeo/notebook:typo`);
    const failed = await cli([
      'build',
      '--outputs-only',
      '--pin-digests',
      '--out',
      path.join(project, 'never'),
    ]);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('Nothing was built.');
  });
});
