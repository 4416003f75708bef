import { describe, expect, it } from 'vitest';
import { ConfigError, readServerConfig } from '../../src/server/config.ts';

const defaults = { projectDir: '/srv/project' };

describe('the server settings', () => {
  it('runs for one person on loopback, without login, when no JupyterHub variable is set', () => {
    const config = readServerConfig({}, defaults);
    expect(config).toMatchObject({
      mode: 'local',
      host: '127.0.0.1',
      port: 4321,
      base: '/',
      contentRepo: '/srv/project',
      workflow: false,
    });
    expect(config.hub).toBeUndefined();
  });

  it('refuses to listen on another address without login', () => {
    expect(() => readServerConfig({ HOST: '0.0.0.0' }, defaults)).toThrow(
      /HOST=0\.0\.0\.0 would let anyone .* no login is configured/,
    );
  });

  it('names every missing JupyterHub setting at once', () => {
    try {
      readServerConfig({ JUPYTERHUB_API_URL: 'http://127.0.0.1:8081/hub/api', HOST: '0.0.0.0' }, defaults);
      expect.unreachable();
    } catch (problem) {
      expect(problem).toBeInstanceOf(ConfigError);
      const message = (problem as Error).message;
      for (const name of [
        'JUPYTERHUB_API_TOKEN',
        'JUPYTERHUB_CLIENT_ID',
        'JUPYTERHUB_OAUTH_CALLBACK_URL',
        'JUPYTERHUB_SERVICE_PREFIX',
      ]) {
        expect(message).toContain(name);
      }
      expect(message).not.toContain('HOST=');
    }
  });

  it('reads the standard service environment: base path from the service prefix, review on by default', () => {
    const config = readServerConfig(
      {
        HOST: '0.0.0.0',
        PORT: '8080',
        JUPYTERHUB_API_URL: 'http://127.0.0.1:8081/hub/api/',
        JUPYTERHUB_API_TOKEN: 'secret',
        JUPYTERHUB_CLIENT_ID: 'service-configurator',
        JUPYTERHUB_OAUTH_CALLBACK_URL: '/services/configurator/oauth_callback',
        JUPYTERHUB_SERVICE_PREFIX: '/services/configurator/',
        CONFIGURATOR_ADMIN_GROUPS: 'content-admins, teachers',
      },
      defaults,
    );
    expect(config).toMatchObject({
      mode: 'hub',
      base: '/services/configurator/',
      workflow: true,
      adminGroups: ['content-admins', 'teachers'],
    });
    expect(config.hub).toMatchObject({ apiUrl: 'http://127.0.0.1:8081/hub/api', hubPrefix: '/hub/' });
    expect(config.sessionSecret).not.toBe('secret');
  });
});
