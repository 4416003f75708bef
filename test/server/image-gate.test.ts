// Every save in the sidecar server checks a new or changed image against its registry: a real Debian
// docker-registry on loopback. A save of an image that does not exist is refused; one that exists is accepted.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readServerConfig } from '../../src/server/config.ts';
import { startServer, type RunningServer } from '../../src/server/main.ts';
import { projectRoot } from '../helpers/content.ts';
import { emptyDist, freshRepoDir, git, saveFile } from '../helpers/sidecar.ts';
import { buildOciLayout, pushImage, type OciLayout } from '../registry/helpers/images.ts';
import { requireTools } from '../registry/helpers/processes.ts';
import { startRegistry, type TestRegistry } from '../registry/helpers/registry.ts';

let registry: TestRegistry;
let layout: OciLayout;
let server: RunningServer & { origin: string };
let repo: string;

beforeAll(async () => {
  requireTools('docker-registry', 'skopeo');
  [registry, layout] = await Promise.all([startRegistry(), buildOciLayout()]);
  await pushImage(layout, 'single', `${registry.host}/team/notebook:2024-01`);
  repo = await freshRepoDir();
  const config = readServerConfig(
    { PORT: '0', CONFIGURATOR_CONTENT_REPO: repo },
    { projectDir: projectRoot },
  );
  const running = await startServer({
    distDir: await emptyDist(),
    config,
    sampleContent: path.join(projectRoot, 'content'),
    checkImages: true,
    log: () => undefined,
  });
  server = { ...running, origin: new URL(running.url).origin };
}, 120_000);

afterAll(async () => {
  await server?.close();
  await registry?.stop();
  await layout?.remove();
});

describe('the image check on every save', () => {
  it('accepts an image that exists in its registry', async () => {
    const answer = await saveFile(
      server,
      'content/images/team.yaml',
      `display_name: Team\nimage: ${registry.host}/team/notebook:2024-01\n`,
    );
    expect(answer.status).toBe(200);
  });

  it("refuses a new image whose tag does not exist, with the registry's answer, and commits nothing", async () => {
    const head = (await git(repo, 'rev-parse', 'main')).trim();
    const answer = await saveFile(
      server,
      'content/images/typo.yaml',
      `display_name: Typo\nimage: ${registry.host}/team/notebook:2024-10\n`,
    );
    expect(answer.status).toBe(422);
    expect(String(answer.body['error'])).toContain('ImageNotFound');
    expect(String(answer.body['error'])).toContain(`${registry.host}/team/notebook:2024-10`);
    expect((await git(repo, 'rev-parse', 'main')).trim()).toBe(head);
  });
});
