import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { init, parse } from 'es-module-lexer';
import type { AstroIntegration } from 'astro';

/** A module script as Astro writes it into a built page. */
const MODULE_SCRIPT = /<script type="module" src="([^"]+)"/g;

/**
 * Adds `<link rel="modulepreload">` for every module a page's scripts import statically. Astro writes only the
 * entry scripts, so the browser finds their imports (the shared chunks) after it has fetched and parsed each
 * entry: on /admin, where one entry is Decap, that was a second round of requests a tenth of a second late.
 */
export function modulePreload(): AstroIntegration {
  let base = '/';
  return {
    name: 'z2jh-module-preload',
    hooks: {
      'astro:config:done': ({ config }) => {
        base = config.base.endsWith('/') ? config.base : `${config.base}/`;
      },
      'astro:build:done': async ({ dir, logger }) => {
        await init;
        const root = fileURLToPath(dir);
        const fileOf = (url: string) =>
          url.startsWith(base) ? path.join(root, url.slice(base.length)) : undefined;
        /** Static imports of one built module, as site paths. */
        const importsOf = new Map<string, Promise<string[]>>();
        const staticImports = (url: string): Promise<string[]> => {
          let found = importsOf.get(url);
          if (!found) {
            const file = fileOf(url);
            found = file
              ? readFile(file, 'utf8').then((code) => {
                  const [imports] = parse(code, file);
                  return imports
                    .filter((i) => i.d === -1 && i.n?.startsWith('.'))
                    .map((i) => new URL(i.n!, `http://site${url}`).pathname);
                })
              : Promise.resolve([]);
            importsOf.set(url, found);
          }
          return found;
        };
        const pages = (await readdir(root, { recursive: true })).filter((f) => f.endsWith('.html'));
        let added = 0;
        for (const page of pages) {
          const file = path.join(root, page);
          const html = await readFile(file, 'utf8');
          const entries = [...html.matchAll(MODULE_SCRIPT)].map((m) => m[1]!);
          const preload = new Set<string>();
          const walk = async (url: string): Promise<void> => {
            for (const dep of await staticImports(url)) {
              if (preload.has(dep) || entries.includes(dep)) continue;
              preload.add(dep);
              await walk(dep);
            }
          };
          for (const entry of entries) await walk(entry);
          if (preload.size === 0 || !html.includes('</head>')) continue;
          const links = [...preload].map((href) => `<link rel="modulepreload" href="${href}">`).join('');
          await writeFile(file, html.replace('</head>', `${links}</head>`));
          added += preload.size;
        }
        logger.info(`${added} module preloads added`);
      },
    },
  };
}
