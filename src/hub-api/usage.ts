import { aggregateUsage, type Usage } from '../lib/usage.ts';
import type { Known } from './cached.ts';
import type { HubClient } from './client.ts';

/**
 * What `GET /api/usage` and `usage --json` answer: the counts with the time the hub was read, or, when the hub
 * cannot answer, `{"unknown": true, "reason": "…"}` (never an error status).
 */
export type UsageAnswer = (Usage & { as_of: string }) | { unknown: true; reason: string };

/** Reads every user (paged) and counts what their servers were last started with. */
export async function readUsage(client: Pick<HubClient, 'listUsers'>): Promise<Usage> {
  return aggregateUsage(await client.listUsers());
}

/** The answer for a cached read. */
export function toUsageAnswer(known: Known<Usage>): UsageAnswer {
  return known.ok
    ? { ...known.value, as_of: known.at.toISOString() }
    : { unknown: true, reason: known.reason };
}

/** The hub's settings from JupyterHub's standard variables, or the names of the missing ones. */
export function hubApiFromEnv(
  env: NodeJS.ProcessEnv,
): { apiUrl: string; token: string; missing?: undefined } | { missing: string[] } {
  const apiUrl = env['JUPYTERHUB_API_URL']?.trim() ?? '';
  const token = env['JUPYTERHUB_API_TOKEN']?.trim() ?? '';
  const missing = [...(apiUrl ? [] : ['JUPYTERHUB_API_URL']), ...(token ? [] : ['JUPYTERHUB_API_TOKEN'])];
  return missing.length > 0 ? { missing } : { apiUrl, token };
}
