import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { fixturesRoot } from '../helpers/content.ts';
import { copySampleProject, runCli } from '../helpers/project.ts';

const fixture = (name: string) => path.join(fixturesRoot, 'real-profile-lists', `${name}.yaml`);
const emptyProject = () => mkdtemp(path.join(tmpdir(), 'z2jh-import-'));

async function tree(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const folder of ['images', 'node-groups', 'profiles']) {
    const names = await readdir(path.join(dir, 'content', folder)).catch(() => []);
    out.push(...names.map((n) => `${folder}/${n}`));
  }
  return out.sort();
}

describe('import', () => {
  it('writes valid content, and refuses to overwrite it without --force', async () => {
    const dir = await emptyProject();
    const first = await runCli(dir, 'import', fixture('dubois-common'));
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('Imported 1 profile(s), 1 new image(s), 1 new node group(s)');
    // Keys are users' saved choices: kept verbatim, nothing renamed or reported.
    expect(first.stdout).not.toContain('ImportKeyRenamed');
    expect(first.stdout).not.toContain('renamed');
    expect(await tree(dir)).toEqual([
      'images/jupyter-r-notebook.yaml',
      'node-groups/n2-highmem-4.yaml',
      'profiles/cpu-only.yaml',
    ]);
    expect((await runCli(dir, 'validate')).code).toBe(0);
    const written = parse(await readFile(path.join(dir, 'content/profiles/cpu-only.yaml'), 'utf8')) as {
      options: { key: string; choices: { key: string }[] }[];
    };
    expect(written.options.map((o) => o.key)).toEqual(['image', 'resource_allocation']);
    expect(written.options[1]?.choices.map((c) => c.key)).toContain('mem_1_7');

    const before = await readFile(path.join(dir, 'content/profiles/cpu-only.yaml'), 'utf8');
    await writeFile(path.join(dir, 'content/profiles/cpu-only.yaml'), `${before}# edited by hand\n`);
    const again = await runCli(dir, 'import', fixture('dubois-common'));
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('ImportWouldOverwrite');
    expect(again.stderr).toContain('--force');
    expect(again.stderr).toContain('Nothing was written.');
    expect(await readFile(path.join(dir, 'content/profiles/cpu-only.yaml'), 'utf8')).toContain(
      '# edited by hand',
    );

    const forced = await runCli(dir, 'import', '--force', fixture('dubois-common'));
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stdout).toContain('replaced content/profiles/cpu-only.yaml');
    // The image and the node group are reused by reference and node selector, not written again.
    expect(forced.stdout).toContain('0 new image(s), 0 new node group(s)');
    expect(await readFile(path.join(dir, 'content/profiles/cpu-only.yaml'), 'utf8')).toBe(before);
  });

  it('prints what it would write with --dry-run, and writes nothing', async () => {
    const dir = await emptyProject();
    const dry = await runCli(dir, 'import', '--dry-run', fixture('cloudbank-berea'));
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('--- content/profiles/cpu-only.yaml');
    expect(dry.stdout).toContain('ImportDefaultInOverride');
    expect(dry.stdout).toContain('Dry run: would import 1 profile(s)');
    expect(await tree(dir)).toEqual([]);
  });

  it('names the file and line of keys the project does not allow, until configurator.yaml allows them', async () => {
    const dir = await emptyProject();
    const refused = await runCli(dir, 'import', fixture('nasa-ghg-hub-common'));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/nasa-ghg-hub-common\.yaml:35 \S+init_containers +ImportKeyNotAllowed/);
    expect(refused.stderr).toContain('Nothing was written.');
    expect(await tree(dir)).toEqual([]);
    await writeFile(
      path.join(dir, 'configurator.yaml'),
      'advanced:\n  allowed_keys: [image_pull_policy, working_dir, init_containers]\n',
    );
    const allowed = await runCli(dir, 'import', fixture('nasa-ghg-hub-common'));
    expect(allowed.code, allowed.stderr).toBe(0);
    expect((await runCli(dir, 'validate')).code).toBe(0);
  });

  it('refuses a key it cannot keep, naming it with its line, and writes nothing', async () => {
    const dir = await emptyProject();
    const values = path.join(dir, 'values.yaml');
    await writeFile(
      values,
      `singleuser:
  profileList:
    - display_name: Small
      slug: GPU_Small
      profile_options:
        resource_allocation:
          display_name: Resources
          choices:
            mem_2_gb: {display_name: 2 GB, kubespawner_override: {mem_limit: 2G}}
            "mem 4 gb": {display_name: 4 GB, kubespawner_override: {mem_limit: 4G}}
`,
    );
    const refused = await runCli(dir, 'import', values);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /values\.yaml:10 \S+resource_allocation\.choices\.mem 4 gb +ImportInvalidKey/,
    );
    expect(refused.stderr).toContain('"mem 4 gb"');
    expect(refused.stderr).toContain('whitespace');
    expect(refused.stderr).toContain('Nothing was written.');
    // GPU_Small, resource_allocation and mem_2_gb are kept: the one key with a space is the only problem.
    expect(refused.stderr.match(/ImportInvalidKey/g)).toHaveLength(1);
    expect(refused.stderr).toContain('1 error, 0 warnings');
    expect(await tree(dir)).toEqual([]);
  });

  it('says where it looked when the key is not there', async () => {
    const dir = await emptyProject();
    const result = await runCli(dir, 'import', '--key', 'hub.profiles', fixture('dubois-common'));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('ImportKeyNotFound');
  });
});

describe('sizes', () => {
  it('prints sizes cut from a node group as YAML', async () => {
    const dir = await copySampleProject();
    const result = await runCli(dir, 'sizes', 'small', '--floor', '4G');
    expect(result.code, result.stderr).toBe(0);
    const printed = parse(result.stdout) as { node_groups: unknown; sizes: { key: string }[] };
    expect(printed.node_groups).toEqual([{ node_group: 'small' }]);
    expect(printed.sizes.map((s) => s.key)).toEqual(['mem-7-1', 'mem-14-2', 'mem-28-5']);
    const missing = await runCli(dir, 'sizes', 'nope');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no node group "nope"');
  });

  it('writes them into a profile, keeping its comments, and the content stays valid', async () => {
    const dir = await copySampleProject();
    const file = path.join(dir, 'content/profiles/rstudio.yaml');
    await writeFile(file, `# RStudio for the course\n${await readFile(file, 'utf8')}`);
    const result = await runCli(dir, 'sizes', '--write-profile', 'rstudio', '--floor', '8G');
    expect(result.code, result.stderr).toBe(0);
    const text = await readFile(file, 'utf8');
    expect(text).toContain('# RStudio for the course');
    const profile = parse(text) as { size?: unknown; sizes: { key: string }[]; node_groups: unknown };
    expect(profile.size).toBeUndefined();
    expect(profile.node_groups).toEqual([{ node_group: 'small' }]);
    expect(profile.sizes.map((s) => s.key)).toEqual(['mem-14-2', 'mem-28-5']);
    expect((await runCli(dir, 'validate')).code).toBe(0);
  });
});
