// @ts-check
import { defineConfig } from 'astro/config';
import node from '@astrojs/node';
import { decapAssets } from './src/integrations/decap-assets.ts';

/**
 * Static by default: `build` prerenders the preview, the outputs and /admin. The on-demand routes (the content
 * API) run in `astro dev` and in this project's server (src/server/main.ts), which mounts Astro as middleware.
 */
export default defineConfig({
  output: 'static',
  adapter: node({ mode: 'middleware' }),
  base: process.env.CONFIGURATOR_BASE ?? '/',
  trailingSlash: 'ignore',
  server: { host: '127.0.0.1' },
  integrations: [decapAssets()],
});
