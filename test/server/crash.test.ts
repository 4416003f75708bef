// A crash (kill -9) in the middle of saves: no acknowledged save is lost, no file is half-written, history stays
// linear and the outputs stay valid after a restart.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { projectRoot } from '../helpers/content.ts';
import { cliEntry } from '../helpers/project.ts';
import { emptyDist, freshRepoDir, git, saveFile } from '../helpers/sidecar.ts';

function startChild(
  repo: string,
  dist: string,
): Promise<{ child: ChildProcess; url: string; origin: string }> {
  // node itself, with no wrapper process, so that SIGKILL reaches the server
  const child = spawn(process.execPath, [cliEntry, 'serve', '--dist', dist], {
    cwd: projectRoot,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      CONFIGURATOR_CONTENT_REPO: repo,
      CONFIGURATOR_CHECK_IMAGES: 'false',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /running at (http:\/\/\S+?\/) /.exec(output);
      if (match?.[1]) resolve({ child, url: match[1], origin: new URL(match[1]).origin });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`server exited (${code}): ${output}`)));
  });
}

describe('kill -9 in the middle of saves', () => {
  it('loses no acknowledged save, leaves no half-written file, keeps history linear and outputs valid', async () => {
    const repo = await freshRepoDir();
    const dist = await emptyDist();
    const first = await startChild(repo, dist);
    const acknowledged: number[] = [];
    const attempts = Array.from({ length: 40 }, (_, i) =>
      saveFile(
        first,
        `content/images/crash-${i}.yaml`,
        `display_name: Crash ${i}\nimage: quay.io/org/crash:${i}\n`,
      )
        .then((answer) => {
          if (answer.status === 200) acknowledged.push(i);
        })
        .catch(() => undefined),
    );
    // Kill as soon as a few saves were answered, while the others are queued or in flight.
    while (acknowledged.length < 5) await new Promise((resolve) => setTimeout(resolve, 20));
    first.child.kill('SIGKILL');
    await Promise.all(attempts);
    expect(acknowledged.length).toBeLessThan(40);

    expect((await git(repo, 'fsck', '--no-progress', '--no-dangling')).trim()).toBe('');
    const subjects = (await git(repo, 'log', '--format=%s', 'main')).trim().split('\n');
    for (const i of acknowledged) expect(subjects).toContain(`Update content/images/crash-${i}.yaml`);
    const parents = (await git(repo, 'log', '--format=%P', 'main')).trim().split('\n');
    expect(parents.every((p) => p.split(' ').filter(Boolean).length <= 1)).toBe(true);
    // every committed image file is complete
    for (const name of (await git(repo, 'ls-tree', '--name-only', 'main', 'content/images/'))
      .trim()
      .split('\n')) {
      const text = await git(repo, 'show', `main:${name}`);
      expect(parse(text)).toMatchObject({ display_name: expect.any(String), image: expect.any(String) });
    }
    // the working tree holds no temp files and no half-written YAML
    for (const name of await readdir(path.join(repo, 'content', 'images'))) {
      expect(name).toMatch(/\.yaml$/);
      expect(parse(await readFile(path.join(repo, 'content', 'images', name), 'utf8'))).toHaveProperty(
        'image',
      );
    }

    const second = await startChild(repo, dist);
    try {
      const health = (await (await fetch(`${second.url}healthz`)).json()) as {
        status: string;
        valid: boolean;
        servingCommit: string;
      };
      expect(health).toMatchObject({ status: 'ok', valid: true });
      expect(health.servingCommit).toBe((await git(repo, 'rev-parse', 'main')).trim());
      const after = await saveFile(
        second,
        'content/images/after-crash.yaml',
        'display_name: After\nimage: quay.io/org/after:1\n',
      );
      expect(after.status).toBe(200);
    } finally {
      second.child.kill('SIGTERM');
    }
  });
});
