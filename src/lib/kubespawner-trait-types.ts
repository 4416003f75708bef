/**
 * The value types KubeSpawner's traits accept (traitlets types of kubespawner/spawner.py 7.1 and JupyterHub's
 * Spawner, see research/kubespawner.md §2.2), for `advanced` values. Traitlets would refuse anything else at
 * spawn time (`TraitError`), after the list was published; here it is refused before.
 */
export type TraitType =
  | 'unicode'
  | 'int'
  | 'float'
  | 'bool'
  | 'dict'
  | 'list-of-unicode'
  | 'list-of-int'
  | 'list-or-dict'
  | 'command'
  | 'list-or-unicode';

const TYPES: Record<TraitType, string> = {
  unicode: 'a text',
  int: 'a whole number',
  float: 'a number',
  bool: 'true or false',
  dict: 'a map',
  'list-of-unicode': 'a list of texts',
  'list-of-int': 'a list of whole numbers',
  'list-or-dict': 'a list or a map',
  command: 'a text or a list of texts',
  'list-or-unicode': 'a text or a list',
};

const byType = (type: TraitType, keys: string): [string, TraitType][] =>
  keys.split(/\s+/).map((key) => [key, type]);

/** Trait name → accepted type, for every trait an allow-list could name. */
export const TRAIT_TYPES: ReadonlyMap<string, TraitType> = new Map([
  ...byType(
    'unicode',
    'working_dir notebook_dir slow_spawn_message image_pull_policy service_account priority_class_name ' +
      'scheduler_name storage_capacity storage_class pod_name_template pvc_name_template namespace ' +
      'dns_name_template secret_name_template secret_mount_path component_label ip pod_connect_ip hub_connect_ip ' +
      'user_namespace_template',
  ),
  ...byType(
    'int',
    'start_timeout http_timeout delete_grace_period uid gid fs_gid hub_connect_port port poll_interval consecutive_failure_limit',
  ),
  ...byType('float', 'slow_spawn_message_frequency slow_spawn_message_threshold'),
  ...byType(
    'bool',
    'disable_user_config privileged allow_privilege_escalation automount_service_account_token delete_pvc ' +
      'remember_pvc_name storage_pvc_ensure events_enabled services_enabled enable_user_namespaces ' +
      'delete_stopped_pods debug ssl_alt_names_include_local',
  ),
  ...byType(
    'dict',
    'extra_labels extra_annotations extra_pod_config extra_container_config lifecycle_hooks node_selector ' +
      'extra_resource_limits extra_resource_guarantees storage_extra_labels storage_extra_annotations ' +
      'storage_selector common_labels user_namespace_labels user_namespace_annotations container_security_context ' +
      'pod_security_context environment',
  ),
  ...byType(
    'list-of-unicode',
    'args env_keep oauth_roles oauth_client_allowed_scopes ssl_alt_names storage_access_modes',
  ),
  ...byType('list-of-int', 'supplemental_gids'),
  ...byType(
    'list-or-dict',
    'init_containers extra_containers volumes volume_mounts tolerations node_affinity_required ' +
      'node_affinity_preferred pod_affinity_required pod_affinity_preferred pod_anti_affinity_required ' +
      'pod_anti_affinity_preferred',
  ),
  ['cmd', 'command'],
  ['image_pull_secrets', 'list-or-unicode'],
]);

/** What a trait's value must be, in words (for messages), or undefined for a trait without a known type. */
export function describeTraitType(key: string): string | undefined {
  const type = TRAIT_TYPES.get(key);
  return type && TYPES[type];
}

/** True when `value` has the type KubeSpawner's trait `key` accepts (a trait without a known type: any). */
export function matchesTraitType(key: string, value: unknown): boolean {
  const type = TRAIT_TYPES.get(key);
  if (type === undefined) return true;
  const isText = (v: unknown) => typeof v === 'string';
  const isInt = (v: unknown) => typeof v === 'number' && Number.isInteger(v);
  const isMap = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v);
  switch (type) {
    case 'unicode':
      return isText(value);
    case 'int':
      return isInt(value);
    case 'float':
      return typeof value === 'number' && Number.isFinite(value);
    case 'bool':
      return typeof value === 'boolean';
    case 'dict':
      return isMap(value);
    case 'list-of-unicode':
      return Array.isArray(value) && value.every(isText);
    case 'list-of-int':
      return Array.isArray(value) && value.every(isInt);
    case 'list-or-dict':
      return Array.isArray(value) ? value.every(isMap) : isMap(value);
    case 'command':
      return isText(value) || (Array.isArray(value) && value.every(isText));
    case 'list-or-unicode':
      return isText(value) || Array.isArray(value);
  }
}
