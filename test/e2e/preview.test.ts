import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../helpers/content.ts';
import { launchChromium } from '../helpers/browser.ts';
import { runCli } from '../helpers/project.ts';
import { serveStatic } from '../helpers/static-server.ts';

let browser: Browser;
let page: Page;
let site: Awaited<ReturnType<typeof serveStatic>>;
const artifacts = path.join(projectRoot, 'test-results');

beforeAll(async () => {
  const build = await runCli(projectRoot, 'build');
  expect(build.code, build.stderr).toBe(0);
  site = await serveStatic(path.join(projectRoot, 'dist', 'client'));
  browser = await launchChromium();
  page = await browser.newPage();
  await page.goto(site.url);
  await mkdir(artifacts, { recursive: true });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await site?.close();
});

const result = async () =>
  JSON.parse((await page.locator('#spawn-result').textContent()) ?? '') as Record<string, unknown>;

describe('the spawn-page preview, in a real browser without a hub', () => {
  it("has KubeSpawner's structure and field names, with the default profile and choices pre-selected", async () => {
    expect(
      await page
        .locator('input[type=radio][name=profile]')
        .evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value)),
    ).toEqual(['data-science', 'rstudio', 'gpu']);
    expect(await page.isChecked('#profile-item-data-science')).toBe(true);
    const selects = await page
      .locator('select')
      .evaluateAll((els) => els.map((e) => (e as HTMLSelectElement).name));
    expect(selects).toEqual([
      'profile-option-data-science--image',
      'profile-option-data-science--node',
      'profile-option-data-science--size',
    ]);
    expect(await result()).toMatchObject({
      image: 'quay.io/jupyter/scipy-notebook:2024-03-18',
      mem_limit: '4G',
    });
  });

  it('picking "Other..." swaps the menu for a text field that carries the name, and the typed image is what starts', async () => {
    const select = page.locator('#profile-option-data-science--image');
    const input = page.locator('#profile-option-data-science--image--unlisted-choice');
    expect(await input.isVisible()).toBe(false);
    await select.selectOption('unlisted-choice');
    expect(await input.isVisible()).toBe(true);
    expect(await select.getAttribute('name')).toBeNull();
    expect(await input.getAttribute('name')).toBe('profile-option-data-science--image--unlisted-choice');
    await input.fill('quay.io/me/custom:1');
    expect((await result())['image']).toBe('quay.io/me/custom:1');
    expect(await input.evaluate((e) => (e as HTMLInputElement).validity.valid)).toBe(true);
    await input.fill('Not An Image');
    expect(await input.evaluate((e) => (e as HTMLInputElement).validity.patternMismatch)).toBe(true);
    expect(await page.locator('#spawn-result').textContent()).toBe(
      'KubeSpawner would refuse this: Received unlisted_choice for image that failed validation regex.',
    );
    await page.screenshot({ path: path.join(artifacts, 'preview-custom-image.png'), fullPage: true });
    await select.selectOption('pangeo');
    expect(await input.isVisible()).toBe(false);
    expect(await select.getAttribute('name')).toBe('profile-option-data-science--image');
  });

  it('choosing another size or profile shows what KubeSpawner would start', async () => {
    await page.selectOption('#profile-option-data-science--size', 'large');
    expect(await result()).toMatchObject({ mem_guarantee: '28G', cpu_limit: 3.5 });
    await page.click('label[for=profile-item-gpu]');
    expect(await result()).toMatchObject({
      extra_resource_limits: { 'nvidia.com/gpu': '1' },
      image: 'quay.io/jupyter/pytorch-notebook:cuda12-2024-03-18',
    });
    await page.screenshot({ path: path.join(artifacts, 'preview-gpu.png'), fullPage: true });
  });

  it('shows the generated JSON and values next to the form', async () => {
    const json = JSON.parse((await page.locator('#profile-list-json').textContent()) ?? '[]') as unknown[];
    expect(json).toHaveLength(3);
    expect(await page.locator('details.panel summary').allTextContents()).toEqual(
      expect.arrayContaining(['Warnings (0)', 'profile_list.json', 'values.yaml (z2jh Helm values)']),
    );
  });
});
