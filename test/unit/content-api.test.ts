import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { entryToYaml, yamlToEntry } from '../../src/lib/cms/entry-format.ts';
import { createContentApi } from '../../src/server/content-api.ts';
import { createFsStore } from '../../src/server/fs-store.ts';
import { readCapture, shapeOf } from '../helpers/captures.ts';
import { copySampleProject } from '../helpers/project.ts';

let project: string;
let api: (request: Request) => Promise<Response>;

beforeEach(async () => {
  project = await copySampleProject();
  api = createContentApi({ store: createFsStore(project) });
});

async function call(
  action: string,
  params: Record<string, unknown> = {},
): Promise<{ status: number; body: unknown }> {
  const response = await api(
    new Request('http://127.0.0.1/api/v1', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ branch: 'main', action, params: { branch: 'main', ...params } }),
    }),
  );
  return { status: response.status, body: await response.json() };
}

/** The revision an editor opening `file` now starts from (null: no such file). */
async function revision(file: string): Promise<string | null> {
  const answer = await call('getEntry', { path: file });
  return (answer.body as { file?: { id: string | null } }).file?.id ?? null;
}

const persist = async (file: string, raw: string, base?: string | null) =>
  call('persistEntry', {
    dataFiles: [{ slug: path.basename(file, '.yaml'), path: file, raw }],
    assets: [],
    options: { commitMessage: `Update ${file}`, useWorkflow: false, status: 'draft' },
    base: { [file]: base === undefined ? await revision(file).catch(() => null) : base },
  });

describe('the content API answers as decap-server does (recorded captures)', () => {
  it.each([
    ['01-info', 'info', {}],
    ['02-entriesByFolder', 'entriesByFolder', { folder: 'content/profiles', extension: 'yaml', depth: 1 }],
    [
      '03-entriesByFiles',
      'entriesByFiles',
      { files: [{ path: 'content/settings.yaml', label: 'Hub settings' }] },
    ],
    ['04-getEntry', 'getEntry', { path: 'content/profiles/gpu.yaml' }],
    ['28-getEntry-missing-file', 'getEntry', { path: 'content/profiles/none.yaml' }],
    ['15-getDeployPreview', 'getDeployPreview', { collection: 'profiles', slug: 'gpu' }],
  ])('%s: same status and shape', async (name, action, params) => {
    const capture = await readCapture(name);
    expect(capture.request.action).toBe(action);
    const answer = await call(action, params);
    expect(answer.status).toBe(capture.status);
    expect(shapeOf(answer.body)).toEqual(shapeOf(capture.response));
  });

  it('18b-persistEntry-simple-with-status: same request shape is accepted with the same answer', async () => {
    const capture = await readCapture('18b-persistEntry-simple-with-status');
    const params = structuredClone(capture.request.params!) as {
      dataFiles: { slug: string; path: string; raw: string }[];
    };
    params.dataFiles = [
      {
        slug: 'gpu',
        path: 'content/profiles/gpu.yaml',
        raw: (await readFile(path.join(project, 'content/profiles/gpu.yaml'), 'utf8')).replace(
          'order: 30',
          'order: 31',
        ),
      },
    ];
    const answer = await call('persistEntry', {
      ...params,
      base: { 'content/profiles/gpu.yaml': await revision('content/profiles/gpu.yaml') },
    });
    // The answer adds the new revision, so the editor can save again without reloading.
    expect(answer).toEqual({
      status: capture.status,
      body: { ...(capture.response as object), id: expect.stringMatching(/^[0-9a-f]{64}$/) },
    });
    expect(await readFile(path.join(project, 'content/profiles/gpu.yaml'), 'utf8')).toContain('order: 31');
  });

  it.each(['25-error-path-traversal', '26-error-sibling-prefix'])(
    '%s: refused with 422 {error}',
    async (name) => {
      const capture = await readCapture(name);
      const answer = await call(capture.request.action, capture.request.params);
      expect(answer.status).toBe(capture.status);
      expect(shapeOf(answer.body)).toMatchObject({ error: 'string' });
    },
  );

  it('20-deleteFiles: an unused image is deleted with the same answer shape', async () => {
    const capture = await readCapture('20-deleteFiles');
    await persist('content/images/spare.yaml', 'display_name: Spare\nimage: quay.io/a/spare:1\n');
    const answer = await call('deleteFiles', {
      paths: ['content/images/spare.yaml'],
      options: { commitMessage: 'Delete spare' },
      base: { 'content/images/spare.yaml': await revision('content/images/spare.yaml') },
    });
    expect(answer.status).toBe(capture.status);
    expect(answer.body).toEqual({ message: 'deleted files content/images/spare.yaml' });
  });

  it('24-error-unknown-action: 422 with an error', async () => {
    const answer = await call('frobnicate');
    expect(answer.status).toBe(422);
    expect(answer.body).toMatchObject({ error: 'Unknown action "frobnicate".' });
  });
});

describe('writes are validated on the whole tree first', () => {
  it('refuses an invalid change with every message and hint, and leaves the file as it was', async () => {
    const before = await readFile(path.join(project, 'content/profiles/gpu.yaml'), 'utf8');
    const answer = await persist(
      'content/profiles/gpu.yaml',
      'display_name: GPU\ndefault: true\nimages:\n  - image: nope\n',
    );
    expect(answer.status).toBe(422);
    const body = answer.body as { error: string; errors: { code: string }[] };
    expect(body.errors.map((e) => e.code).sort()).toEqual(['MultipleDefaultProfiles', 'UnknownImage']);
    expect(body.error).toContain('Hint:');
    expect(body.error).toContain('Nothing was saved.');
    expect(await readFile(path.join(project, 'content/profiles/gpu.yaml'), 'utf8')).toBe(before);
  });

  it('refuses deleting an image a profile still offers', async () => {
    const answer = await call('deleteFiles', {
      paths: ['content/images/scipy.yaml'],
      options: { commitMessage: 'x' },
      base: { 'content/images/scipy.yaml': await revision('content/images/scipy.yaml') },
    });
    expect(answer.status).toBe(422);
    expect((answer.body as { errors: { code: string }[] }).errors.map((e) => e.code)).toContain(
      'UnknownImage',
    );
    expect(await readFile(path.join(project, 'content/images/scipy.yaml'), 'utf8')).toContain(
      'scipy-notebook',
    );
  });

  it('refuses writes to node groups (403), outside the content folders, renames and media', async () => {
    expect((await persist('content/node-groups/small.yaml', 'display_name: x\n')).status).toBe(403);
    expect((await persist('content/../package.json', '{}')).status).toBe(422);
    expect((await persist('src/lib/evil.yaml', 'x: 1')).status).toBe(422);
    expect((await persist('content/other/x.yaml', 'x: 1')).status).toBe(422);
    const rename = await call('persistEntry', {
      dataFiles: [
        {
          slug: 'gpu',
          path: 'content/profiles/gpu.yaml',
          newPath: 'content/profiles/gpu2.yaml',
          raw: 'display_name: x\n',
        },
      ],
      options: { commitMessage: 'x', status: 'draft' },
    });
    expect(rename.status).toBe(422);
    expect(
      (
        await call('persistMedia', {
          asset: { path: 'content/media/x.png', content: '', encoding: 'base64' },
        })
      ).status,
    ).toBe(422);
  });

  it('refuses oversized bodies with 413 before parsing them', async () => {
    const small = createContentApi({ store: createFsStore(project), maxBodyBytes: 1000 });
    const response = await small(
      new Request('http://127.0.0.1/api/v1', {
        method: 'POST',
        body: JSON.stringify({ action: 'info', pad: 'x'.repeat(5000) }),
      }),
    );
    expect(response.status).toBe(413);
  });

  it('runs concurrent saves one at a time, so none is lost', async () => {
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        persist(`content/images/extra-${i}.yaml`, `display_name: Extra ${i}\nimage: quay.io/a/extra:${i}\n`),
      ),
    );
    expect(results.every((r) => r.status === 200)).toBe(true);
    const listed = await call('entriesByFolder', { folder: 'content/images', extension: 'yaml', depth: 1 });
    expect((listed.body as unknown[]).length).toBe(15);
  });
});

describe('a save names the revision it started from, and a stale one is refused', () => {
  const file = 'content/images/scipy.yaml';

  it('refuses a save from a stale editor (409), names the entry, writes nothing', async () => {
    const opened = await revision(file);
    const text = await readFile(path.join(project, file), 'utf8');
    expect((await persist(file, text.replace('2024-03-18', '2024-05-27'), opened)).status).toBe(200);
    const afterFirst = await readFile(path.join(project, file), 'utf8');
    const stale = await persist(file, text.replace(/display_name: .*/, 'display_name: Mine'), opened);
    expect(stale.status).toBe(409);
    const body = stale.body as { error: string; conflict: { entry: string; currentText: string } };
    expect(body.error).toMatch(
      /^The image \u201c.+\u201d was changed by someone after you opened it\. Nothing was saved\./,
    );
    expect(body.error).not.toContain('content/');
    expect(body.conflict.currentText).toContain('2024-05-27');
    expect(await readFile(path.join(project, file), 'utf8')).toBe(afterFirst);
  });

  it('accepts a second save from the same editor with the revision the first one answered', async () => {
    const text = await readFile(path.join(project, file), 'utf8');
    const first = await persist(file, text.replace('2024-03-18', '2024-05-27'));
    const id = (first.body as { id: string }).id;
    expect((await persist(file, text.replace('2024-03-18', '2024-06-01'), id)).status).toBe(200);
  });

  it('answers checkRevisions with the conflicts a save would meet, without writing', async () => {
    const opened = await revision(file);
    expect((await call('checkRevisions', { base: { [file]: opened } })).body).toEqual({ conflicts: [] });
    const text = await readFile(path.join(project, file), 'utf8');
    await persist(file, text.replace('2024-03-18', '2024-05-27'), opened);
    const answer = (await call('checkRevisions', { base: { [file]: opened } })).body as {
      conflicts: { path: string; base: string; currentText: string }[];
    };
    expect(answer.conflicts).toEqual([
      expect.objectContaining({
        path: file,
        base: opened,
        currentText: expect.stringContaining('2024-05-27'),
      }),
    ]);
  });

  it('refuses a save or a deletion without a base revision (428)', async () => {
    const save = await call('persistEntry', {
      dataFiles: [{ slug: 'scipy', path: file, raw: 'display_name: x\nimage: quay.io/a/b:1\n' }],
      options: { commitMessage: 'x', status: 'draft' },
    });
    expect(save.status).toBe(428);
    const removal = await call('deleteFiles', { paths: ['content/images/rstudio.yaml'], options: {} });
    expect(removal.status).toBe(428);
  });

  it('refuses creating an entry someone else created meanwhile, and deleting a changed one', async () => {
    const created = await persist(
      'content/images/julia.yaml',
      'display_name: Julia\nimage: quay.io/a/j:1\n',
      null,
    );
    expect(created.status).toBe(200);
    const again = await persist(
      'content/images/julia.yaml',
      'display_name: J2\nimage: quay.io/a/j:2\n',
      null,
    );
    expect(again.status).toBe(409);
    expect((again.body as { error: string }).error).toContain('was created by');
    const removal = await call('deleteFiles', {
      paths: ['content/images/julia.yaml'],
      options: {},
      base: { 'content/images/julia.yaml': 'f'.repeat(64) },
    });
    expect(removal.status).toBe(409);
    expect(await readFile(path.join(project, 'content/images/julia.yaml'), 'utf8')).toContain('Julia');
  });

  it('keeps comments, quotes and untouched lines: a one-field change is a one-line change', async () => {
    const profile = 'content/profiles/data-science.yaml';
    const text = await readFile(path.join(project, profile), 'utf8');
    const data = yamlToEntry(text) as { sizes: { display_name: string }[] };
    data.sizes[0]!.display_name = 'Small: 1 CPU, 4 GB RAM';
    expect((await persist(profile, entryToYaml('profiles', data))).status).toBe(200);
    const after = await readFile(path.join(project, profile), 'utf8');
    const before = text.split('\n');
    const changed = after.split('\n').filter((line, i) => line !== before[i]);
    expect(changed).toEqual(["    display_name: 'Small: 1 CPU, 4 GB RAM'"]);
  });
});

describe('moving the default profile is one save', () => {
  const FROM = 'content/profiles/data-science.yaml';
  const TO = 'content/profiles/gpu.yaml';
  const git = (...args: string[]) =>
    new Promise<string>((resolve, reject) =>
      execFile('git', args, { cwd: project }, (error, stdout) => (error ? reject(error) : resolve(stdout))),
    );
  const makeDefault = async (base: Record<string, string | null>) => {
    const raw = entryToYaml('profiles', {
      ...yamlToEntry(await readFile(path.join(project, TO), 'utf8')),
      default: true,
    });
    return call('persistEntry', {
      dataFiles: [{ slug: 'gpu', path: TO, raw }],
      assets: [],
      options: { commitMessage: 'Make GPU the default', useWorkflow: false },
      moveDefaultFrom: FROM,
      base,
    });
  };

  it('without moveDefaultFrom, a second default is refused', async () => {
    const raw = entryToYaml('profiles', {
      ...yamlToEntry(await readFile(path.join(project, TO), 'utf8')),
      default: true,
    });
    const answer = await persist(TO, raw);
    expect(answer.status).toBe(422);
    expect(JSON.stringify(answer.body)).toMatch(/default/i);
  });

  it('with it, both files change in one commit: one default before, one after, never two or none', async () => {
    await git('init', '-q', '-b', 'main');
    await git('add', '-A');
    await git('-c', 'user.name=t', '-c', 'user.email=t@example.org', 'commit', '-qm', 'start');
    const answer = await makeDefault({ [TO]: await revision(TO), [FROM]: await revision(FROM) });
    expect(answer.status).toBe(200);
    expect(await readFile(path.join(project, FROM), 'utf8')).not.toMatch(/^default:/m);
    expect(await readFile(path.join(project, TO), 'utf8')).toMatch(/^default: true$/m);
    // The other profile lost exactly one line.
    const diff = await git('diff', '--unified=0', '--', FROM);
    expect(diff.split('\n').filter((l) => /^[-+][^-+]/.test(l))).toEqual(['-default: true']);
  });

  it('is refused whole when the other profile changed since the editor read it', async () => {
    const before = await readFile(path.join(project, FROM), 'utf8');
    const answer = await makeDefault({ [TO]: await revision(TO), [FROM]: 'f'.repeat(64) });
    expect(answer.status).toBe(409);
    expect(await readFile(path.join(project, FROM), 'utf8')).toBe(before);
    expect(await readFile(path.join(project, TO), 'utf8')).not.toMatch(/^default:/m);
  });
});
