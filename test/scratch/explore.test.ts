import path from 'node:path';
import { it } from 'vitest';
import { launchChromium } from '../helpers/browser.ts';
import { projectRoot } from '../helpers/content.ts';
import { copySampleProject } from '../helpers/project.ts';
import { startSite } from '../helpers/site-server.ts';

it('explore', async () => {
  const project = await copySampleProject();
  const site = await startSite(project, 'dist-explore');
  const browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  page.on('console', (m) => console.log('CONSOLE', m.type(), m.text().slice(0, 300)));
  page.on('pageerror', (e) => console.log('PAGEERROR', e.message));
  await page.goto(`${site.url}admin/#/collections/images`);
  await page.waitForTimeout(4000);
  await page.screenshot({ path: path.join(projectRoot, 'test-results', 'explore-1.png') });
  console.log('HTML', (await page.content()).length, project);
  await page.goto(`${site.url}admin/#/collections/images/entries/scipy`);
  await page.waitForTimeout(3000);
  await page.screenshot({ path: path.join(projectRoot, 'test-results', 'explore-2.png') });
  await browser.close();
  await site.stop();
}, 300_000);
