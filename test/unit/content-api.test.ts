import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
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

const persist = (file: string, raw: string) =>
  call('persistEntry', {
    dataFiles: [{ slug: path.basename(file, '.yaml'), path: file, raw }],
    assets: [],
    options: { commitMessage: `Update ${file}`, useWorkflow: false, status: 'draft' },
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
    const answer = await call('persistEntry', params);
    expect(answer).toEqual({ status: capture.status, body: capture.response });
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
