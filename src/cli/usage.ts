import pc from 'picocolors';
import { SERVICE_SCOPES } from '../lib/hub-scopes.ts';
import type { ResolvedCatalog } from '../lib/model.ts';
import { UNLISTED_CHOICE, type Usage } from '../lib/usage.ts';
import { createHubClient } from '../hub-api/client.ts';
import { hubApiFromEnv, readUsage, type UsageAnswer } from '../hub-api/usage.ts';

/**
 * `usage`: how many users last started each profile, choice and "Other..." entry, read from the hub named by
 * `JUPYTERHUB_API_URL` with `JUPYTERHUB_API_TOKEN`. Exit 1 when the hub cannot answer (JSON: the "unknown" answer).
 */
export async function runUsage(projectDir: string, options: { json?: boolean }): Promise<number> {
  const hub = hubApiFromEnv(process.env);
  if (hub.missing) {
    const message = `usage needs ${hub.missing.join(' and ')}: the hub's API URL (e.g. https://hub.example.org/hub/api) and a token with the scopes ${SERVICE_SCOPES.join(', ')}.`;
    if (options.json) console.log(JSON.stringify({ unknown: true, reason: message }));
    else console.error(message);
    return 1;
  }
  let answer: UsageAnswer;
  try {
    const usage = await readUsage(createHubClient({ apiUrl: hub.apiUrl, token: hub.token }));
    answer = { ...usage, as_of: new Date().toISOString() };
  } catch (problem) {
    answer = { unknown: true, reason: problem instanceof Error ? problem.message : String(problem) };
  }
  if (options.json) {
    console.log(JSON.stringify(answer, null, 2));
    return 'unknown' in answer ? 1 : 0;
  }
  if ('unknown' in answer) {
    console.error(`Usage is unknown: ${answer.reason}`);
    return 1;
  }
  // The content only marks counts of profiles and choices it no longer has; JSON output does without it.
  const { loadContent } = await import('../lib/load.ts');
  const content = await loadContent(projectDir).catch(() => undefined);
  console.log(formatUsage(answer, content?.resolved));
  return 0;
}

/** A readable table: profiles by users, then each menu's choices; entries the content no longer has are marked. */
export function formatUsage(usage: Usage, catalog?: ResolvedCatalog): string {
  const lines = [`${usage.users} users; ${usage.servers} servers started with saved options.`];
  const profiles = Object.entries(usage.profiles).sort(
    ([a, x], [b, y]) => y.users - x.users || a.localeCompare(b),
  );
  if (profiles.length === 0) lines.push('No server was started with a profile yet.');
  for (const [slug, profile] of profiles) {
    const resolved = catalog?.profiles.find((p) => p.id === slug);
    const gone =
      catalog && !resolved ? pc.yellow('  (not in the content: these users must choose again)') : '';
    lines.push(
      `${pc.bold(slug)}  ${count(profile.users, 'user')}, ${count(profile.servers, 'server')}${gone}`,
    );
    for (const [option, choices] of Object.entries(profile.options).sort(([a], [b]) => a.localeCompare(b))) {
      const menu = resolved?.options.find((o) => o.key === option);
      for (const [choice, users] of Object.entries(choices).sort(
        ([a, x], [b, y]) => y - x || a.localeCompare(b),
      )) {
        const known =
          !resolved ||
          (choice === UNLISTED_CHOICE
            ? menu?.customImage !== undefined
            : menu?.choices.some((c) => c.key === choice));
        const label = choice === UNLISTED_CHOICE ? 'Other... (typed by the user)' : choice;
        lines.push(
          `  ${option}: ${label}  ${count(users, 'user')}${known ? '' : pc.yellow('  (not offered)')}`,
        );
      }
    }
  }
  return lines.join('\n');
}

function count(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
