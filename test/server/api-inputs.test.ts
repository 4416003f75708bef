import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { callApi, git, saveFile, startLocalSidecar } from '../helpers/sidecar.ts';
import { deepYaml } from '../helpers/hostile.ts';

type Sidecar = Awaited<ReturnType<typeof startLocalSidecar>>;
const running: Sidecar[] = [];
afterEach(async () => {
  while (running.length) await running.pop()!.close();
});
async function start(): Promise<Sidecar> {
  const server = await startLocalSidecar();
  running.push(server);
  return server;
}
const mainOf = async (server: Sidecar) => (await git(server.repo, 'rev-parse', 'main')).trim();
const image = 'display_name: Extra\nimage: quay.io/org/extra:1\n';

describe('the content API with wrong or hostile input', () => {
  it('answers wrong JSON types with a 422 naming the field, and saves nothing', async () => {
    const server = await start();
    const head = await mainOf(server);
    const file = { path: 'content/images/extra.yaml', raw: image };
    for (const [params, words] of [
      [{ dataFiles: [null] }, '"dataFiles[0]" must be an object'],
      [{ dataFiles: [file], options: { commitMessage: {} } }, '"commitMessage" must be a string'],
      [{ dataFiles: [file], options: 'simple' }, '"options" must be an object'],
      [{ dataFiles: [{ ...file, raw: 42 }] }, '"raw" must be a string'],
      [{ dataFiles: 'content/images/extra.yaml' }, 'exactly one entry'],
    ] as const) {
      const answer = await callApi(server, 'persistEntry', params);
      expect(answer.status, JSON.stringify(params)).toBe(422);
      expect(String(answer.body['error'])).toContain(words);
    }
    const deletes = await callApi(server, 'deleteFiles', { paths: 'content/images/scipy.yaml' });
    expect(deletes.status).toBe(422);
    expect(String(deletes.body['error'])).toContain('"paths" must be a list of paths');
    expect(await mainOf(server)).toBe(head);
  });

  it('answers duplicate keys and very deep YAML with a 422 and the line', async () => {
    const server = await start();
    const head = await mainOf(server);
    const duplicate = await saveFile(
      server,
      'content/images/extra.yaml',
      `${image}image: quay.io/org/other:1\n`,
    );
    expect(duplicate.status).toBe(422);
    expect(duplicate.body['errors']).toMatchObject([{ code: 'DuplicateKey', line: 3 }]);
    const deep = await saveFile(server, 'content/profiles/deep.yaml', deepYaml(10_000));
    expect(deep.status).toBe(422);
    expect(deep.body['errors']).toMatchObject([{ code: 'YamlTooDeep', line: 3 }]);
    expect(await mainOf(server)).toBe(head);
  });

  it('refuses deleting a glob or a missing path instead of making an empty commit', async () => {
    const server = await start();
    const head = await mainOf(server);
    for (const target of ['content/images/*.yaml', 'content/images/nope.yaml']) {
      // The editor names the revision it saw: none, for a path that does not exist.
      const answer = await callApi(server, 'deleteFiles', { paths: [target], base: { [target]: null } });
      expect(answer.status).toBe(404);
      expect(String(answer.body['error'])).toContain('Nothing was deleted.');
    }
    expect(await mainOf(server)).toBe(head);
  });

  it('lists and edits a .yml entry, keeping its file name', async () => {
    const server = await start();
    await writeFile(path.join(server.repo, 'content/images/legacy.yml'), image);
    await git(server.repo, 'add', 'content/images/legacy.yml');
    await git(server.repo, 'commit', '-q', '-m', 'A hand-written .yml entry');
    const listed = await callApi(server, 'entriesByFolder', { folder: 'content/images', extension: 'yaml' });
    expect((listed.body as unknown as { file: { path: string } }[]).map((e) => e.file.path)).toContain(
      'content/images/legacy.yml',
    );
    const saved = await saveFile(server, 'content/images/legacy.yml', image.replace('Extra', 'Legacy'));
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    const files = await git(server.repo, 'ls-tree', '-r', '--name-only', 'main', 'content/images');
    expect(files).toContain('content/images/legacy.yml');
    expect(files).not.toContain('content/images/legacy.yaml');
    expect(await git(server.repo, 'show', 'main:content/images/legacy.yml')).toContain(
      'display_name: Legacy',
    );
  });
});
