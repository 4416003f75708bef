import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { copySampleProject, runCli } from '../helpers/project.ts';
import { projectRoot } from '../helpers/content.ts';

const project = await copySampleProject();
afterAll(() => rm(project, { recursive: true, force: true }));

describe('z2jh-configurator helm-values', () => {
  it('prints the sidecar values with the project list baked in', async () => {
    const result = await runCli(
      project,
      'helm-values',
      '--mode',
      'sidecar',
      '--image',
      'example.org/z2jh-configurator:1',
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^# z2jh-configurator, sidecar deployment/);
    const values = parse(result.stdout, { version: '1.1' });
    expect(values.hub.extraContainers[0].image).toBe('example.org/z2jh-configurator:1');
    expect(values.hub.extraFiles['z2jh-profile-loader'].stringData).toBe(
      await readFile(path.join(projectRoot, 'hub', 'z2jh_profile_loader.py'), 'utf8'),
    );
    const built = JSON.parse(
      await readFile(path.join(projectRoot, 'test', 'fixtures', 'golden', 'profile_list.json'), 'utf8'),
    );
    expect(values.singleuser.profileList).toEqual(built);
  });

  it('writes the static values into a file, without the baked list when asked', async () => {
    const out = path.join(project, 'configurator.yaml');
    const result = await runCli(
      project,
      'helm-values',
      '--mode',
      'static',
      '--url',
      'https://example.org/menu/',
      '--no-fallback',
      '--out',
      out,
    );
    expect(result.code).toBe(0);
    const values = parse(await readFile(out, 'utf8'), { version: '1.1' });
    expect(values.hub.extraConfig['z2jh-configurator']).toContain(
      '"https://example.org/menu/profile_list.json"',
    );
    expect(values.singleuser).toBeUndefined();
  });

  it('refuses bad options and invalid content, printing nothing', async () => {
    const bad = await runCli(project, 'helm-values', '--mode', 'static');
    expect(bad.code).toBe(1);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toContain('HelmValuesUrl');
    expect(bad.stderr).toContain('Nothing was printed.');

    await writeFile(
      path.join(project, 'content', 'profiles', 'broken.yaml'),
      'display_name: Broken\nimages: [nope]\n',
    );
    const invalid = await runCli(project, 'helm-values', '--mode', 'static', '--url', 'https://example.org/');
    expect(invalid.code).toBe(1);
    expect(invalid.stdout).toBe('');
    expect(invalid.stderr).toContain('pass --no-fallback');
    await rm(path.join(project, 'content', 'profiles', 'broken.yaml'));
  });
});
