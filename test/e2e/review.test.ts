// Decap's editorial workflow in a real browser against this server: a change is saved as a draft on its own
// branch, moved through "In review" to "Ready", and published as one commit on main.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser.ts';
import { copySampleProject } from '../helpers/project.ts';
import { projectRoot } from '../helpers/content.ts';
import { git } from '../helpers/sidecar.ts';
import { startSite, type RunningSite } from '../helpers/site-server.ts';

let browser: Browser;
let site: RunningSite;
let project: string;

beforeAll(async () => {
  project = await copySampleProject();
  site = await startSite(project, 'dist-review', { CONFIGURATOR_PUBLISH_MODE: 'editorial_workflow' });
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await site?.stop();
});

describe('review in /admin (editorial workflow)', () => {
  it('keeps a new image as a draft until it is marked ready and published, then commits it on main', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    page.on('dialog', (dialog) => void dialog.accept());
    await page.goto(`${site.url}admin/#/collections/images/new`);
    // The editor signs in from the server's session by itself: no Login click.
    await page.locator('[id^="id-field-"]').first().fill('proposed');
    await page.locator('[id^="display_name-field-"]').first().fill('Proposed image');
    await page.locator('[id^="image-field-"]').first().fill('quay.io/org/proposed:1');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.waitForURL(/entries\/proposed$/);
    expect((await git(project, 'branch', '--list', 'cms/*')).trim()).toBe('cms/images/proposed');
    await expect(readFile(path.join(project, 'content/images/proposed.yaml'), 'utf8')).rejects.toThrow();

    await page.goto(`${site.url}admin/#/workflow`);
    await page.getByText('Proposed image').first().waitFor();
    await page.screenshot({ path: path.join(projectRoot, 'test-results', 'admin-review-board.png') });

    await page.goto(`${site.url}admin/#/collections/images/entries/proposed`);
    await page.getByText('Status: Draft').click();
    await page.getByRole('menuitem', { name: 'Ready' }).click();
    await expect
      .poll(async () =>
        (await git(project, 'config', '--get', 'branch.cms/images/proposed.description')).trim(),
      )
      .toBe('decap-cms/pending_publish');
    await page.getByText('Publish', { exact: true }).first().click();
    await page.getByRole('menuitem', { name: 'Publish now' }).click();
    // Publishing validates the whole tree, commits and refreshes the served outputs before it answers.
    await expect
      .poll(async () => (await git(project, 'branch', '--list', 'cms/*')).trim(), { timeout: 15_000 })
      .toBe('');
    expect((await git(project, 'log', '-1', '--format=%s')).trim()).toBe(
      'Publish images “proposed” (proposed by local-admin, approved by local-admin)',
    );
    expect(await readFile(path.join(project, 'content/images/proposed.yaml'), 'utf8')).toBe(
      'display_name: Proposed image\nimage: quay.io/org/proposed:1\n',
    );
    await page.close();
  });
});
