import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { AstroIntegration } from 'astro';

/** Files smaller than this are sent as they are: compressing them saves less than a round trip costs. */
const MIN_BYTES = 1024;
const COMPRESSIBLE = /\.(js|css|wasm|svg)$/;

/**
 * Writes gzip and brotli siblings of the built client's scripts and styles (the admin page's Decap bundle among
 * them), which this project's server sends to browsers that accept them and static hosts can serve as well.
 */
export function precompress(): AstroIntegration {
  return {
    name: 'z2jh-precompress',
    hooks: {
      'astro:build:done': async ({ dir, logger }) => {
        const assets = path.join(fileURLToPath(dir), '_astro');
        const names = await readdir(assets).catch(() => [] as string[]);
        let count = 0;
        await Promise.all(
          names
            .filter((name) => COMPRESSIBLE.test(name))
            .map(async (name) => {
              const file = path.join(assets, name);
              if ((await stat(file)).size < MIN_BYTES) return;
              const body = await readFile(file);
              await writeFile(`${file}.gz`, await promisify(gzip)(body, { level: 9 }));
              await writeFile(
                `${file}.br`,
                await promisify(brotliCompress)(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 10 } }),
              );
              count += 1;
            }),
        );
        logger.info(`${count} client files compressed (.gz and .br beside each)`);
      },
    },
  };
}
