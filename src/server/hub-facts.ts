import { createCached, type CacheOptions, type Known } from '../hub-api/cached.ts';
import { createHubClient } from '../hub-api/client.ts';
import { readUsage, toUsageAnswer, type UsageAnswer } from '../hub-api/usage.ts';
import { NO_HUB_REASON, type Usage } from '../lib/usage.ts';
import type { HubSettings } from './config.ts';

/** What the hub's groups endpoint answers: the names, or why they are unknown. */
export type GroupsAnswer = { groups: string[]; as_of: string } | { unknown: true; reason: string };

/**
 * What the editor learns from the hub, cached: who saved which profile and choice (`api/usage`), and the hub's
 * groups (`api/groups`). Reads run in the background of page loads, never inside a save; a hub that does not
 * answer gives `{"unknown": true, "reason"}` with status 200, never an error.
 */
export function createHubFacts(
  hub: HubSettings | undefined,
  options: CacheOptions & { fetch?: typeof fetch } = {},
) {
  const client = hub
    ? createHubClient({
        apiUrl: hub.apiUrl,
        token: hub.apiToken,
        ...(options.fetch ? { fetch: options.fetch } : {}),
      })
    : undefined;
  const unknown = async (): Promise<Known<never>> => ({ ok: false, reason: NO_HUB_REASON });
  const usage = client ? createCached<Usage>(() => readUsage(client), options) : undefined;
  const groups = client ? createCached<string[]>(() => client.listGroups(), options) : undefined;

  return {
    /** Starts the first reads, so the editor's first page load finds answers. */
    warm(): void {
      void usage?.get();
      void groups?.get();
    },
    async usage(): Promise<UsageAnswer> {
      return toUsageAnswer(usage ? await usage.get() : await unknown());
    },
    /** The last usage answer without waiting (for code that must not wait on the hub, such as a save). */
    usageNow(): UsageAnswer {
      return toUsageAnswer(usage ? usage.peek() : { ok: false, reason: NO_HUB_REASON });
    },
    async groups(): Promise<GroupsAnswer> {
      const known = groups ? await groups.get() : await unknown();
      return known.ok
        ? { groups: [...known.value].sort((a, b) => a.localeCompare(b)), as_of: known.at.toISOString() }
        : { unknown: true, reason: known.reason };
    },
    /** The routes `api/usage` and `api/groups` (the caller checks the session first). */
    async handle(route: string): Promise<Response | undefined> {
      const headers = { 'Cache-Control': 'no-store' };
      if (route === 'api/usage') return Response.json(await this.usage(), { headers });
      if (route === 'api/groups') return Response.json(await this.groups(), { headers });
      return undefined;
    },
  };
}

/** The hub facts, as the server holds them. */
export type HubFacts = ReturnType<typeof createHubFacts>;
