// @ts-check
import { defineConfig } from 'astro/config';
import node from '@astrojs/node';
import { modulePreload } from './src/integrations/module-preload.ts';
import { precompress } from './src/integrations/precompress.ts';

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
  integrations: [modulePreload(), precompress()],
  vite: {
    build: {
      // The admin page bundles Decap CMS (about 2.7 MB before compression); that is expected, not a warning.
      chunkSizeWarningLimit: 4096,
      // Source maps for profiling a build (Z2JH_SOURCEMAP=1); never shipped by default.
      sourcemap: process.env.Z2JH_SOURCEMAP === '1',
      rolldownOptions: {
        // Decap's dependencies use eval (TOML, front matter) and "use client" (React); neither is ours to fix.
        onLog(level, log, handler) {
          if (log.code === 'EVAL' || log.code === 'MODULE_LEVEL_DIRECTIVE') return;
          handler(level, log);
        },
      },
    },
  },
});
