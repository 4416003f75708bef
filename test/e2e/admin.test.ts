import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { init, parse as parseModule } from 'es-module-lexer';
import { parse } from 'yaml';
import { generateOutputs } from '../../src/lib/outputs.ts';
import { loadContent } from '../../src/lib/load.ts';
import type { NodeGroupInput } from '../../src/lib/schema/node-group.ts';
import type { ProfileInput } from '../../src/lib/schema/profile.ts';
import { sizesForNodeGroup } from '../../src/lib/sizes/profile.ts';
import { launchChromium } from '../helpers/browser.ts';
import { projectRoot } from '../helpers/content.ts';
import { copySampleProject } from '../helpers/project.ts';
import { startSite, type RunningSite } from '../helpers/site-server.ts';

let browser: Browser;
let site: RunningSite;
let project: string;
const requested: string[] = [];
const artifacts = path.join(projectRoot, 'test-results');

beforeAll(async () => {
  project = await copySampleProject();
  site = await startSite(project, 'dist-admin');
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await site?.stop();
});

/** Opens the editor at a hash route with a fresh page: the server's session signs the admin in, no click. */
async function openAdmin(route: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1400 } });
  page.on('request', (request) => requested.push(request.url()));
  page.on('dialog', (dialog) => void dialog.accept());
  await page.goto(`${site.url}admin/#${route}`);
  await page.locator('input, [data-readonly], a').first().waitFor();
  return page;
}

const field = (page: Page, name: string, nth = 0) => page.locator(`[id^="${name}-field-"]`).nth(nth);

async function publish(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Publish', exact: true }).click();
  await page.getByText('Publish now').click();
}

async function pickRelation(page: Page, nth: number, text: string): Promise<void> {
  const control = page
    .locator('input[role=combobox]')
    .nth(nth)
    .locator('xpath=ancestor::div[contains(@class,"control")][1]');
  await control.click();
  await page.keyboard.type(text);
  await page.locator('[id*="-option-"]').first().waitFor();
  await page.keyboard.press('Enter');
}

async function toast(page: Page): Promise<string> {
  const notice = page.locator('.Toastify__toast').first();
  await notice.waitFor();
  return (await notice.textContent()) ?? '';
}

const read = async (relative: string) =>
  parse(await readFile(path.join(project, relative), 'utf8')) as unknown;
const exists = (relative: string) =>
  readFile(path.join(project, relative)).then(
    () => true,
    () => false,
  );

describe('/admin in a real browser', () => {
  it('creates an image: the YAML on disk is what the schema says, the reference trimmed', async () => {
    const page = await openAdmin('/collections/images/new');
    await field(page, 'id').fill('julia');
    await field(page, 'display_name').fill('Julia 1.10');
    await field(page, 'image').fill('  quay.io/jupyter/julia-notebook:2024-03-18  ');
    await expect
      .poll(() => page.frameLocator('iframe').locator('[data-testid=image-reference]').textContent())
      .toBe('quay.io/jupyter/julia-notebook:2024-03-18');
    await page.screenshot({ path: path.join(artifacts, 'admin-image-editor.png') });
    await publish(page);
    await page.waitForURL(/entries\/julia$/);
    expect(await read('content/images/julia.yaml')).toEqual({
      display_name: 'Julia 1.10',
      image: 'quay.io/jupyter/julia-notebook:2024-03-18',
    });
    await page.close();
  });

  it('creates a profile with two images, two node groups and two sizes, which reaches profile_list.json', async () => {
    const page = await openAdmin('/collections/profiles/new');
    await field(page, 'id').fill('teaching');
    await field(page, 'display_name').fill('Teaching');
    await page.getByRole('button', { name: 'Add image' }).click();
    await pickRelation(page, 0, 'SciPy');
    await page.getByRole('button', { name: 'Add image' }).click();
    await pickRelation(page, 1, 'julia-notebook');
    await page.getByRole('button', { name: 'Add node group' }).click();
    await pickRelation(page, 2, 'Small: 4');
    await page.getByRole('button', { name: 'Add node group' }).click();
    await pickRelation(page, 3, 'Large: 16');
    for (const [index, size] of [
      ['small', 'Small: 1 CPU, 2 GB', '0.5', '1', '1G', '2G'],
      ['big', 'Big: 2 CPU, 8 GB', '1', '2', '4G', '8G'],
    ].entries()) {
      await page.getByRole('button', { name: 'Add size' }).click();
      await field(page, 'key', index).fill(size[0]!);
      // display_name fields: the profile's own comes first, then one per size.
      await field(page, 'display_name', index + 1).fill(size[1]!);
      await field(page, 'cpu_guarantee', index + 1).fill(size[2]!);
      await field(page, 'cpu_limit', index + 1).fill(size[3]!);
      await field(page, 'mem_guarantee', index + 1).fill(size[4]!);
      await field(page, 'mem_limit', index + 1).fill(size[5]!);
    }
    const preview = page.frameLocator('iframe');
    await expect
      .poll(() => preview.locator('select[name="profile-option-teaching--size"] option').allTextContents())
      .toEqual(['Small: 1 CPU, 2 GB', 'Big: 2 CPU, 8 GB']);
    expect(await preview.locator('input[type=radio][name=profile]').getAttribute('value')).toBe('teaching');
    expect(
      await preview.locator('select[name="profile-option-teaching--image"] option').allTextContents(),
    ).toEqual(['Python (SciPy)', 'Julia 1.10']);
    await page.screenshot({
      path: path.join(artifacts, 'admin-profile-editor-and-preview.png'),
      fullPage: true,
    });
    await publish(page);
    await page.waitForURL(/entries\/teaching$/);

    expect(await read('content/profiles/teaching.yaml')).toEqual({
      display_name: 'Teaching',
      images: [{ image: 'scipy' }, { image: 'julia' }],
      node_groups: [{ node_group: 'small' }, { node_group: 'large' }],
      sizes: [
        {
          key: 'small',
          display_name: 'Small: 1 CPU, 2 GB',
          cpu_guarantee: 0.5,
          cpu_limit: 1,
          mem_guarantee: '1G',
          mem_limit: '2G',
        },
        {
          key: 'big',
          display_name: 'Big: 2 CPU, 8 GB',
          cpu_guarantee: 1,
          cpu_limit: 2,
          mem_guarantee: '4G',
          mem_limit: '8G',
        },
      ],
    });
    const result = await loadContent(project);
    expect(result.issues.filter((i) => i.severity === 'error')).toEqual([]);
    const teaching = generateOutputs(result.resolved).profileList.find((p) => p.slug === 'teaching');
    expect(Object.keys(teaching?.profile_options ?? {})).toEqual(['image', 'node', 'size']);
    expect(Object.keys(teaching?.profile_options?.['size']?.choices ?? {})).toEqual(['small', 'big']);
    expect(teaching?.profile_options?.['image']?.choices['julia']?.kubespawner_override).toEqual({
      image: 'quay.io/jupyter/julia-notebook:2024-03-18',
    });
    await page.close();
  });

  it('names a problem in the checks pane by the form\u2019s labels, not the file\u2019s keys', async () => {
    const page = await openAdmin('/collections/images/new');
    await field(page, 'image').fill('quay.io/jupyter/base-notebook:2024-05-27');
    const checks = page.frameLocator('iframe').locator('.preview-issues');
    await expect.poll(() => checks.textContent()).toContain('\u201cDisplay name\u201d');
    const text = (await checks.textContent()) ?? '';
    expect(text).toContain('Hint: fill in \u201cDisplay name\u201d.');
    expect(text).not.toContain('display_name');
    expect(text).not.toContain('MissingField');
    await page.close();
  });

  it('refuses a bad image reference with its message, and writes nothing', async () => {
    const page = await openAdmin('/collections/images/new');
    await field(page, 'id').fill('bad');
    await field(page, 'display_name').fill('Bad');
    await field(page, 'image').fill('quay.io/Jupyter/x:');
    await publish(page);
    const text = await toast(page);
    expect(text).toContain('contains upper-case letters');
    expect(text).toContain('Hint:');
    expect(text).toContain('Nothing was saved.');
    expect(await exists('content/images/bad.yaml')).toBe(false);
    await page.close();
  });

  it('asks before a second profile becomes the default; declined, it leaves the file as it was', async () => {
    const before = await readFile(path.join(project, 'content/profiles/rstudio.yaml'), 'utf8');
    const page = await openAdmin('/collections/profiles/entries/rstudio');
    const asked: string[] = [];
    page.removeAllListeners('dialog'); // this page accepts dialogs; here the admin says no
    page.on('dialog', (dialog) => {
      asked.push(dialog.message());
      void dialog.dismiss();
    });
    await field(page, 'default').click();
    await publish(page);
    await page.screenshot({ path: path.join(artifacts, 'admin-second-default.png'), fullPage: true });
    const text = await toast(page);
    expect(asked.join(' ')).toContain('is the default profile now. Make this profile the default instead?');
    expect(text).toContain('stays the default. Nothing was saved.');
    expect(await readFile(path.join(project, 'content/profiles/rstudio.yaml'), 'utf8')).toBe(before);
    await page.close();
  });

  it('shows node groups without any way to create, edit or delete them', async () => {
    const page = await openAdmin('/collections/node_groups');
    await page.getByText('Small: 4 CPU, 32 GB (r5.xlarge)').waitFor();
    expect(await page.getByText(/New Node group/i).count()).toBe(0);
    await page.getByText('Small: 4 CPU, 32 GB (r5.xlarge)').click();
    await page.locator('[data-readonly]').first().waitFor();
    expect(await page.locator('[data-readonly]').allTextContents()).toEqual(
      expect.arrayContaining(['node.kubernetes.io/instance-type: r5.xlarge']),
    );
    expect(await page.locator('form input, form textarea, [contenteditable=true]').count()).toBe(0);
    expect(await page.getByRole('button', { name: /delete/i }).count()).toBe(0);
    await page.close();
    const response = await fetch(`${site.url}api/v1`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: new URL(site.url).origin },
      body: JSON.stringify({
        action: 'persistEntry',
        params: {
          branch: 'main',
          dataFiles: [
            {
              slug: 'small',
              path: 'content/node-groups/small.yaml',
              raw: 'display_name: x\nnode_selector: {a: b}\n',
            },
          ],
          assets: [],
          options: { commitMessage: 'x', useWorkflow: false, status: 'draft' },
        },
      }),
    });
    expect(response.status).toBe(403);
    expect(((await response.json()) as { error: string }).error).toContain('Node groups are read-only');
  });

  it('shows the new profile on the spawn-page preview and in profile_list.json at once, without a rebuild', async () => {
    const list = (await (await fetch(`${site.url}profile_list.json`)).json()) as { slug: string }[];
    expect(list.map((p) => p.slug)).toContain('teaching');
    const page = await browser.newPage();
    await page.goto(site.url);
    await page.locator('#profile-item-teaching').waitFor();
    expect(
      await page.locator('select[name="profile-option-teaching--size"] option').allTextContents(),
    ).toEqual(['Small: 1 CPU, 2 GB', 'Big: 2 CPU, 8 GB']);
    await page.close();
  });

  it('cuts size choices from a node group\u2019s capacity on a profile, shown before saving and written on save', async () => {
    const page = await openAdmin('/collections/profiles/entries/rstudio');
    await page.locator('input[name="size-generator-large"]').check();
    await page.locator('input[name="size-generator-floor"]').fill('16G');
    const group = parse(
      await readFile(path.join(project, 'content/node-groups/large.yaml'), 'utf8'),
    ) as NodeGroupInput;
    const expected = sizesForNodeGroup('large', group, { floor: '16G' }).sizes;
    expect(expected.length).toBeGreaterThan(1);
    await expect
      .poll(() => page.locator('[data-testid=size-generator-result] li').allTextContents())
      .toEqual(expected.map((s) => s.display_name));
    await expect
      .poll(() =>
        page
          .frameLocator('iframe')
          .locator('select[name="profile-option-rstudio--size"] option')
          .allTextContents(),
      )
      .toEqual(expected.map((s) => s.display_name));
    await page.screenshot({ path: path.join(artifacts, 'admin-sizes-from-capacity.png'), fullPage: true });
    await publish(page);
    await expect
      .poll(
        async () =>
          (parse(await readFile(path.join(project, 'content/profiles/rstudio.yaml'), 'utf8')) as ProfileInput)
            .sizes,
        { timeout: 15_000 }, // the save validates the whole content twice (change, then what goes live)
      )
      .toEqual(expected);
    const saved = parse(
      await readFile(path.join(project, 'content/profiles/rstudio.yaml'), 'utf8'),
    ) as ProfileInput & Record<string, unknown>;
    expect(saved.node_groups).toEqual([{ node_group: 'large' }]);
    expect(saved.size).toBeUndefined();
    expect(saved['generate_sizes']).toBeUndefined();
    await page.close();
  });

  it('serves Decap built with the project, smaller than its stock bundle, compressed and cached for a year', async () => {
    const html = await (await fetch(`${site.url}admin/`)).text();
    const scripts = [...html.matchAll(/<script type="module" src="([^"]+)"/g)].map((m) => m[1]!);
    expect(scripts).toHaveLength(2); // the project's code and Decap, fetched side by side
    let plainBytes = 0;
    let brotliBytes = 0;
    for (const script of scripts) {
      expect(script).toMatch(/^\/_astro\/[^/]+\.js$/);
      for (const [accept, encoding] of [
        ['br, gzip', 'br'],
        ['gzip', 'gzip'],
      ] as const) {
        const response = await fetch(new URL(script, site.url), { headers: { 'Accept-Encoding': accept } });
        expect(response.status).toBe(200);
        expect(response.headers.get('content-encoding')).toBe(encoding);
        expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
        if (encoding === 'br') brotliBytes += Number(response.headers.get('content-length'));
      }
      plainBytes += (
        await (
          await fetch(new URL(script, site.url), { headers: { 'Accept-Encoding': 'identity' } })
        ).arrayBuffer()
      ).byteLength;
    }
    // Only the proxy back end and the widgets the content model names: well under Decap's stock bundle.
    const stock = (await stat(path.join(projectRoot, 'node_modules/decap-cms/dist/decap-cms.js'))).size;
    expect(plainBytes).toBeLessThan(stock * 0.6);
    expect(brotliBytes).toBeLessThan(plainBytes / 3);
  });

  it('preloads every module the admin page imports, so no chunk waits for the one that imports it', async () => {
    await init;
    const html = await (await fetch(`${site.url}admin/`)).text();
    const entries = [...html.matchAll(/<script type="module" src="([^"]+)"/g)].map((m) => m[1]!);
    const preloaded = [...html.matchAll(/<link rel="modulepreload" href="([^"]+)">/g)].map((m) => m[1]!);
    const imported = new Set<string>();
    const walk = async (url: string): Promise<void> => {
      const code = await (await fetch(new URL(url, site.url))).text();
      for (const dependency of parseModule(code)[0]) {
        if (dependency.d !== -1 || !dependency.n?.startsWith('.')) continue; // dynamic: loaded on demand
        const target = new URL(dependency.n, new URL(url, site.url)).pathname;
        if (imported.has(target)) continue;
        imported.add(target);
        await walk(target);
      }
    };
    for (const entry of entries) await walk(entry);
    expect(imported.size).toBeGreaterThan(0);
    expect(new Set(preloaded)).toEqual(imported);
    expect(html.indexOf('rel="modulepreload"')).toBeLessThan(html.indexOf('<script type="module"'));
  });

  it('lists with a config Decap\u2019s check would refuse, but saves nothing until the check passes', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1400 } });
    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    page.on('dialog', (dialog) => void dialog.accept());
    // A config Decap can start with, but whose schema it breaks: a hint must be text.
    await page.route('**/admin/', async (route) => {
      const response = await route.fetch();
      const html = (await response.text()).replace(
        /(<script type="application\/json" id="cms-config">)([^<]*)/,
        (_, tag: string, json: string) => {
          const config = JSON.parse(json) as { collections: { name: string; fields: unknown[] }[] };
          config.collections
            .find((c) => c.name === 'images')!
            .fields.push({ name: 'broken', label: 'Broken', widget: 'string', required: false, hint: 42 });
          return tag + JSON.stringify(config).replace(/</g, '\\u003c');
        },
      );
      await route.fulfill({ response, body: html });
    });
    await page.goto(`${site.url}admin/#/collections/images/new`);
    await field(page, 'id').waitFor();
    await field(page, 'id').fill('unchecked');
    await field(page, 'display_name').fill('Unchecked');
    await field(page, 'image').fill('quay.io/jupyter/base-notebook:2024-05-27');
    await publish(page);
    // Decap's own configuration error page, with its message naming the field.
    await page.getByText('Config Errors').waitFor();
    expect(await page.locator('pre, code').first().textContent()).toContain('hint');
    expect(errors.some((e) => e.includes('hint'))).toBe(true);
    expect(await exists('content/images/unchecked.yaml')).toBe(false);
    await page.close();
  });

  it('answers /favicon.ico (asked for by clients that do not read the page), not only the SVG icon', async () => {
    const response = await fetch(`${site.url}favicon.ico`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/x-icon');
    const body = Buffer.from(await response.arrayBuffer());
    expect([...body.subarray(0, 4)]).toEqual([0, 0, 1, 0]); // an ICO file
    expect(body.subarray(22, 26).toString('latin1')).toBe('\x89PNG');
  });

  it('loaded everything from this server, nothing from a CDN', () => {
    const origin = new URL(site.url).origin;
    expect(requested.length).toBeGreaterThan(0);
    expect(
      requested.filter(
        (url) => !url.startsWith(origin) && !url.startsWith('data:') && !url.startsWith('blob:'),
      ),
    ).toEqual([]);
  });
});
