import { cp, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadContent } from '../../src/lib/load.ts';
import { DEFAULT_ADVANCED_ALLOWED_KEYS } from '../../src/lib/schema/project.ts';
import { validateContent } from '../../src/lib/validate.ts';
import { projectRoot, sampleFiles, withFiles } from '../helpers/content.ts';
import { parse } from 'yaml';

/**
 * `advanced` takes KubeSpawner settings the content model has no field for, limited to what the infrastructure
 * admins allow in configurator.yaml (`advanced.allowed_keys`); by default only settings that change nothing but
 * what runs inside the user's own container.
 */
const rstudio = 'content/profiles/rstudio.yaml';

async function withAdvanced(advanced: Record<string, unknown>) {
  const files = await sampleFiles();
  const profile = parse(files.find((f) => f.path === rstudio)!.text) as Record<string, unknown>;
  return withFiles(files, { [rstudio]: { ...profile, advanced } });
}

describe('the advanced allow-list', () => {
  it('refuses, by default, settings that could let a server leave its sandbox', async () => {
    for (const key of ['privileged', 'uid', 'init_containers', 'volumes', 'extra_pod_config', 'env_keep']) {
      const result = validateContent(await withAdvanced({ [key]: key === 'privileged' ? true : [] }));
      const issue = result.issues.find((i) => i.code === 'AdvancedKeyNotAllowed');
      expect(issue, key).toMatchObject({ severity: 'error', file: rstudio, field: `advanced.${key}` });
      expect(issue?.line).toBeGreaterThan(0);
      expect(issue?.hint).toContain(`add "${key}" to advanced.allowed_keys in configurator.yaml`);
    }
  });

  it('accepts the default keys, and what the infrastructure admins add', async () => {
    expect(DEFAULT_ADVANCED_ALLOWED_KEYS).toContain('working_dir');
    expect(DEFAULT_ADVANCED_ALLOWED_KEYS).not.toContain('volume_mounts');
    expect(
      validateContent(await withAdvanced({ working_dir: '/home', image_pull_policy: 'Always' })).ok,
    ).toBe(true);
    const mounts = await withAdvanced({ volume_mounts: [{ name: 'home', mountPath: '/shared' }] });
    expect(validateContent(mounts).ok).toBe(false);
    expect(validateContent(mounts, { advancedAllowedKeys: ['volume_mounts'] }).ok).toBe(true);
  });

  it('replaces the default when configurator.yaml sets it, and still refuses keys that are no KubeSpawner settings', async () => {
    const files = await withAdvanced({ working_dir: '/home', workdir: '/home' });
    const codes = validateContent(files, { advancedAllowedKeys: ['workdir'] }).issues.map(
      (i) => `${i.code} ${i.field}`,
    );
    expect(codes).toContain('AdvancedKeyNotAllowed advanced.working_dir');
    expect(codes).toContain('UnknownOverrideKey advanced.workdir');
  });

  it('is read from configurator.yaml by loadContent, whose problems are reported with the content', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'z2jh-allow-'));
    await cp(path.join(projectRoot, 'content'), path.join(dir, 'content'), { recursive: true });
    await writeFile(
      path.join(dir, rstudio),
      'display_name: R\nimages: [{image: rstudio}]\nadvanced: {working_dir: /home, volume_mounts: []}\n',
    );
    const refused = await loadContent(dir);
    expect(refused.issues.filter((i) => i.severity === 'error').map((i) => i.code)).toEqual([
      'AdvancedKeyNotAllowed',
    ]);
    await writeFile(
      path.join(dir, 'configurator.yaml'),
      'advanced:\n  allowed_keys: [working_dir, volume_mounts]\n',
    );
    expect((await loadContent(dir)).ok).toBe(true);
    await writeFile(path.join(dir, 'configurator.yaml'), 'advanced:\n  allowed_keys: working_dir\n');
    const invalid = await loadContent(dir);
    expect(invalid.ok).toBe(false);
    expect(invalid.issues.map((i) => i.file)).toContain('configurator.yaml');
  });
});
