import { readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { copySampleProject, runCli } from '../helpers/project.ts';

const file = [
  {
    slug: 'small',
    display_name: 'Small: 4 CPU, 32 GB (r5.xlarge)',
    description: 'General-purpose memory-optimised nodes.',
    node_selector: { 'node.kubernetes.io/instance-type': 'r5.xlarge' },
    capacity: { cpu: 3.92, memory: '30Gi' },
  },
  {
    slug: 'huge',
    display_name: 'Huge: 64 CPU, 512 GB',
    node_selector: { 'node.kubernetes.io/instance-type': 'r5.16xlarge' },
    tolerations: [{ key: 'huge', operator: 'Exists', effect: 'NoSchedule' }],
    capacity: { cpu: '63800m', memory: '500Gi' },
  },
];

async function snapshot(dir: string): Promise<Record<string, string>> {
  const folder = path.join(dir, 'content', 'node-groups');
  const names = (await readdir(folder)).sort();
  return Object.fromEntries(
    await Promise.all(names.map(async (n) => [n, await readFile(path.join(folder, n), 'utf8')] as const)),
  );
}

describe('load-node-groups', () => {
  it('creates and updates node groups by slug, keeps the ones missing from the file, and is idempotent', async () => {
    const dir = await copySampleProject();
    const input = path.join(dir, 'node-groups.json');
    await writeFile(input, JSON.stringify(file, null, 2));
    const first = await runCli(dir, 'load-node-groups', input);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('created: huge');
    expect(first.stdout).toContain('unchanged: small');
    expect(first.stdout).toMatch(/kept although missing from .*: gpu-t4, large/);
    expect(first.stdout).toContain('NodeGroupNotInFile');
    const afterFirst = await snapshot(dir);
    expect(Object.keys(afterFirst)).toEqual(['gpu-t4.yaml', 'huge.yaml', 'large.yaml', 'small.yaml']);
    expect(parse(afterFirst['huge.yaml']!)).toEqual({
      display_name: 'Huge: 64 CPU, 512 GB',
      node_selector: { 'node.kubernetes.io/instance-type': 'r5.16xlarge' },
      tolerations: [{ key: 'huge', operator: 'Exists', effect: 'NoSchedule' }],
      capacity: { cpu: '63800m', memory: '500Gi' },
    });

    const second = await runCli(dir, 'load-node-groups', input);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('created: none');
    expect(second.stdout).toContain('updated: none');
    expect(await snapshot(dir)).toEqual(afterFirst);

    const renamed = [{ ...file[0], display_name: 'Small nodes' }];
    await writeFile(input, JSON.stringify(renamed));
    const third = await runCli(dir, 'load-node-groups', input);
    expect(third.stdout).toContain('updated: small');
    expect(parse((await snapshot(dir))['small.yaml']!).display_name).toBe('Small nodes');
    expect(await runCli(dir, 'validate')).toMatchObject({ code: 0 });
  });

  it('reports every problem in the file with its JSON path and line, and writes nothing', async () => {
    const dir = await copySampleProject();
    const before = await snapshot(dir);
    const input = path.join(dir, 'bad.json');
    await writeFile(
      input,
      JSON.stringify(
        [
          { slug: 'ok-group', display_name: 'OK', node_selector: { a: 'b' } },
          { slug: 'No_Slug', display_name: 'Bad', node_selector: { a: 'b' } },
          { slug: 'no-selector', display_name: 'Missing selector' },
          { slug: 'bad-capacity', display_name: 'x', node_selector: { a: 'b' }, capacity: { gpus: 'two' } },
        ],
        null,
        2,
      ),
    );
    const result = await runCli(dir, 'load-node-groups', input);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/bad\.json:\d+ \[1\]\.slug\s+InvalidSlug/);
    expect(result.stderr).toMatch(/bad\.json:\d+ \[2\]\s+MissingField[\s\S]*"node_selector" is missing/);
    expect(result.stderr).toMatch(/bad\.json:\d+ \[3\]\.capacity\.gpus\s+WrongType/);
    expect(result.stderr).toContain('Nothing was written.');
    expect(await snapshot(dir)).toEqual(before);
  });

  it('refuses, whole, a file that would make a profile invalid (a node shrinks below a profile size)', async () => {
    const dir = await copySampleProject();
    const before = await snapshot(dir);
    const input = path.join(dir, 'shrunk.json');
    await writeFile(
      input,
      JSON.stringify([{ ...file[1] }, { ...file[0], capacity: { cpu: 2, memory: '8Gi' } }]),
    );
    const result = await runCli(dir, 'load-node-groups', input);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('ExceedsNodeCapacity');
    expect(result.stderr).toContain('content/profiles/data-science.yaml');
    expect(await snapshot(dir)).toEqual(before);
  });
});

describe('validate', () => {
  it('exits 0 on the sample content and 1 with every error on a broken one', async () => {
    const dir = await copySampleProject();
    expect((await runCli(dir, 'validate')).code).toBe(0);
    await writeFile(
      path.join(dir, 'content', 'images', 'scipy.yaml'),
      'display_name: x\nimage: "quay.io/X/y:"\nextra: 1\n',
    );
    const result = await runCli(dir, 'validate');
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('content/images/scipy.yaml:3 extra  UnknownKey');
    const json = await runCli(dir, 'validate', '--json');
    const report = JSON.parse(json.stdout) as { ok: boolean; issues: { code: string; line?: number }[] };
    expect(report.ok).toBe(false);
    expect(report.issues.map((i) => i.code)).toContain('UnknownKey');
  });

  it('exits 0 when there are only warnings', async () => {
    const dir = await copySampleProject();
    await writeFile(
      path.join(dir, 'content', 'images', 'scipy.yaml'),
      'display_name: x\nimage: quay.io/jupyter/scipy-notebook:latest\n',
    );
    const result = await runCli(dir, 'validate');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('ImageLatestTag');
    expect(result.stdout).toContain('0 errors, 1 warning');
  });
});
