import { spawnSync } from 'node:child_process';
import { access, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readServerConfig } from '../../src/server/config.ts';
import { createContentApi } from '../../src/server/content-api.ts';
import { ensureContentRepo } from '../../src/server/git/init.ts';
import { GitStore } from '../../src/server/git-store.ts';
import { startServer, type RunningServer } from '../../src/server/main.ts';
import { projectRoot } from '../helpers/content.ts';
import { aliasBomb } from '../helpers/hostile.ts';
import { emptyDist, freshRepoDir, git, saveFile, startLocalSidecar } from '../helpers/sidecar.ts';

const running: RunningServer[] = [];
afterEach(async () => {
  while (running.length) await running.pop()!.close();
});

const imageYaml = (n: number) => `display_name: Image ${n}\nimage: quay.io/org/image:${n}\n`;
const exists = (file: string) =>
  access(file).then(
    () => true,
    () => false,
  );

async function pushToMain(repo: string, file: string, text: string): Promise<string> {
  await writeFile(path.join(repo, file), text);
  await git(repo, 'add', '--', file);
  await git(repo, 'commit', '-q', '-m', 'Pushed from elsewhere');
  return (await git(repo, 'rev-parse', 'main')).trim();
}

async function waitForNewest(url: string, commit: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const status = (await (await fetch(`${url}api/status`)).json()) as { newestCommit?: string };
    if (status.newestCommit === commit) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`the server never looked at ${commit}`);
}

describe("a save's answer is the truth", () => {
  it('refuses, saying why and committing nothing, a save on top of an invalid or hostile tip', async () => {
    const server = await startLocalSidecar();
    running.push(server);
    for (const [file, text, code] of [
      ['content/profiles/gpu.yaml', 'display_name: GPU\nimages:\n  - image: nope\n', 'UnknownImage'],
      ['content/profiles/bomb.yaml', aliasBomb(7), 'YamlAliasBudget'],
    ] as const) {
      const tip = await pushToMain(server.repo, file, text);
      await waitForNewest(server.url, tip);
      const answer = await saveFile(server, 'content/images/extra.yaml', imageYaml(1));
      expect(answer.status).toBe(422);
      expect(String(answer.body['error'])).toContain('would not go live');
      expect(String(answer.body['error'])).toContain(code);
      expect(String(answer.body['error'])).toContain('Nothing was saved.');
      expect((await git(server.repo, 'rev-parse', 'main')).trim()).toBe(tip);
    }
  });

  it('says the change was saved, naming the commit, when it is on main but could not be made live', async () => {
    const repo = await freshRepoDir();
    await ensureContentRepo(repo, path.join(projectRoot, 'content'));
    const store = new GitStore(repo);
    store.onPublish = async () => {
      throw new Error('the outputs could not be refreshed');
    };
    const api = createContentApi({ store });
    const answer = await api(
      new Request('http://127.0.0.1/api/v1', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          action: 'persistEntry',
          params: {
            dataFiles: [{ path: 'content/images/extra.yaml', raw: imageYaml(2) }],
            options: {},
            base: { 'content/images/extra.yaml': null },
          },
        }),
      }),
    );
    const body = (await answer.json()) as { error: string; commit: string };
    const main = (await git(repo, 'rev-parse', 'main')).trim();
    expect(answer.status).toBe(500);
    expect(body.commit).toBe(main);
    expect(body.error).toContain(`saved as commit ${main.slice(0, 10)} on main, but it is not live`);
    expect(body.error).not.toContain('nothing was saved');
  });
});

describe('the working tree and scratch folders after a crash', () => {
  it('repairs a working tree left behind main and removes dead processes\u2019 scratch folders at start-up', async () => {
    const repo = await freshRepoDir();
    await ensureContentRepo(repo, path.join(projectRoot, 'content'));
    // What kill -9 between moving main and updating the files leaves: main has a new image, the tree does not.
    const store = new GitStore(repo);
    const base = await store.mainTip();
    await store.repo.commit({
      branch: 'main',
      base,
      expected: base,
      files: [{ path: 'content/images/added.yaml', text: imageYaml(3) }],
      deletes: [],
      message: 'Saved just before the crash',
      author: { name: 'a', email: 'a@x' },
    });
    expect(await git(repo, 'status', '--porcelain')).toContain('D  content/images/added.yaml');
    const deadPid = spawnSync(process.execPath, ['-e', 'process.pid']).pid!;
    const stale = path.join(tmpdir(), `z2jh-commit-${deadPid}-test`);
    const live = path.join(tmpdir(), `z2jh-commit-${process.pid}-test`);
    await mkdir(stale, { recursive: true });
    await mkdir(live, { recursive: true });

    const config = readServerConfig(
      { PORT: '0', CONFIGURATOR_CONTENT_REPO: repo },
      { projectDir: projectRoot },
    );
    running.push(
      await startServer({
        distDir: await emptyDist(),
        config,
        sampleContent: path.join(projectRoot, 'content'),
        log: () => undefined,
      }),
    );
    expect(await git(repo, 'status', '--porcelain')).toBe('');
    expect(await readFile(path.join(repo, 'content/images/added.yaml'), 'utf8')).toBe(imageYaml(3));
    expect(await exists(stale)).toBe(false);
    expect(await exists(live)).toBe(true); // a running process's folder stays
    await rm(live, { recursive: true, force: true });
  });

  it('repairs the working tree after the next commit too, keeping unrelated local edits', async () => {
    const server = await startLocalSidecar();
    running.push(server);
    const store = new GitStore(server.repo);
    const base = await store.mainTip();
    await store.repo.commit({
      branch: 'main',
      base,
      expected: base,
      files: [{ path: 'content/images/missed.yaml', text: imageYaml(4) }],
      deletes: [],
      message: 'A commit whose files were never written',
      author: { name: 'a', email: 'a@x' },
    });
    await writeFile(path.join(server.repo, 'notes.txt'), 'my own notes\n');
    expect((await saveFile(server, 'content/images/next.yaml', imageYaml(5))).status).toBe(200);
    expect(await git(server.repo, 'status', '--porcelain')).toBe('?? notes.txt\n');
    expect(await readFile(path.join(server.repo, 'content/images/missed.yaml'), 'utf8')).toBe(imageYaml(4));
  });
});
