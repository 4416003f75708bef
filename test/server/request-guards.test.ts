import { request as httpRequest } from 'node:http';
import { describe, expect, it } from 'vitest';
import { readServerConfig } from '../../src/server/config.ts';
import { createHostCheck } from '../../src/server/host-check.ts';
import { git, localSidecars } from '../helpers/sidecar.ts';
import { projectRoot } from '../helpers/content.ts';

const start = localSidecars();

/** A request with any Host header (fetch will not send a forged one). */
function raw(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      url,
      { method: options.method ?? 'GET', headers: options.headers ?? {} },
      (response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk.toString()));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body }),
        );
      },
    );
    request.on('error', reject);
    request.end(options.body);
  });
}

const HUB_ENV = {
  JUPYTERHUB_API_URL: 'http://127.0.0.1:1/hub/api',
  JUPYTERHUB_API_TOKEN: 'secret',
  JUPYTERHUB_CLIENT_ID: 'service-configurator',
  JUPYTERHUB_OAUTH_CALLBACK_URL: '/services/configurator/oauth_callback',
  JUPYTERHUB_SERVICE_PREFIX: '/',
};

describe('Host checks against DNS rebinding', () => {
  it('local mode refuses a rebinding host (and makes no commit), answering only loopback names with its port', async () => {
    const server = await start();
    const port = new URL(server.url).port;
    const head = (await git(server.repo, 'rev-parse', 'main')).trim();
    const save = await raw(`${server.url}api/v1`, {
      method: 'POST',
      headers: {
        Host: `evil.example:${port}`,
        Origin: `http://evil.example:${port}`,
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({ action: 'deleteFiles', params: { paths: ['content/profiles/gpu.yaml'] } }),
    });
    expect(save.status).toBe(421);
    expect(save.body).toContain(`http://127.0.0.1:${port}/`);
    expect((await git(server.repo, 'rev-parse', 'main')).trim()).toBe(head);
    for (const path of ['admin/', 'api/content.json', 'profile_list.json']) {
      expect((await raw(`${server.url}${path}`, { headers: { Host: `evil.example:${port}` } })).status).toBe(
        421,
      );
    }
    expect((await raw(`${server.url}healthz`, { headers: { Host: `127.0.0.1:${port}` } })).status).toBe(200);
    expect((await raw(`${server.url}healthz`, { headers: { Host: `localhost:${port}` } })).status).toBe(200);
    expect((await raw(`${server.url}healthz`, { headers: { Host: `127.0.0.1:1${port}` } })).status).toBe(421);
  });

  it('beside the hub, checks Host against the hub public host when JupyterHub names it, and lets loopback in', () => {
    const named = readServerConfig(
      { ...HUB_ENV, JUPYTERHUB_HOST: 'https://hub.example.org' },
      { projectDir: projectRoot },
    );
    const check = createHostCheck(named, () => 8080);
    expect(check('hub.example.org')).toBe(true);
    expect(check('127.0.0.1:8080')).toBe(true);
    expect(check('evil.example')).toBe(false);
    expect(check(undefined)).toBe(false);
    const unnamed = createHostCheck(readServerConfig(HUB_ENV, { projectDir: projectRoot }), () => 8080);
    expect(unnamed('hub.example.org')).toBe(true);
  });
});

describe('api/check-image', () => {
  it('answers only same-origin reads from the editor', async () => {
    const server = await start();
    const url = `${server.url}api/check-image?reference=quay.io/jupyter/scipy-notebook:2024-03-18`;
    expect((await fetch(url)).status).toBe(403);
    expect((await fetch(url, { headers: { 'Sec-Fetch-Site': 'cross-site' } })).status).toBe(403);
    expect(
      (
        await fetch(url, {
          headers: { 'Sec-Fetch-Site': 'cross-site', 'X-Requested-With': 'z2jh-configurator' },
        })
      ).status,
    ).toBe(403);
    const refused = await fetch(`${server.url}api/check-image?reference=`, {
      headers: { 'Sec-Fetch-Site': 'same-origin' },
    });
    expect(refused.status).toBe(422); // past the origin check: only the empty reference is refused
  });
});

describe('security headers and odd paths', () => {
  it('sends nosniff, no framing and a CSP on the pages', async () => {
    const server = await start();
    for (const path of ['', 'admin/', 'history']) {
      const response = await fetch(`${server.url}${path}`);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      const csp = response.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("img-src 'self' data: blob:");
      expect(csp).toContain("default-src 'self'");
    }
  });

  it('answers a broken percent-encoding with 400, not 500', async () => {
    const server = await start();
    expect((await fetch(`${server.url}admin/%E0%A4%A`)).status).toBe(400);
  });
});
