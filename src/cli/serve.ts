import path from 'node:path';
import { startServer } from '../server/main.ts';

/** `serve`: runs the built site with its content API for one person on this machine (no login). */
export async function runServe(projectDir: string, options: { dist?: string }): Promise<number> {
  const host = process.env['HOST'] ?? '127.0.0.1';
  const port = Number(process.env['PORT'] ?? '4321');
  const base = process.env['CONFIGURATOR_BASE'] ?? '/';
  if (!['127.0.0.1', 'localhost', '::1'].includes(host)) {
    console.error(
      `Refusing to listen on ${host}: without JupyterHub login anyone who can reach it could change the hub's menu.\n` +
        'hint: leave HOST unset (127.0.0.1), or run it as a JupyterHub service with login configured.',
    );
    return 1;
  }
  process.env['CONFIGURATOR_PROJECT'] = path.resolve(projectDir);
  const distDir = path.resolve(options.dist ?? path.join(import.meta.dirname, '..', '..', 'dist'));
  const server = await startServer({ distDir, host, port, base });
  console.log(
    `z2jh-configurator is running at ${server.url} (spawn-page preview), ${server.url}admin (editor).`,
  );
  console.log(
    'Local mode: no login, listening on this machine only. Edits are written to content/ in place.',
  );
  return 0;
}
