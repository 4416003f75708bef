// Every save in the sidecar server checks a new or changed image against its registry: a real Debian
// docker-registry on loopback. A save of an image that does not exist is refused; one that exists is accepted.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readServerConfig } from '../../src/server/config.ts';
import { startServer, type RunningServer } from '../../src/server/main.ts';
import { projectRoot } from '../helpers/content.ts';
import { freshRepoDir, git, saveFile } from '../helpers/sidecar.ts';
import { copySampleProject, runCli } from '../helpers/project.ts';
import { launchChromium } from '../helpers/browser.ts';
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
  // The built site, for the editor's image preview.
  const dist = path.join(projectRoot, 'test-results', 'dist-image-gate');
  const build = await runCli(await copySampleProject(), 'build', '--out', dist);
  if (build.code !== 0) throw new Error(build.stderr);
  const running = await startServer({
    distDir: dist,
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

describe('the image preview in /admin shows what the registry says', () => {
  it('answers api/check-image with the registry result', async () => {
    const ask = async (reference: string) =>
      (await (
        await fetch(`${server.url}api/check-image?reference=${encodeURIComponent(reference)}`, {
          headers: { 'Sec-Fetch-Site': 'same-origin' },
        })
      ).json()) as {
        status: string;
        digest?: string;
      };
    expect(await ask(`${registry.host}/team/notebook:2024-01`)).toMatchObject({
      status: 'exists',
      digest: layout.singleDigest,
    });
    expect((await ask(`${registry.host}/team/notebook:nope`)).status).toBe('not-found');
  });

  it('shows "exists" with the digest for a pushed image and "not-found" for a typo, while typing', async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
      await page.goto(`${server.url}admin/#/collections/images/new`);
      // The editor signs in from the server's session by itself: no Login click.
      await page.locator('[id^="display_name-field-"]').first().fill('Team notebook');
      const field = page.locator('[id^="image-field-"]').first();
      const status = page.frameLocator('iframe').locator('[data-registry-status]');
      await field.fill(`${registry.host}/team/notebook:2024-01`);
      await expect
        .poll(() => status.getAttribute('data-registry-status'), { timeout: 15_000 })
        .toBe('exists');
      expect(await status.textContent()).toContain(layout.singleDigest);
      await page.screenshot({ path: path.join(projectRoot, 'test-results', 'admin-image-registry.png') });
      await field.fill(`${registry.host}/team/notebook:2024-10`);
      await expect
        .poll(() => status.getAttribute('data-registry-status'), { timeout: 15_000 })
        .toBe('not-found');
    } finally {
      await browser.close();
    }
  });
});
