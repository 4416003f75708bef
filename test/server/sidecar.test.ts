import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  callApi,
  currentRevision,
  git,
  localSidecars,
  saveFile,
  type LocalSidecar as Sidecar,
} from '../helpers/sidecar.ts';
import { readCapture, shapeOf } from '../helpers/captures.ts';

const start = localSidecars();

const imageYaml = (n: number) => `display_name: Image ${n}\nimage: quay.io/org/image:${n}\n`;
const listJson = async (server: Sidecar) => {
  const response = await fetch(`${server.url}profile_list.json`);
  return {
    etag: response.headers.get('etag'),
    commit: response.headers.get('x-content-commit'),
    list: (await response.json()) as { slug: string; display_name: string }[],
  };
};

describe('the sidecar server over a content git repository', () => {
  it('creates the repository from the sample content and serves its outputs with ETag, 304 and Cache-Control', async () => {
    const server = await start();
    expect((await git(server.repo, 'log', '--format=%s')).trim()).toBe(
      'Start the hub content from the sample',
    );
    const first = await fetch(`${server.url}profile_list.json`);
    expect(first.status).toBe(200);
    expect(first.headers.get('cache-control')).toBe('no-cache');
    const etag = first.headers.get('etag')!;
    expect(((await first.json()) as unknown[]).length).toBe(3);
    const again = await fetch(`${server.url}profile_list.json`, { headers: { 'If-None-Match': etag } });
    expect(again.status).toBe(304);
    const values = await fetch(`${server.url}values.yaml`);
    expect(await values.text()).toContain('profileList:');
    expect((await (await fetch(`${server.url}healthz`)).json()) as object).toMatchObject({
      status: 'ok',
      valid: true,
    });
  });

  it('makes each save one commit by its author, live in the outputs as soon as the save is answered', async () => {
    const server = await start();
    const before = await listJson(server);
    const gpu = await readFile(path.join(server.repo, 'content/profiles/gpu.yaml'), 'utf8');
    const saved = await saveFile(
      server,
      'content/profiles/gpu.yaml',
      gpu.replace('GPU (NVIDIA T4)', 'GPU (T4, renamed)'),
    );
    expect(saved.status).toBe(200);
    const after = await listJson(server);
    expect(after.etag).not.toBe(before.etag);
    expect(after.list.find((p) => p.slug === 'gpu')?.display_name).toBe('GPU (T4, renamed)');
    expect((await git(server.repo, 'log', '-1', '--format=%an|%s')).trim()).toBe(
      'local-admin|Update content/profiles/gpu.yaml',
    );
    expect(after.commit).toBe((await git(server.repo, 'rev-parse', 'main')).trim());
    // the checked-out working tree follows main
    expect(await readFile(path.join(server.repo, 'content/profiles/gpu.yaml'), 'utf8')).toContain(
      'GPU (T4, renamed)',
    );
  });

  it('refuses an invalid save and leaves the repository exactly as it was', async () => {
    const server = await start();
    const head = (await git(server.repo, 'rev-parse', 'main')).trim();
    const answer = await saveFile(
      server,
      'content/profiles/gpu.yaml',
      'display_name: GPU\nimages:\n  - image: missing\n',
    );
    expect(answer.status).toBe(422);
    expect(String(answer.body['error'])).toContain('UnknownImage');
    expect((await git(server.repo, 'rev-parse', 'main')).trim()).toBe(head);
    expect((await git(server.repo, 'status', '--porcelain')).trim()).toBe('');
  });

  it('two admins saving at once, then 100 saves in a row: no commit lost, history linear', async () => {
    const server = await start();
    const together = await Promise.all([
      saveFile(server, 'content/images/a.yaml', imageYaml(1)),
      saveFile(server, 'content/images/b.yaml', imageYaml(2)),
    ]);
    expect(together.map((r) => r.status)).toEqual([200, 200]);
    for (let i = 0; i < 100; i++) {
      const answer = await saveFile(server, 'content/images/busy.yaml', imageYaml(i));
      expect(answer.status).toBe(200);
    }
    const log = (await git(server.repo, 'log', '--format=%H %P', 'main')).trim().split('\n');
    expect(log).toHaveLength(1 + 2 + 100);
    expect(log.every((line) => line.split(' ').length <= 2)).toBe(true);
    expect(parse(await readFile(path.join(server.repo, 'content/images/busy.yaml'), 'utf8'))).toEqual({
      display_name: 'Image 99',
      image: 'quay.io/org/image:99',
    });
    expect((await git(server.repo, 'fsck', '--no-progress')).trim()).toBe('');
    // 102 saves, each read back first for its base revision and checked whole before it commits: about half a
    // second each on this 2-core machine while other tests run, so more than the default 60 s.
  }, 180_000);

  it('keeps serving the last valid commit while a bad commit sits on main, says so, and refuses saves that would not go live', async () => {
    const server = await start();
    const good = await listJson(server);
    await writeFile(
      path.join(server.repo, 'content/profiles/gpu.yaml'),
      'display_name: GPU\nimages:\n  - image: nope\n',
    );
    await git(server.repo, 'commit', '-am', 'A bad push');
    const bad = (await git(server.repo, 'rev-parse', 'main')).trim();
    await expect
      .poll(
        async () =>
          ((await (await fetch(`${server.url}api/status`)).json()) as { newestCommit?: string }).newestCommit,
        { timeout: 5000 },
      )
      .toBe(bad);
    const status = (await (await fetch(`${server.url}api/status`)).json()) as {
      valid: boolean;
      servingCommit: string;
      problems: { code: string }[];
    };
    expect(status.valid).toBe(false);
    expect(status.servingCommit).toBe(good.commit);
    expect(status.problems.map((p) => p.code)).toContain('UnknownImage');
    expect((await listJson(server)).etag).toBe(good.etag);
    expect((await fetch(`${server.url}healthz`)).status).toBe(200);
    // an unrelated save would not go live: it is refused, saying why, and main does not move
    const unrelated = await saveFile(server, 'content/images/extra.yaml', imageYaml(7));
    expect(unrelated.status).toBe(422);
    expect(String(unrelated.body['error'])).toContain('would not go live');
    expect(String(unrelated.body['error'])).toContain('UnknownImage');
    expect((await git(server.repo, 'rev-parse', 'main')).trim()).toBe(bad);
    expect((await listJson(server)).etag).toBe(good.etag);
    // fixing the profile makes the newest commit valid and live again
    const fixed = (await git(server.repo, 'show', `${good.commit}:content/profiles/gpu.yaml`)).toString();
    expect((await saveFile(server, 'content/profiles/gpu.yaml', fixed)).status).toBe(200);
    const now = await listJson(server);
    expect(now.commit).toBe((await git(server.repo, 'rev-parse', 'main')).trim());
  });

  it('refuses writes to node groups, paths outside content/, and oversized bodies, over HTTP', async () => {
    const server = await start();
    expect((await saveFile(server, 'content/node-groups/small.yaml', 'display_name: x\n')).status).toBe(403);
    expect((await callApi(server, 'getEntry', { path: '../../etc/passwd' })).status).toBe(422);
    expect((await saveFile(server, 'content/../../outside.yaml', 'x: 1\n')).status).toBe(422);
    const big = await fetch(`${server.url}api/v1`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: server.origin },
      body: JSON.stringify({ action: 'info', padding: 'x'.repeat(2 * 1024 * 1024) }),
    });
    expect(big.status).toBe(413);
  });

  it('refuses state-changing calls that do not come from its own pages (Origin check)', async () => {
    const server = await start();
    const forged = await fetch(`${server.url}api/v1`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: 'https://evil.example' },
      body: JSON.stringify({ action: 'info' }),
    });
    expect(forged.status).toBe(403);
    const form = await fetch(`${server.url}api/v1`, {
      method: 'POST',
      headers: { Origin: server.origin },
      body: 'action=info',
    });
    expect(form.status).toBe(403);
  });
});

describe('review: drafts, "in review", "ready", publish (Decap editorial workflow)', () => {
  it('keeps a proposal on its own branch until another admin publishes it as one commit on main', async () => {
    const server = await start({ CONFIGURATOR_PUBLISH_MODE: 'editorial_workflow' });
    const info = await callApi(server, 'info');
    expect(info.body['publish_modes']).toEqual(['simple', 'editorial_workflow']);
    const head = (await git(server.repo, 'rev-parse', 'main')).trim();
    expect((await saveFile(server, 'content/images/julia.yaml', imageYaml(3), true)).status).toBe(200);
    expect((await git(server.repo, 'rev-parse', 'main')).trim()).toBe(head);
    expect((await git(server.repo, 'branch', '--list', 'cms/*')).trim()).toBe('cms/images/julia');

    const listed = await callApi(server, 'unpublishedEntries');
    expect(listed.body).toEqual(['images/julia']);
    const entry = await callApi(server, 'unpublishedEntry', { id: 'images/julia' });
    const capture = await readCapture('09-unpublishedEntry');
    expect(shapeOf(entry.body)).toEqual(shapeOf(capture.response));
    expect(entry.body).toMatchObject({ collection: 'images', slug: 'julia', status: 'draft' });
    const data = await callApi(server, 'unpublishedEntryDataFile', {
      collection: 'images',
      slug: 'julia',
      id: 'x',
      path: 'content/images/julia.yaml',
    });
    expect(data.body).toMatchObject({ data: imageYaml(3) });

    expect(
      (
        await callApi(server, 'updateUnpublishedEntryStatus', {
          collection: 'images',
          slug: 'julia',
          newStatus: 'pending_review',
        })
      ).status,
    ).toBe(200);
    expect(
      (await callApi(server, 'unpublishedEntry', { collection: 'images', slug: 'julia' })).body['status'],
    ).toBe('pending_review');
    const published = await callApi(server, 'publishUnpublishedEntry', {
      collection: 'images',
      slug: 'julia',
    });
    expect(published.status).toBe(200);
    expect((await git(server.repo, 'branch', '--list', 'cms/*')).trim()).toBe('');
    expect((await git(server.repo, 'log', '-1', '--format=%s')).trim()).toMatch(
      /^Publish images “julia” \(proposed by local-admin, approved by local-admin\)$/,
    );
    expect((await callApi(server, 'unpublishedEntry', { id: 'images/julia' })).status).toBe(404);
    expect(await readFile(path.join(server.repo, 'content/images/julia.yaml'), 'utf8')).toBe(imageYaml(3));
  });

  it('refuses to publish a draft that would make main invalid, and deletes drafts on request', async () => {
    const server = await start({ CONFIGURATOR_PUBLISH_MODE: 'editorial_workflow' });
    expect((await saveFile(server, 'content/images/extra.yaml', imageYaml(4))).status).toBe(200);
    const gpu = await readFile(path.join(server.repo, 'content/profiles/gpu.yaml'), 'utf8');
    const proposal = gpu.replace('image: pytorch', 'image: extra');
    expect((await saveFile(server, 'content/profiles/gpu.yaml', proposal, true)).status).toBe(200);
    // meanwhile the image the proposal uses is deleted from main (nothing published uses it)
    expect(
      (
        await callApi(server, 'deleteFiles', {
          paths: ['content/images/extra.yaml'],
          options: { commitMessage: 'x' },
          base: { 'content/images/extra.yaml': await currentRevision(server, 'content/images/extra.yaml') },
        })
      ).status,
    ).toBe(200);
    const head = (await git(server.repo, 'rev-parse', 'main')).trim();
    const refused = await callApi(server, 'publishUnpublishedEntry', { collection: 'profiles', slug: 'gpu' });
    expect(refused.status).toBe(422);
    expect(String(refused.body['error'])).toContain('UnknownImage');
    expect((await git(server.repo, 'rev-parse', 'main')).trim()).toBe(head);
    expect((await callApi(server, 'unpublishedEntries')).body).toEqual(['profiles/gpu']);
    expect(
      (await callApi(server, 'deleteUnpublishedEntry', { collection: 'profiles', slug: 'gpu' })).status,
    ).toBe(200);
    expect((await callApi(server, 'unpublishedEntries')).body).toEqual([]);
  });
});

describe('history and restore', () => {
  it('lists each published change with a readable diff, warns about removed choices, and restores as a new commit', async () => {
    const server = await start();
    const original = await readFile(path.join(server.repo, 'content/profiles/data-science.yaml'), 'utf8');
    const first = (await git(server.repo, 'rev-parse', 'main')).trim();
    const shrunk = original.replace(/ {2}- key: large[\s\S]*?mem_limit: 28G\n/, '');
    expect(shrunk).not.toBe(original);
    expect((await saveFile(server, 'content/profiles/data-science.yaml', shrunk)).status).toBe(200);
    const history = (await (await fetch(`${server.url}api/history`)).json()) as {
      sha: string;
      author: string;
      changes: { kind: string; where: string }[];
      warnings: string[];
    }[];
    expect(history).toHaveLength(2);
    expect(history[0]?.author).toBe('local-admin');
    expect(history[0]?.changes).toEqual([
      expect.objectContaining({ kind: 'removed', where: 'data-science › size › large' }),
    ]);
    expect(history[0]?.warnings[0]).toContain('users who saved it will be asked to choose again');
    const page = await (await fetch(`${server.url}history`)).text();
    expect(page).toContain('Restore this version');

    const restore = (head: string) =>
      fetch(`${server.url}api/restore`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Origin: server.origin },
        body: JSON.stringify({ commit: first, head }),
      });
    // A restore names the newest change the admin saw: an older one would undo a change they never saw.
    const stale = await restore(first);
    expect(stale.status).toBe(409);
    expect(((await stale.json()) as { error: string }).error).toContain('Nothing was restored.');
    const restored = await restore(history[0]!.sha);
    expect(restored.status).toBe(200);
    expect((await git(server.repo, 'log', '--format=%s', '-1')).trim()).toMatch(
      /^Restore the version of \d{4}-\d\d-\d\d \d\d:\d\d UTC \(.+\)$/,
    );
    expect(await readFile(path.join(server.repo, 'content/profiles/data-science.yaml'), 'utf8')).toBe(
      original,
    );
    expect((await git(server.repo, 'rev-list', '--count', 'main')).trim()).toBe('3');
  });
});

describe('conflicts: a save from an editor that opened an older version is refused', () => {
  const file = 'content/images/scipy.yaml';
  const persistAs = (server: Sidecar, raw: string, base: string | null, useWorkflow: boolean) =>
    callApi(server, 'persistEntry', {
      dataFiles: [{ slug: 'scipy', path: file, raw }],
      assets: [],
      options: { commitMessage: 'Update scipy', useWorkflow, status: 'draft' },
      base: { [file]: base },
    });

  it('two admins: the second is refused with who changed it and when, and main does not move', async () => {
    const server = await start();
    const opened = await currentRevision(server, file);
    const text = await readFile(path.join(server.repo, file), 'utf8');
    await writeFile(path.join(server.repo, file), text.replace('2024-03-18', '2024-05-27'));
    await git(server.repo, 'commit', '-qam', 'Bump scipy');
    const head = (await git(server.repo, 'rev-parse', 'main')).trim();
    const stale = await persistAs(
      server,
      text.replace(/description: .*/, 'description: Mine'),
      opened,
      false,
    );
    expect(stale.status).toBe(409);
    expect(String(stale.body['error'])).toMatch(
      /^The image \u201c.+\u201d was changed by someone on \d{4}-\d\d-\d\d \d\d:\d\d .*Nothing was saved\. Reload it/,
    );
    expect(stale.body['conflict']).toMatchObject({ author: 'someone', where: 'published' });
    expect((await git(server.repo, 'rev-parse', 'main')).trim()).toBe(head);
  });

  it('editorial workflow: a second draft from the published version, and publishing after main moved', async () => {
    const server = await start({ CONFIGURATOR_PUBLISH_MODE: 'editorial_workflow' });
    const published = await currentRevision(server, file);
    const text = await readFile(path.join(server.repo, file), 'utf8');
    const first = await persistAs(server, text.replace('2024-03-18', '2024-05-27'), published, true);
    expect(first.status).toBe(200);
    const second = await persistAs(server, text.replace('SciPy', 'SciPy 2'), published, true);
    expect(second.status).toBe(409);
    expect(String(second.body['error'])).toContain('(in a draft waiting for review)');
    // The draft's author saves again from the draft's own revision: accepted.
    const again = await persistAs(
      server,
      text.replace('2024-03-18', '2024-06-01'),
      String(first.body['id']),
      true,
    );
    expect(again.status).toBe(200);
    // Someone changes the published entry meanwhile: publishing the draft would undo it, so it is refused.
    await writeFile(
      path.join(server.repo, file),
      text.replace(/display_name: .*/, 'display_name: Elsewhere'),
    );
    await git(server.repo, 'commit', '-qam', 'Rename scipy elsewhere');
    const head = (await git(server.repo, 'rev-parse', 'main')).trim();
    const publish = await callApi(server, 'publishUnpublishedEntry', { collection: 'images', slug: 'scipy' });
    expect(publish.status).toBe(409);
    expect(String(publish.body['error'])).toContain('was changed by someone');
    expect((await git(server.repo, 'rev-parse', 'main')).trim()).toBe(head);
  });
});
