import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { ProfileListEntry } from '../../src/lib/profile-list.ts';
import { effectiveOverride } from '../../src/lib/spawn-semantics.ts';
import { launchChromium } from '../helpers/browser.ts';
import { projectRoot } from '../helpers/content.ts';
import { copySampleProject } from '../helpers/project.ts';
import { startSite, type RunningSite } from '../helpers/site-server.ts';

/**
 * Keys as 2i2c's hubs write them (`resource_allocation`, `mem_2_gb`) and a slug that cannot be a file name
 * (`GPU_Large`) go through /admin in a real browser, are written verbatim, and reach the served profile_list.json
 * and the spawn-page preview unchanged: users' saved choices name them.
 */

let browser: Browser;
let site: RunningSite;
let project: string;
const artifacts = path.join(projectRoot, 'test-results');

beforeAll(async () => {
  project = await copySampleProject();
  site = await startSite(project, 'dist-keys');
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await site?.stop();
});

const field = (page: Page, name: string, nth = 0) => page.locator(`[id^="${name}-field-"]`).nth(nth);

describe('keys users saved, through /admin in a real browser', () => {
  it('refuses a key with "--" before saving, then saves resource_allocation / mem_2_gb verbatim', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1600 } });
    page.on('dialog', (dialog) => void dialog.accept());
    await page.goto(`${site.url}admin/#/collections/profiles/new`);
    // The editor signs in from the server's session by itself: no Login click.
    await field(page, 'id').waitFor();
    await field(page, 'id').fill('allocations');
    await field(page, 'display_name').fill('Allocations');
    await field(page, 'slug').fill('GPU_Large');
    await page.getByRole('button', { name: 'Add option' }).click();
    await field(page, 'key', 0).fill('resource_allocation');
    await field(page, 'display_name', 1).fill('Resource allocation');
    for (const [index, [key, label, url]] of [
      ['mem--2', '2 GB', '/lab'],
      ['mem_4_gb', '4 GB', '/tree'],
    ].entries()) {
      await page.getByRole('button', { name: 'Add choice' }).click();
      await field(page, 'key', index + 1).fill(key!);
      await field(page, 'display_name', index + 2).fill(label!);
      // default_url fields: the profile's own comes first, then one per choice.
      await field(page, 'default_url', index + 1).fill(url!);
    }

    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    await page.getByText('Publish now').click();
    // Decap checks the field against the schema's pattern and says why, naming what is allowed.
    await page
      .getByText(/no "--"/)
      .first()
      .waitFor();
    expect(
      await readFile(path.join(project, 'content/profiles/allocations.yaml'), 'utf8').catch(() => 'none'),
    ).toBe('none');

    // Decap keeps the field's state: select what was typed and type over it, as a person would.
    await field(page, 'key', 1).click();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('mem_2_gb');
    const preview = page.frameLocator('iframe');
    const select = preview.locator('select[name="profile-option-GPU_Large--resource_allocation"]');
    await expect
      .poll(() =>
        select.locator('option').evaluateAll((els) => els.map((e) => (e as HTMLOptionElement).value)),
      )
      .toEqual(['mem_2_gb', 'mem_4_gb']);
    expect(await preview.locator('input[type=radio][name=profile]').getAttribute('value')).toBe('GPU_Large');
    await page.screenshot({ path: path.join(artifacts, 'admin-keys-verbatim.png'), fullPage: true });

    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    await page.getByText('Publish now').click();
    await page.waitForURL(/entries\/allocations$/);
    expect(parse(await readFile(path.join(project, 'content/profiles/allocations.yaml'), 'utf8'))).toEqual({
      display_name: 'Allocations',
      slug: 'GPU_Large',
      options: [
        {
          key: 'resource_allocation',
          display_name: 'Resource allocation',
          choices: [
            { key: 'mem_2_gb', display_name: '2 GB', default_url: '/lab' },
            { key: 'mem_4_gb', display_name: '4 GB', default_url: '/tree' },
          ],
        },
      ],
    });
    await page.close();
  });

  it('serves them in profile_list.json, where a saved user_options starts what it named', async () => {
    const list = (await (await fetch(`${site.url}profile_list.json`)).json()) as ProfileListEntry[];
    const entry = list.find((p) => p.slug === 'GPU_Large');
    expect(Object.keys(entry?.profile_options ?? {})).toEqual(['resource_allocation']);
    expect(Object.keys(entry?.profile_options?.['resource_allocation']?.choices ?? {})).toEqual([
      'mem_2_gb',
      'mem_4_gb',
    ]);
    expect(
      effectiveOverride(list, { profile: 'GPU_Large', resource_allocation: 'mem_4_gb' })['default_url'],
    ).toBe('/tree');
  });

  it('shows them on the spawn-page preview, whose form posts exactly those user_options', async () => {
    const page = await browser.newPage();
    await page.goto(site.url);
    await page.locator('#profile-item-GPU_Large').waitFor();
    await page.selectOption('#profile-option-GPU_Large--resource_allocation', 'mem_4_gb');
    await page.click('label[for=profile-item-GPU_Large]');
    await expect
      .poll(async () => JSON.parse((await page.locator('#spawn-result').textContent()) ?? '{}') as unknown)
      .toEqual({ default_url: '/tree' });
    const posted = await page.evaluate(() => {
      const form = document.getElementById('spawn_form') as HTMLFormElement;
      return [...new FormData(form).entries()].map(([k, v]) => `${k}=${String(v)}`);
    });
    expect(posted).toEqual(
      expect.arrayContaining(['profile=GPU_Large', 'profile-option-GPU_Large--resource_allocation=mem_4_gb']),
    );
    await page.screenshot({ path: path.join(artifacts, 'preview-keys-verbatim.png'), fullPage: true });
    await page.close();
  });
});
