import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createImageChecker } from '../../src/registry/checker.ts';
import { createBumpApi } from '../../src/server/bump-api.ts';
import { createWriteQueue } from '../../src/server/content-api.ts';
import { createFreshnessService, readFreshnessSettings } from '../../src/server/freshness.ts';
import { ensureContentRepo } from '../../src/server/git/init.ts';
import { GitStore } from '../../src/server/git-store.ts';
import { projectRoot } from '../helpers/content.ts';
import { requireTools } from '../registry/helpers/processes.ts';
import { startRegistry, type TestRegistry } from '../registry/helpers/registry.ts';
import { pushCreatedImage } from '../registry/helpers/tags.ts';

describe('the sidecar keeps images fresh (a real git repository, a real registry)', () => {
  let registry: TestRegistry;
  let store: GitStore;
  const author = { name: 'alice', email: 'alice@jupyterhub' };

  beforeAll(async () => {
    requireTools('docker-registry');
    registry = await startRegistry();
    await pushCreatedImage(
      registry.host,
      'jupyter/scipy',
      ['2024-03-18', '2024-04-01'],
      '2024-01-01T00:00:00Z',
    );
    await pushCreatedImage(registry.host, 'jupyter/r', ['4.3', '4.4'], '2024-01-01T00:00:00Z');
    const dir = path.join(await mkdtemp(path.join(tmpdir(), 'z2jh-freshness-')), 'repo');
    await ensureContentRepo(dir, path.join(projectRoot, 'content'));
    store = new GitStore(dir);
    const image = (id: string, reference: string) => ({
      path: `content/images/${id}.yaml`,
      text: `display_name: ${id}\nimage: ${reference} # kept by the check\n`,
    });
    // Every image on the loopback registry: three in repositories that do not exist (the check reports them failed).
    await store.write({
      files: [
        image('scipy', `${registry.host}/jupyter/scipy:2024-03-18`),
        image('rstudio', `${registry.host}/jupyter/r:4.3`),
        ...['datascience', 'pangeo', 'pytorch'].map((id) => image(id, `${registry.host}/none/${id}:1`)),
      ],
      deletes: [],
      message: 'Images on the loopback registry',
      author,
    });
  }, 120_000);

  afterAll(async () => {
    await registry?.stop();
  });

  it('reads its interval (off at 0, 6 h beside the hub by default) and the drafts switch', () => {
    expect(readFreshnessSettings({}, 'hub').settings).toEqual({ intervalSeconds: 21_600, openDrafts: false });
    expect(readFreshnessSettings({}, 'local').settings.intervalSeconds).toBe(0);
    expect(readFreshnessSettings({ CONFIGURATOR_FRESHNESS_INTERVAL: 'x' }, 'hub').problems).toHaveLength(1);
  });

  it('finds the outdated images and opens each bump as a draft for review, never publishing', async () => {
    const before = await store.readAll();
    const service = createFreshnessService({
      checker: createImageChecker({ cache: false }),
      store,
      workflow: store,
      validate: {},
      settings: { intervalSeconds: 0, openDrafts: true },
      queue: createWriteQueue(),
      log: () => {},
    });
    const findings = await service.runCheck();
    expect(findings.outdated.map((o) => [o.id, o.newest])).toEqual([
      ['rstudio', '4.4'],
      ['scipy', '2024-04-01'],
    ]);
    expect(findings.drafts).toEqual(['rstudio', 'scipy']);
    const draft = await store.getDraft('images', 'scipy');
    expect(draft?.files[0]?.text).toBe(
      `display_name: scipy\nimage: ${registry.host}/jupyter/scipy:2024-04-01 # kept by the check\n`,
    );
    expect(await store.readAll()).toEqual(before);
    // A second check leaves the drafts in review alone.
    expect((await service.runCheck()).drafts).toEqual([]);
    await store.deleteDraft('images', 'scipy');
    await store.deleteDraft('images', 'rstudio');
  });

  it('"Update to" refuses a stale editor and an unknown tag, then commits one line', async () => {
    const bump = createBumpApi({
      checker: createImageChecker({ cache: false }),
      store,
      queue: createWriteQueue(),
      validate: {},
      authorOf: () => author,
    });
    const post = (body: object) =>
      bump(new Request('http://x/api/bump', { method: 'POST', body: JSON.stringify(body) }));
    const stale = await post({
      id: 'scipy',
      tag: '2024-04-01',
      expected: `${registry.host}/jupyter/scipy:2023-01-01`,
    });
    expect(stale.status).toBe(409);
    const missing = await post({ id: 'scipy', tag: '2099-01-01' });
    expect(missing.status).toBe(422);
    expect(((await missing.json()) as { error: string }).error).toContain('cannot be used');
    const saved = await post({
      id: 'scipy',
      tag: '2024-04-01',
      expected: `${registry.host}/jupyter/scipy:2024-03-18`,
    });
    expect(await saved.json()).toMatchObject({
      draft: false,
      to: `${registry.host}/jupyter/scipy:2024-04-01`,
    });
    expect(await store.read('content/images/scipy.yaml')).toBe(
      `display_name: scipy\nimage: ${registry.host}/jupyter/scipy:2024-04-01 # kept by the check\n`,
    );
  });
});
