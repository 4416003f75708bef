/**
 * Configuration traits KubeSpawner 7.1 accepts in a `kubespawner_override`: its own 82 `config=True` traits
 * (kubespawner/spawner.py at 4161d54) and those inherited from JupyterHub's Spawner. A key outside this list is
 * silently ignored by KubeSpawner (scalar value) or crashes the spawn (dict value), see research/kubespawner.md §2.1.
 */
export const KUBESPAWNER_TRAITS: ReadonlySet<string> = new Set(
  (
    'additional_profile_form_template_paths after_pod_created_hook allow_privilege_escalation ' +
    'automount_service_account_token cmd common_labels component_label container_security_context ' +
    'delete_grace_period delete_pvc delete_stopped_pods dns_name_template enable_user_namespaces events_enabled ' +
    'extra_annotations extra_container_config extra_containers extra_labels extra_pod_config ' +
    'extra_resource_guarantees extra_resource_limits fs_gid get_pod_url gid handle_legacy_names hub_connect_ip ' +
    'hub_connect_port image image_pull_policy image_pull_secrets init_containers ip k8s_api_host ' +
    'k8s_api_request_retry_timeout k8s_api_request_timeout k8s_api_ssl_ca_cert k8s_api_threadpool_workers ' +
    'k8s_api_verify_ssl lifecycle_hooks modify_pod_hook namespace node_affinity_preferred node_affinity_required ' +
    'node_selector pod_affinity_preferred pod_affinity_required pod_anti_affinity_preferred ' +
    'pod_anti_affinity_required pod_connect_ip pod_name_template pod_security_context priority_class_name ' +
    'privileged profile_form_template profile_list pvc_name_template remember_pvc_name scheduler_name ' +
    'secret_mount_path secret_name_template service_account services_enabled slow_spawn_message ' +
    'slow_spawn_message_frequency slow_spawn_message_threshold slug_scheme storage_access_modes storage_capacity ' +
    'storage_class storage_extra_annotations storage_extra_labels storage_pvc_ensure storage_selector ' +
    'supplemental_gids tolerations uid user_namespace_annotations user_namespace_labels user_namespace_template ' +
    'volume_mounts volumes working_dir ' +
    // JupyterHub Spawner (3.0) traits
    'args auth_state_hook consecutive_failure_limit cpu_guarantee cpu_limit debug default_url disable_user_config ' +
    'env_keep environment http_timeout mem_guarantee mem_limit notebook_dir oauth_client_allowed_scopes ' +
    'oauth_roles options_form options_from_form poll_interval port post_stop_hook pre_spawn_hook ssl_alt_names ' +
    'ssl_alt_names_include_local start_timeout'
  ).split(/\s+/),
);

/** Traits that make no sense per profile (hub-wide, hooks, callables, the profile list itself). */
export const NOT_PER_PROFILE: ReadonlySet<string> = new Set([
  'additional_profile_form_template_paths',
  'after_pod_created_hook',
  'auth_state_hook',
  'get_pod_url',
  'modify_pod_hook',
  'options_form',
  'options_from_form',
  'post_stop_hook',
  'pre_spawn_hook',
  'profile_form_template',
  'profile_list',
  'k8s_api_host',
  'k8s_api_request_retry_timeout',
  'k8s_api_request_timeout',
  'k8s_api_ssl_ca_cert',
  'k8s_api_threadpool_workers',
  'k8s_api_verify_ssl',
  'handle_legacy_names',
  'slug_scheme',
]);

/** Keys the content model writes itself; `advanced` may not set them (use the field instead). */
export const MODELLED_KEYS: Readonly<Record<string, string>> = {
  image: 'images (or an image on the choice)',
  cpu_guarantee: 'size / sizes',
  cpu_limit: 'size / sizes',
  mem_guarantee: 'size / sizes',
  mem_limit: 'size / sizes',
  node_selector: 'node_groups (or node_group on the choice)',
  tolerations: 'node_groups (tolerations come from the node group)',
  environment: 'environment',
  default_url: 'default_url',
};
