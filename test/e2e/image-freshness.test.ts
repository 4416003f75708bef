import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser.ts';
import { copySampleProject } from '../helpers/project.ts';
import { startSite, type RunningSite } from '../helpers/site-server.ts';
import { requireTools } from '../registry/helpers/processes.ts';
import { startRegistry, type TestRegistry } from '../registry/helpers/registry.ts';
import { pushCreatedImage } from '../registry/helpers/tags.ts';

const git = promisify(execFile);

describe('image freshness in /admin (real Chromium, a real registry, the local server)', () => {
  let registry: TestRegistry;
  let browser: Browser;
  let site: RunningSite;
  let project: string;
  const imageFile = () => path.join(project, 'content', 'images', 'scipy.yaml');

  beforeAll(async () => {
    requireTools('docker-registry');
    [registry, project, browser] = await Promise.all([
      startRegistry(),
      copySampleProject(),
      launchChromium(),
    ]);
    await pushCreatedImage(
      registry.host,
      'jupyter/scipy',
      ['2024-03-18', '2024-05-06', '2024-04-01', 'latest', 'v1.0.0'],
      '2024-01-01T00:00:00Z',
    );
    await writeFile(
      imageFile(),
      `# Kept fresh from the editor\ndisplay_name: Python (SciPy)\nimage: ${registry.host}/jupyter/scipy:2024-03-18\ndescription: "Jupyter's SciPy stack."\n`,
    );
    // A check every few seconds, so the banner has findings to show by the time the editor opens.
    site = await startSite(project, 'dist-freshness', { CONFIGURATOR_FRESHNESS_INTERVAL: '2' });
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await site?.stop();
    await registry?.stop();
  });

  async function openAdmin(route: string): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1200 } });
    // This machine is shared and slow at times: Decap's 5 MB bundle may take half a minute to start.
    await page.goto(`${site.url}admin/#${route}`, { timeout: 150_000, waitUntil: 'domcontentloaded' });
    // The editor signs in from the server's session by itself: no Login click.
    await page.locator('input, a').first().waitFor();
    return page;
  }

  it('lists the pushed tags newest first beside the field, marks the Images list and shows the banner', async () => {
    await expect
      .poll(
        async () =>
          ((await (await fetch(`${site.url}api/status`)).json()) as { freshness?: { outdated: unknown[] } })
            .freshness?.outdated.length,
        { timeout: 120_000 },
      )
      .toBe(1);
    const list = await openAdmin('/collections/images');
    await expect
      .poll(() => list.locator('[data-newer-tag=scipy]').textContent(), { timeout: 120_000 })
      .toContain('newer tag: 2024-05-06');
    expect(await list.locator('#z2jh-status').textContent()).toContain(
      '1 image has a newer tag: scipy → 2024-05-06',
    );
    await list.close();

    const page = await openAdmin('/collections/images/entries/scipy');
    const picker = page.locator('[data-testid=tag-picker] button');
    await picker.first().waitFor({ timeout: 120_000 });
    const tags = await picker.evaluateAll((buttons) => buttons.map((b) => b.getAttribute('data-tag')));
    expect(tags.slice(0, 3)).toEqual(['2024-05-06', '2024-04-01', '2024-03-18']);
    expect(tags).toEqual(expect.arrayContaining(['latest', 'v1.0.0']));
    expect(await picker.first().textContent()).toContain('(2024-05-06)');
    await page.close();
  }, 600_000);

  it('"Update to" saves a one-line change through the server, which profile_list.json serves', async () => {
    const before = await readFile(imageFile(), 'utf8');
    const page = await openAdmin('/collections/images/entries/scipy');
    const update = page.getByTestId('update-image');
    await update.waitFor({ timeout: 120_000 });
    expect(await update.textContent()).toBe('Update to 2024-05-06');
    await update.click();
    await expect
      .poll(() => page.getByTestId('update-outcome').textContent(), { timeout: 120_000 })
      .toContain('Saved');
    await page.close();

    const served = await (await fetch(`${site.url}profile_list.json`)).text();
    expect(served).toContain(`${registry.host}/jupyter/scipy:2024-05-06`);
    expect(served).not.toContain(`${registry.host}/jupyter/scipy:2024-03-18`);
    const after = await readFile(imageFile(), 'utf8');
    const changed = after.split('\n').filter((line, i) => line !== before.split('\n')[i]);
    expect(changed).toEqual([`image: ${registry.host}/jupyter/scipy:2024-05-06`]);
    const { stdout } = await git('git', ['-C', project, 'diff', '--numstat', 'HEAD~1', 'HEAD']);
    expect(stdout.trim()).toBe('1\t1\tcontent/images/scipy.yaml');
  }, 600_000);
});
