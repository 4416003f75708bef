import type { HubValuesOptions } from './options.ts';

/** Where `hub.extraFiles` mounts the loader: z2jh puts this folder (its config's) on the hub's `sys.path`. */
export const LOADER_MOUNT_PATH = '/usr/local/etc/jupyterhub/z2jh_profile_loader.py';
/** The `hub.extraFiles` key of the loader (also its key in the hub's Secret). */
export const LOADER_FILE_KEY = 'z2jh-profile-loader';
/** The `hub.extraConfig` key of the snippet that configures KubeSpawner. */
export const LOADER_CONFIG_KEY = 'z2jh-configurator';
/** Where the loader keeps the last good list: the hub's own volume (the sqlite PVC by default), so it survives restarts. */
export const LOADER_CACHE_PATH = '/srv/jupyterhub/z2jh-configurator/profile_list.json';

/**
 * The `hub.extraConfig` snippet: points `c.KubeSpawner.profile_list` at the loader, with the list baked into
 * the values (`singleuser.profileList`, which z2jh has already set on `c.KubeSpawner`) as the last fallback.
 */
export function renderLoaderConfig(
  options: Pick<HubValuesOptions, 'listUrl' | 'timeout' | 'minRefreshSeconds'>,
): string {
  return [
    '# z2jh-configurator (README.md, "Deploying next to a z2jh hub"): KubeSpawner asks the loader (hub.extraFiles) for the',
    '# profile list on every spawn-page render and every spawn. When the configurator is down or publishes',
    '# something unusable, spawns go on with the last good list, then the copy saved on disk, then',
    '# singleuser.profileList. Profiles and choices with allowed_groups are shown to members of those groups.',
    'from z2jh_profile_loader import make_profile_list',
    '',
    'c.KubeSpawner.profile_list = make_profile_list(',
    `    ${pythonString(options.listUrl)},`,
    `    timeout=${pythonNumber(options.timeout)},`,
    `    min_refresh_seconds=${pythonNumber(options.minRefreshSeconds)},`,
    `    cache_path=${pythonString(LOADER_CACHE_PATH)},`,
    '    fallback=c.KubeSpawner.get("profile_list") or [],',
    ')',
    '',
  ].join('\n');
}

/** A Python string literal (JSON's escapes are a subset of Python's). */
export function pythonString(value: string): string {
  return JSON.stringify(value);
}

function pythonNumber(value: number): string {
  return Number.isInteger(value) ? `${value}.0` : String(value);
}
