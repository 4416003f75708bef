/**
 * Who saved what: counts of the profiles, menu choices and "Other..." entries that users' servers were last
 * started with, from JupyterHub's user models. KubeSpawner 7.1 saves a spawn's choices as the server's
 * `user_options`: `{"profile": "<slug>", "<option key>": "<choice key>", "<option key>--unlisted-choice": "<typed>"}`,
 * and pre-selects them (and API clients reuse them) on the next start, so a removed slug or choice key breaks
 * exactly these users.
 */

/** Why usage is unknown when the editor runs without JupyterHub (local mode): the editor shows nothing then. */
export const NO_HUB_REASON = 'No hub is configured: the editor runs without JupyterHub (local mode).';

/** The key under which "Other..." (a typed value, KubeSpawner's `unlisted_choice`) is counted in an option. */
export const UNLISTED_CHOICE = 'unlisted-choice';
const UNLISTED_SUFFIX = '--unlisted-choice';

/** The part of JupyterHub's server model usage reads. */
export interface HubServerModel {
  user_options?: Record<string, unknown> | null;
}

/** The part of JupyterHub's user model usage reads (`GET /users?include_stopped_servers=1`). */
export interface HubUserModel {
  name: string;
  servers?: Record<string, HubServerModel> | null;
}

/** Users (and servers) of one profile slug, and of each of its menus' choices. */
export interface ProfileUsage {
  /** Users with at least one server last started with this profile. */
  users: number;
  /** Servers (a user's default and named servers) last started with this profile. */
  servers: number;
  /** `{"<option key>": {"<choice key>": users, "unlisted-choice": users}}`. */
  options: Record<string, Record<string, number>>;
}

/** The whole hub: `{"users": N, "servers": N, "profiles": {"<slug>": ProfileUsage}}`. */
export interface Usage {
  /** Every user the hub listed. */
  users: number;
  /** Servers that were started with saved options (running or stopped). */
  servers: number;
  profiles: Record<string, ProfileUsage>;
}

/** Counts users per profile slug, option and choice; a user with several servers on one choice counts once. */
export function aggregateUsage(users: Iterable<HubUserModel>): Usage {
  const usage: Usage = { users: 0, servers: 0, profiles: {} };
  const seen = new Set<string>();
  for (const user of users) {
    if (!user || typeof user.name !== 'string' || seen.has(user.name)) continue;
    seen.add(user.name);
    usage.users += 1;
    const counted = new Set<string>();
    for (const server of Object.values(user.servers ?? {})) {
      const options = server?.user_options;
      if (!options || typeof options !== 'object') continue;
      const slug = options['profile'];
      if (typeof slug !== 'string' || slug === '') continue;
      usage.servers += 1;
      const profile = (usage.profiles[slug] ??= { users: 0, servers: 0, options: {} });
      profile.servers += 1;
      if (!counted.has(slug)) {
        counted.add(slug);
        profile.users += 1;
      }
      for (const [option, choice] of savedChoices(options)) {
        const id = `${slug}\u0000${option}\u0000${choice}`;
        if (counted.has(id)) continue;
        counted.add(id);
        const choices = (profile.options[option] ??= {});
        choices[choice] = (choices[choice] ?? 0) + 1;
      }
    }
  }
  return usage;
}

/**
 * The `[option key, choice key]` pairs of one server's options, as KubeSpawner reads them: a non-empty
 * `<key>--unlisted-choice` wins over `<key>` (kubespawner/spawner.py `_load_profile`), and counts as "unlisted-choice".
 */
export function savedChoices(options: Record<string, unknown>): [string, string][] {
  const pairs: [string, string][] = [];
  for (const [key, value] of Object.entries(options)) {
    if (key === 'profile' || !isChoiceValue(value)) continue;
    if (key.endsWith(UNLISTED_SUFFIX)) {
      pairs.push([key.slice(0, -UNLISTED_SUFFIX.length), UNLISTED_CHOICE]);
    } else if (!isChoiceValue(options[`${key}${UNLISTED_SUFFIX}`])) {
      pairs.push([key, String(value)]);
    }
  }
  return pairs;
}

function isChoiceValue(value: unknown): value is string | number {
  return (typeof value === 'string' && value !== '') || typeof value === 'number';
}
