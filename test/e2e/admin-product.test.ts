import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser.ts';
import { projectRoot } from '../helpers/content.ts';
import { copySampleProject } from '../helpers/project.ts';
import { startSite, type RunningSite } from '../helpers/site-server.ts';

/** The editor as a hub admin meets it: no Login click, no lost edits, true lists, history at hand. */

let browser: Browser;
let site: RunningSite;
let project: string;
const artifacts = path.join(projectRoot, 'test-results');
const SCIPY = 'content/images/scipy.yaml';

const git = async (...args: string[]) => (await promisify(execFile)('git', args, { cwd: project })).stdout;
const readText = (relative: string) => readFile(path.join(project, relative), 'utf8');

beforeAll(async () => {
  project = await copySampleProject();
  site = await startSite(project, 'dist-admin-product');
  browser = await launchChromium();
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await site?.stop();
});

/** A page that records console errors and uncaught exceptions. */
async function newPage(): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  // This machine is shared and often busy: Decap's first start can take most of a minute.
  page.setDefaultTimeout(90_000);
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('dialog', (dialog) => void dialog.accept());
  return { page, errors };
}

async function openEntry(page: Page, collection: string, slug: string): Promise<void> {
  await page.goto(`${site.url}admin/#/collections/${collection}/entries/${slug}`, { timeout: 90_000 });
  await page.locator('[id^="display_name-field-"]').first().waitFor();
}

const field = (page: Page, name: string) => page.locator(`[id^="${name}-field-"]`).first();

async function save(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Publish', exact: true }).click();
  await page.getByText('Publish now').click();
}

/** Waits for Decap's notice of a finished save. */
const saved = (page: Page) => page.locator('.Toastify__toast', { hasText: 'Saved.' }).waitFor();

describe('/admin as a hub admin uses it (real Chromium)', { timeout: 300_000 }, () => {
  it('opens on the collection list with no Login click in local mode, and leaves out Media and grid view', async () => {
    const { page, errors } = await newPage();
    await page.goto(`${site.url}admin/`, { timeout: 90_000 });
    await page.getByText('Python (SciPy)').waitFor();
    expect(await page.getByRole('button', { name: 'Login' }).count()).toBe(0);
    expect(await page.getByText('Media', { exact: true }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Grid view option' }).isVisible()).toBe(false);
    expect(await page.getByRole('link', { name: 'History' }).count()).toBe(1);
    expect(await page.getByText('New Image', { exact: true }).count()).toBe(1);
    await page.screenshot({ path: path.join(artifacts, 'admin-collection-list.png') });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('saves a one-field change as a one-line git diff, and the list shows it at once without a reload', async () => {
    const { page, errors } = await newPage();
    await openEntry(page, 'images', 'scipy');
    await field(page, 'image').fill('quay.io/jupyter/scipy-notebook:2024-05-27');
    await save(page);
    await saved(page);
    expect(await readText(SCIPY)).toContain('2024-05-27');
    const diff = await git('diff', '--unified=0', 'HEAD~1', 'HEAD', '--', SCIPY);
    const changed = diff.split('\n').filter((l) => /^[-+][^-+]/.test(l));
    expect(changed).toEqual([
      '-image: quay.io/jupyter/scipy-notebook:2024-03-18',
      '+image: quay.io/jupyter/scipy-notebook:2024-05-27',
    ]);
    // Back to the list through the editor's own navigation: no page load in between.
    const loads: string[] = [];
    page.on('load', () => loads.push(page.url()));
    await page.evaluate(() => (window.location.hash = '#/collections/images'));
    await page.getByText('Python (SciPy) \u2014 quay.io/jupyter/scipy-notebook:2024-05-27').waitFor();
    expect(loads).toEqual([]);
    await page.screenshot({ path: path.join(artifacts, 'admin-list-after-save.png') });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('refuses a save from a stale tab: nothing written, who and when shown, no console errors', async () => {
    const a = await newPage();
    const b = await newPage();
    await openEntry(a.page, 'images', 'scipy');
    await openEntry(b.page, 'images', 'scipy');
    await field(b.page, 'image').fill('quay.io/jupyter/scipy-notebook:2024-06-10');
    await save(b.page);
    await saved(b.page);
    expect(await readText(SCIPY)).toContain('2024-06-10');
    const afterB = await readText(SCIPY);
    const head = (await git('rev-parse', 'HEAD')).trim();

    await field(a.page, 'description').fill('Edited in a stale tab.');
    await save(a.page);
    const panel = a.page.locator('#z2jh-conflict');
    await panel.waitFor();
    const text = (await panel.textContent()) ?? '';
    expect(text).toContain('The image \u201cPython (SciPy)\u201d was changed by local-admin');
    expect(text).toMatch(/today \((just now|\d+ minutes? ago)\)/);
    expect(text).toContain('Nothing was saved.');
    expect(text).toContain(
      'image: quay.io/jupyter/scipy-notebook:2024-05-27 \u2192 quay.io/jupyter/scipy-notebook:2024-06-10',
    );
    expect(text).not.toContain('content/');
    await a.page.screenshot({ path: path.join(artifacts, 'admin-conflict.png') });
    expect(await readText(SCIPY)).toBe(afterB);
    expect((await git('rev-parse', 'HEAD')).trim()).toBe(head);
    expect(a.errors).toEqual([]);
    await a.page.close();
    await b.page.close();
  });

  it('reaches the history from the editor and restores a version, saying which later changes it undoes', async () => {
    const { page, errors } = await newPage();
    await page.goto(`${site.url}admin/`, { timeout: 90_000 });
    await page.getByRole('link', { name: 'History' }).click();
    await page.locator('#z2jh-history article').first().waitFor();
    const titles = await page.locator('#z2jh-history article h3').allTextContents();
    expect(titles.length).toBeGreaterThanOrEqual(3);
    expect(titles.join(' ')).not.toMatch(/[0-9a-f]{10}/);
    // The third entry is the version before both tag changes: restoring it undoes the two later ones.
    const target = page.locator('#z2jh-history article').nth(2);
    await target.getByRole('button', { name: 'Restore this version' }).click();
    const confirm = target.locator('.z2jh-restore-confirm');
    await confirm.waitFor();
    expect(await confirm.textContent()).toContain('undoes 2 later changes');
    expect(await confirm.locator('li').count()).toBe(2);
    await page.screenshot({ path: path.join(artifacts, 'admin-history-restore.png') });
    await confirm.getByRole('button', { name: 'Restore, undoing 2 later changes' }).click();
    await page.getByText(/^Restored the version saved/).waitFor();
    expect(await readText(SCIPY)).toContain('2024-03-18');
    expect(await git('log', '-1', '--format=%s')).toMatch(/^Restore the version of /);
    await page.screenshot({ path: path.join(artifacts, 'admin-history-restored.png') });
    expect(errors).toEqual([]);
    await page.close();
  });

  it("takes a new image's id from its name, and the pickers offer it at once, matches in names first", async () => {
    const { page, errors } = await newPage();
    const picker = async (typed: string) => {
      await page.getByRole('button', { name: 'Add image' }).click();
      await page
        .locator('input[role=combobox]')
        .first()
        .locator('xpath=ancestor::div[contains(@class,"control")][1]')
        .click();
      await page.keyboard.type(typed);
    };
    // The picker is used (and its options loaded) before the image exists.
    await page.goto(`${site.url}admin/#/collections/profiles/new`, { timeout: 90_000 });
    await picker('Julia');
    await page.locator('[id*="-option-"]').first().waitFor();
    await page.waitForTimeout(1000); // the picker asks after 500 ms of no typing, and caches the answer
    expect(await page.locator('[id*="-option-"]', { hasText: 'Julia 1.10' }).count()).toBe(0);

    // A new image with no id typed; its reference contains "scipy", its name does not.
    // Through the editor's own navigation: the collection list, then its "New Image" button.
    await page.evaluate(() => (window.location.hash = '#/collections/images'));
    await page.getByText('New Image', { exact: true }).click();
    await field(page, 'image').waitFor();
    await field(page, 'display_name').fill('Julia 1.10');
    await field(page, 'image').fill('quay.io/jupyter/scipy-julia:2024-03-18');
    await save(page);
    await saved(page);
    await page.waitForURL(/entries\/julia-1-10$/);
    expect(await readText('content/images/julia-1-10.yaml')).toContain('display_name: Julia 1.10');

    // Back in a profile, without a reload: the new image is offered...
    await page.evaluate(() => (window.location.hash = '#/collections/profiles'));
    await page.getByText('New Profile', { exact: true }).click();
    await picker('Julia');
    await page.locator('[id*="-option-"]', { hasText: 'Julia 1.10' }).waitFor();
    // ...and "SciPy" + Enter picks the image named so, not the one whose reference contains it.
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Backspace');
    await page.keyboard.type('SciPy');
    await expect
      .poll(() => page.locator('[id*="-option-"]').first().textContent(), { timeout: 10_000 })
      .toContain('Python (SciPy)');
    expect(await page.locator('[id*="-option-"]').allTextContents()).toEqual(
      expect.arrayContaining([expect.stringContaining('Julia 1.10')]),
    );
    await page.keyboard.press('Enter');
    await page.locator('[class*="singleValue"]', { hasText: 'Python (SciPy)' }).waitFor();
    await page.screenshot({ path: path.join(artifacts, 'admin-image-picker.png') });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows what a fixed profile starts beside its card, with its size open for editing', async () => {
    const { page, errors } = await newPage();
    await openEntry(page, 'profiles', 'gpu');
    // The size is open: its fields can be typed in without finding a chevron first.
    expect(await field(page, 'cpu_limit').isVisible()).toBe(true);
    // No "Check for Preview": there are no deploy previews, the spawn-page preview is beside the form.
    await page.waitForTimeout(1000);
    expect(await page.getByText('Check for Preview').count()).toBe(0);
    expect(await page.locator('button:visible:has(> span:empty:first-child + span > svg)').count()).toBe(0);
    // ...while the description's Rich Text / Markdown switch stays.
    expect(await page.getByText('Rich Text').isVisible()).toBe(true);
    expect(await page.locator('button:visible:has(> span:empty)').count()).toBeGreaterThan(0);
    const fixed = page.frameLocator('iframe').locator('[data-testid=fixed-settings]');
    await fixed.waitFor();
    const text = (await fixed.textContent()) ?? '';
    expect(text).toContain('Image');
    expect(text).toMatch(/pytorch/);
    expect(text).toContain('CPU limit3.9');
    expect(text).toContain('Memory limit13G');
    await page.screenshot({ path: path.join(artifacts, 'admin-fixed-profile.png') });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('moves the default profile in one save, after saying which profile stops being the default', async () => {
    const { page, errors } = await newPage();
    const asked: string[] = [];
    page.on('dialog', (dialog) => asked.push(dialog.message()));
    const head = (await git('rev-parse', 'HEAD')).trim();
    await openEntry(page, 'profiles', 'gpu');
    await field(page, 'default').click();
    await save(page);
    await saved(page);
    expect(asked.join(' ')).toContain('\u201cData science\u201d is the default profile now.');
    expect(await readText('content/profiles/gpu.yaml')).toMatch(/^default: true$/m);
    expect(await readText('content/profiles/data-science.yaml')).not.toMatch(/^default:/m);
    // One commit holds both: at no commit does the hub have two defaults, or none.
    expect((await git('rev-list', '--count', `${head}..HEAD`)).trim()).toBe('1');
    const touched = (await git('show', '--name-only', '--format=', 'HEAD')).trim().split('\n').sort();
    expect(touched).toEqual(['content/profiles/data-science.yaml', 'content/profiles/gpu.yaml']);
    expect(errors).toEqual([]);
    await page.close();
  });
});
