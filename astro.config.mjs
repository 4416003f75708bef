// @ts-check
import { defineConfig } from 'astro/config';
import node from '@astrojs/node';

/** Static by default: `build` prerenders every page; the sidecar server adds on-demand routes later. */
export default defineConfig({
  output: 'static',
  adapter: node({ mode: 'standalone' }),
  base: process.env.CONFIGURATOR_BASE ?? '/',
  trailingSlash: 'ignore',
  server: { host: '127.0.0.1' },
});
