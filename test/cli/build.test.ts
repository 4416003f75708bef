import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { cliEntry, copySampleProject, runCli } from '../helpers/project.ts';

describe('build', () => {
  const made: string[] = [];
  afterAll(() => Promise.all(made.map((dir) => rm(dir, { recursive: true, force: true }))));

  it('builds the site into a folder outside the tool, with the same list as --outputs-only', async () => {
    const project = await copySampleProject();
    const out = await mkdtemp(path.join(tmpdir(), 'z2jh-out-'));
    made.push(project, out);
    const site = await runCli(project, 'build', '--out', path.join(out, 'site'));
    expect(site.stderr).not.toContain('ERR_MODULE_NOT_FOUND');
    expect(site.code).toBe(0);
    const outputs = await runCli(project, 'build', '--outputs-only', '--out', path.join(out, 'outputs'));
    expect(outputs.code).toBe(0);
    const served = await readFile(path.join(out, 'site', 'client', 'profile_list.json'), 'utf8');
    expect(JSON.parse(served)).toEqual(
      JSON.parse(await readFile(path.join(out, 'outputs', 'profile_list.json'), 'utf8')),
    );
    expect(await readFile(path.join(out, 'site', 'client', 'admin', 'index.html'), 'utf8')).toContain(
      '<html',
    );
  }, 120_000);

  it('builds for the base path it is given, whatever BASE_URL the environment holds', async () => {
    const project = await copySampleProject();
    const out = await mkdtemp(path.join(tmpdir(), 'z2jh-out-'));
    made.push(project, out);
    await promisify(execFile)(process.execPath, [cliEntry, '-C', project, 'build', '--out', out], {
      env: {
        ...process.env,
        BASE_URL: '/',
        CONFIGURATOR_BASE: '/services/configurator/',
        CONFIGURATOR_CHECK_IMAGES: 'false',
      },
    });
    const admin = await readFile(path.join(out, 'client', 'admin', 'index.html'), 'utf8');
    expect(admin).toContain('src="/services/configurator/_astro/');
    expect(admin).toContain('id="cms-base">"/services/configurator/"');
  }, 120_000);
});
