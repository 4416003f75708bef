import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { git } from '../helpers/sidecar.ts';
import { copySampleProject, runCli } from '../helpers/project.ts';

describe('history and revert from the command line', () => {
  it('lists changes with their effect on the profile list, and restores a version as a new validated commit', async () => {
    const project = await copySampleProject();
    await git(project, 'init', '--initial-branch', 'main');
    await git(project, 'add', 'content');
    await git(project, 'commit', '-m', 'Sample');
    const first = (await git(project, 'rev-parse', 'main')).trim();
    const file = path.join(project, 'content/profiles/gpu.yaml');
    const original = await readFile(file, 'utf8');
    await git(project, 'rm', '-q', 'content/profiles/gpu.yaml');
    await git(project, 'commit', '-m', 'Drop the GPU profile');

    const history = await runCli(project, 'history');
    expect(history.code, history.stderr).toBe(0);
    expect(history.stdout).toContain('Drop the GPU profile');
    expect(history.stdout).toMatch(/removed {1,2}gpu: profile "GPU \(NVIDIA T4\)" removed/);
    expect(history.stdout).toContain('users who saved it will be asked to choose again');

    const reverted = await runCli(project, 'revert', first);
    expect(reverted.code, reverted.stderr).toBe(0);
    expect((await git(project, 'log', '-1', '--format=%s')).trim()).toBe(
      `Restore the content of ${first.slice(0, 10)}`,
    );
    expect(await readFile(file, 'utf8')).toBe(original);

    // restoring a version that was not valid is refused, and nothing is committed
    await writeFile(
      path.join(project, 'content/images/scipy.yaml'),
      'display_name: x\nimage: quay.io/Bad/x:1\n',
    );
    await git(project, 'commit', '-qam', 'A bad push');
    const bad = (await git(project, 'rev-parse', 'main')).trim();
    await git(project, 'checkout', '-q', first, '--', 'content/images/scipy.yaml');
    await git(project, 'commit', '-qam', 'Fix the image');
    const fixed = (await git(project, 'rev-parse', 'main')).trim();
    const refused = await runCli(project, 'revert', bad);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('ImageUppercase');
    expect(refused.stderr).toContain('Nothing was restored.');
    expect((await git(project, 'rev-parse', 'main')).trim()).toBe(fixed);
  });
});
