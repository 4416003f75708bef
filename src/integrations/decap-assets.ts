import { createReadStream } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { AstroIntegration } from 'astro';

const require = createRequire(import.meta.url);
const decapDist = path.dirname(require.resolve('decap-cms/dist/decap-cms.js'));
const decapVersion = (
  JSON.parse(await readFile(path.join(decapDist, '..', 'package.json'), 'utf8')) as { version: string }
).version;

/** Where the admin page loads Decap from, relative to the site base: versioned, so it can be cached for a year. */
export const DECAP_ASSET_PATH = `admin/decap/${decapVersion}/`;

/** The files Decap needs at run time: the main bundle, its lazy chunks and its wasm (no source maps, no old build). */
export function decapAssetFiles(): Promise<string[]> {
  // The installed package does not change while the process runs: list it once (dev asks on every request).
  assetFiles ??= readdir(decapDist).then((names) =>
    names.filter((n) => n === 'decap-cms.js' || /^\d+\.decap-cms\.js$/.test(n) || n.endsWith('.wasm')).sort(),
  );
  return assetFiles;
}

let assetFiles: Promise<string[]> | undefined;

/**
 * Serves Decap CMS from the project's own build, never a CDN: copies its files into the site at build time with
 * gzip and brotli siblings (the server and static hosts send those), and serves them from node_modules in dev.
 */
export function decapAssets(): AstroIntegration {
  let base = '/';
  return {
    name: 'z2jh-decap-assets',
    hooks: {
      'astro:config:done': ({ config }) => {
        base = config.base.endsWith('/') ? config.base : `${config.base}/`;
      },
      'astro:server:setup': ({ server }) => {
        const prefix = `${base}${DECAP_ASSET_PATH}`;
        server.middlewares.use((request, response, next) => {
          const url = request.url?.split('?')[0] ?? '';
          if (!url.startsWith(prefix)) return next();
          const name = url.slice(prefix.length);
          void decapAssetFiles().then((files) => {
            if (!files.includes(name)) return next();
            response.setHeader(
              'Content-Type',
              name.endsWith('.wasm') ? 'application/wasm' : 'text/javascript',
            );
            createReadStream(path.join(decapDist, name)).pipe(response);
          });
        });
      },
      'astro:build:done': async ({ dir, logger }) => {
        const target = path.join(fileURLToPath(dir), DECAP_ASSET_PATH);
        await mkdir(target, { recursive: true });
        const files = await decapAssetFiles();
        await Promise.all(
          files.map(async (name) => {
            const source = path.join(decapDist, name);
            await copyFile(source, path.join(target, name));
            const body = await readFile(source);
            await writeFile(path.join(target, `${name}.gz`), await promisify(gzip)(body, { level: 9 }));
            await writeFile(
              path.join(target, `${name}.br`),
              await promisify(brotliCompress)(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 10 } }),
            );
          }),
        );
        logger.info(
          `Decap CMS ${decapVersion}: ${files.length} files (with .gz and .br) in ${DECAP_ASSET_PATH}`,
        );
      },
    },
  };
}
