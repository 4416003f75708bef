// /admin beside a real JupyterHub 3.0, in Debian's Chromium: the counts of what users really started (some servers
// stopped again) beside profiles and choices, the hub's groups as a picker, and a misspelt group flagged with the
// closest existing name.
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Browser, Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readServerConfig } from '../../src/server/config.ts';
import { startServer as startSidecar, type RunningServer } from '../../src/server/main.ts';
import { launchChromium } from '../helpers/browser.ts';
import { projectRoot } from '../helpers/content.ts';
import { SERVICE_TOKEN, type RunningHub } from '../helpers/jupyterhub.ts';
import { freePort } from '../helpers/ports.ts';
import { cliEntry, copySampleProject } from '../helpers/project.ts';
import { freshRepoDir } from '../helpers/sidecar.ts';
import { startSceneHub } from '../hub-api/scene.ts';

const PREFIX = '/services/configurator/';
let hub: RunningHub;
let sidecar: RunningServer;
let browser: Browser;

beforeAll(async () => {
  // The content: the sample, with the GPU profile's group misspelt.
  const project = await copySampleProject();
  const gpu = path.join(project, 'content/profiles/gpu.yaml');
  await writeFile(gpu, (await readFile(gpu, 'utf8')).replace('- ml-research', '- ml-reserch'));
  const dist = path.join(projectRoot, 'test-results', 'dist-hub-usage');
  if (!process.env['REUSE_DIST'])
    await promisify(execFile)(process.execPath, [cliEntry, '-C', project, 'build', '--out', dist], {
      env: { ...process.env, CONFIGURATOR_BASE: PREFIX, CONFIGURATOR_CHECK_IMAGES: 'false', NO_COLOR: '1' },
    });
  const port = await freePort();
  hub = await startSceneHub(`http://127.0.0.1:${port}`);
  sidecar = await startSidecar({
    distDir: dist,
    config: readServerConfig(
      {
        HOST: '127.0.0.1',
        PORT: String(port),
        CONFIGURATOR_CONTENT_REPO: await freshRepoDir(),
        CONFIGURATOR_PUBLISH_MODE: 'simple',
        JUPYTERHUB_API_URL: hub.apiUrl,
        JUPYTERHUB_API_TOKEN: SERVICE_TOKEN,
        JUPYTERHUB_CLIENT_ID: 'service-configurator',
        JUPYTERHUB_OAUTH_CALLBACK_URL: `${PREFIX}oauth_callback`,
        JUPYTERHUB_SERVICE_PREFIX: PREFIX,
        JUPYTERHUB_BASE_URL: '/',
      },
      { projectDir: projectRoot },
    ),
    sampleContent: path.join(project, 'content'),
    log: () => undefined,
  });
  browser = await launchChromium();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await sidecar?.close();
  await hub?.stop();
});

let loggedIn: Page | undefined;

/** Logs in to the hub as alice through the service, then through Decap's login button (once), and opens a route. */
async function openAdmin(route: string): Promise<Page> {
  if (loggedIn) {
    await loggedIn.goto(`${hub.url}${PREFIX}admin/#${route}`);
    await loggedIn.reload();
    return loggedIn;
  }
  const page = await browser.newPage({ viewport: { width: 1400, height: 1400 } });
  page.setDefaultTimeout(90_000);
  loggedIn = page;
  const console: string[] = [];
  page.on('console', (message) => console.push(`${message.type()}: ${message.text()}`));
  page.on('pageerror', (error) => console.push(`pageerror: ${error.message}`));
  await page.goto(`${hub.url}${PREFIX}admin/`);
  await page.locator('input[name=username]').fill('alice');
  await page.locator('input[name=password]').fill('testpass');
  await page.locator('input[name=password]').press('Enter');
  await page
    .waitForURL(`${hub.url}${PREFIX}admin/**`, { timeout: 90_000 })
    .catch(async (problem: unknown) => {
      throw new Error(`${String(problem)}\nat ${page.url()}:\n${(await page.content()).slice(0, 1500)}`);
    });
  // The editor signs in from the hub's session by itself: no Login click.
  await page.locator('a').first().waitFor();
  await page.goto(`${hub.url}${PREFIX}admin/#${route}`);
  return page;
}

async function preview(page: Page): Promise<Frame> {
  const handle = await page.waitForSelector('iframe');
  const frame = (await handle.contentFrame())!;
  await frame.waitForSelector('.spawn-preview');
  return frame;
}

describe('/admin beside a real JupyterHub 3.0', () => {
  it('shows how many users saved each profile in the list, and each choice in the editor', async () => {
    const page = await openAdmin('/collections/profiles');
    const badge = page.locator('[data-usage-badge="data-science"]');
    await badge.waitFor();
    expect(await badge.textContent()).toBe('3 users saved this');
    expect(await page.locator('[data-usage-badge="gpu"]').textContent()).toBe('1 user saved this');

    await page.goto(`${hub.url}${PREFIX}admin/#/collections/profiles/entries/data-science`);
    const frame = await preview(page);
    await frame.waitForSelector('[data-usage="profile"]');
    expect(await frame.locator('[data-usage="profile"]').textContent()).toMatch(
      /^3 users last started this profile \(4 servers; as of /,
    );
    const count = (choice: string) => frame.locator(`[data-choice="${choice}"] strong`).textContent();
    expect(await count('image/scipy')).toBe('1');
    expect(await count('image/pangeo')).toBe('1');
    expect(await count('image/datascience')).toBe('0');
    expect(await count('image/unlisted-choice')).toBe('2');
    expect(await count('size/large')).toBe('1');
  });

  it('flags a group the hub does not have with the closest name, and offers the hub groups as a picker', async () => {
    const page = await openAdmin('/collections/profiles/entries/gpu');
    const frame = await preview(page);
    // The check's code is the item's tooltip; its text is in the form's words.
    const warning = frame.locator('.preview-warning[title="UnknownHubGroup"]');
    await warning.waitFor();
    expect(await warning.textContent()).toContain(
      'Profile "gpu" is limited to the group "ml-reserch", but the hub has no such group',
    );
    expect(await warning.textContent()).toContain('Hint: did you mean "ml-research"?');

    // The picker: a multi-select whose menu lists the hub's groups.
    const control = page
      .locator('[id^="allowed_groups-field-"]')
      .first()
      .locator('xpath=ancestor-or-self::div[contains(@class,"control")][1]');
    await control.click();
    const menu = page.locator('[id*="-option-"]');
    await menu.first().waitFor();
    expect(await menu.allTextContents()).toEqual(
      expect.arrayContaining(['content-admins', 'ml-research', 'workshop-2026']),
    );
  });
});
