/**
 * The least JupyterHub scopes (3.0 and later) the configurator's service token needs for each read, checked
 * against a real hub by the tests. `list:users` lists users (with their names); `read:servers` adds each
 * user's servers with their saved `user_options` (`?include_stopped_servers=1` includes stopped ones);
 * `list:groups` lists the groups with their names.
 */
export const HUB_SCOPES = {
  usage: ['list:users', 'read:servers'],
  groups: ['list:groups'],
} as const;

/** Every scope the service needs: what the README documents and `helm-values --mode sidecar` grants. */
export const SERVICE_SCOPES: readonly string[] = [...HUB_SCOPES.usage, ...HUB_SCOPES.groups];
