import { SERVICE_SCOPES } from '../lib/hub-scopes.ts';
import { sortIssues, warning, type Issue } from '../lib/issues.ts';
import { loadContent } from '../lib/load.ts';
import { createHubClient } from '../hub-api/client.ts';
import { hubApiFromEnv } from '../hub-api/usage.ts';
import { shouldCheckImages, type ImageCheckOptions } from './image-check-options.ts';
import { formatIssues } from './print.ts';

/** `validate`: prints every issue; 1 when there is an error. `--hub` checks `allowed_groups` against the hub's groups. */
export async function runValidate(
  projectDir: string,
  options: { json?: boolean; hub?: boolean } & ImageCheckOptions,
): Promise<number> {
  const hub = options.hub ? await readHubGroups() : { issues: [] };
  const loaded = await loadContent(projectDir, 'content', hub.groups ? { hubGroups: hub.groups } : {});
  const content =
    hub.issues.length > 0 ? { ...loaded, issues: sortIssues([...hub.issues, ...loaded.issues]) } : loaded;
  const result = shouldCheckImages(options.checkImages)
    ? await (
        await import('./check-images.ts')
      ).withImageChecks(projectDir, content, {
        ...options,
        quiet: options.json === true,
      })
    : content;
  if (options.json) {
    console.log(JSON.stringify({ ok: result.ok, issues: result.issues }, null, 2));
  } else {
    console.log(formatIssues(result.issues, result.ok ? 'The content is valid.' : 'Nothing was written.'));
  }
  return result.ok ? 0 : 1;
}

/** The hub's group names, or a warning saying why they could not be read (the groups are then not checked). */
async function readHubGroups(): Promise<{ groups?: string[]; issues: Issue[] }> {
  const at = { file: 'JUPYTERHUB_API_URL' };
  const hub = hubApiFromEnv(process.env);
  if (hub.missing) {
    return {
      issues: [
        warning(
          'HubUnavailable',
          at,
          `--hub needs ${hub.missing.join(' and ')}, so allowed_groups were not checked against the hub's groups.`,
          `set JUPYTERHUB_API_URL (e.g. https://hub.example.org/hub/api) and JUPYTERHUB_API_TOKEN (scopes: ${SERVICE_SCOPES.join(', ')}).`,
        ),
      ],
    };
  }
  try {
    return { groups: await createHubClient(hub).listGroups(), issues: [] };
  } catch (problem) {
    return {
      issues: [
        warning(
          'HubUnavailable',
          { file: hub.apiUrl },
          `The hub's groups could not be read, so allowed_groups were not checked: ${problem instanceof Error ? problem.message : String(problem)}`,
          'check the URL and that the token has the scope list:groups.',
        ),
      ],
    };
  }
}
