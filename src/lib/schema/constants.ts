// Values the schemas and the rules share, kept apart from the TypeBox definitions so that the CLI's validation
// path does not load TypeBox (its validators are compiled ahead of time).

/** The only shape an id, slug, option key or choice key may take (KubeSpawner puts them unescaped into HTML). */
export const SLUG_PATTERN = '^[a-z0-9]+(-[a-z0-9]+)*$';

/** The safe default pattern for a user-typed image: registry/repository:tag, nothing else. */
export const DEFAULT_CUSTOM_IMAGE_REGEX =
  '^[a-z0-9]+([._\\/:\\-][a-z0-9]+)*:[A-Za-z0-9_][A-Za-z0-9._\\-]{0,127}$';

/**
 * KubeSpawner settings a profile's `advanced` may set unless configurator.yaml says otherwise: settings that only
 * change what runs inside the user's own container (which the image a hub admin picks already decides). Left out
 * on purpose, because a hub admin could use them to leave the pod's sandbox or reach other users' data: security
 * contexts and identities (privileged, allow_privilege_escalation, uid, gid, fs_gid, supplemental_gids,
 * container_security_context, pod_security_context), service accounts and tokens (service_account,
 * automount_service_account_token, oauth_roles, oauth_client_allowed_scopes, env_keep), extra containers and raw pod
 * or container spec (init_containers, extra_containers, extra_pod_config, extra_container_config, lifecycle_hooks),
 * storage and volumes (volumes, volume_mounts, pvc_name_template, storage_*), labels and annotations (network
 * policies and services select pods by label), scheduling (node_affinity_*, pod_affinity_*, priority_class_name,
 * scheduler_name), namespaces and networking. Infrastructure admins may allow any of them.
 */
export const DEFAULT_ADVANCED_ALLOWED_KEYS: readonly string[] = [
  'args',
  'cmd',
  'delete_grace_period',
  'disable_user_config',
  'http_timeout',
  'image_pull_policy',
  'notebook_dir',
  'slow_spawn_message',
  'start_timeout',
  'working_dir',
];
