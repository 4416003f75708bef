import path from 'node:path';
import { NODE_CHECKS } from '../lib/node-checks.ts';
import { readProjectSettings } from '../lib/project-settings.ts';
import { formatIssues } from './print.ts';
import { ConfigError, readServerConfig } from '../server/config.ts';
import { readFreshnessSettings } from '../server/freshness.ts';
import { startServer } from '../server/main.ts';

const appRoot = path.resolve(import.meta.dirname, '..', '..');

/**
 * `serve`: the site and editor over a content git repository. Without JupyterHub's service variables it runs
 * for one person on this machine (loopback only, no login); with them, hub admins log in through the hub.
 */
export async function runServe(projectDir: string, options: { dist?: string }): Promise<number> {
  let config;
  try {
    config = readServerConfig(process.env, { projectDir: path.resolve(projectDir) });
  } catch (problem) {
    if (problem instanceof ConfigError) {
      console.error(problem.message);
      return 1;
    }
    throw problem;
  }
  // The advanced allow-list belongs to the infrastructure admins: configurator.yaml beside the tool, never the content.
  const project = await readProjectSettings(path.resolve(projectDir));
  if (project.issues.length > 0) {
    console.error(formatIssues(project.issues, 'The server did not start.'));
    return 1;
  }
  const allowed = project.settings.advanced?.allowed_keys;
  const checkImages =
    (process.env['CONFIGURATOR_CHECK_IMAGES'] ?? (config.mode === 'hub' ? 'true' : 'false')) === 'true';
  const freshness = readFreshnessSettings(process.env, config.mode);
  for (const problem of freshness.problems) console.error(problem);
  const server = await startServer({
    freshness: freshness.settings,
    distDir: path.resolve(options.dist ?? path.join(appRoot, 'dist')),
    config,
    sampleContent: path.join(appRoot, 'content'),
    validate: {
      ...NODE_CHECKS,
      ...(allowed ? { advancedAllowedKeys: allowed } : {}),
    },
    checkImages,
  });
  console.log(
    `z2jh-configurator is running at ${server.url} (spawn-page preview), ${server.url}admin/ (editor).`,
  );
  console.log(
    config.mode === 'local'
      ? `Local mode: no login, listening on this machine only. Content: ${config.contentRepo} (git, branch main).`
      : `Hub mode: hub admins${config.adminGroups.length ? ` and ${config.adminGroups.join(', ')}` : ''} log in through JupyterHub. Content: ${config.contentRepo}.`,
  );
  const stop = () => void server.close().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  return 0;
}
