import { Type, type Static } from '@sinclair/typebox';
import { kind } from './common.ts';

const GitBackend = Type.Object(
  {
    name: Type.Union([Type.Literal('github'), Type.Literal('gitlab')], {
      description: 'Where the content repository lives.',
    }),
    repo: Type.String({
      pattern: '^[^/\\s]+(/[^/\\s]+)+$',
      description: 'Repository path, e.g. my-org/hub-config.',
    }),
    branch: Type.Optional(
      Type.String({ minLength: 1, description: 'Branch the hub is built from (default: main).' }),
    ),
    base_url: Type.Optional(
      Type.String({
        pattern: '^https://',
        description:
          'OAuth server that signs hub admins in to GitHub (Decap external OAuth client), e.g. https://oauth.example.org.',
      }),
    ),
    auth_endpoint: Type.Optional(
      Type.String({ description: 'Path of the OAuth endpoint on base_url (default: auth).' }),
    ),
    api_root: Type.Optional(
      Type.String({
        pattern: '^https://',
        description: 'API URL for GitHub Enterprise or self-hosted GitLab.',
      }),
    ),
    app_id: Type.Optional(
      Type.String({ description: 'GitLab: the OAuth application id (PKCE, no server needed).' }),
    ),
    auth_type: Type.Optional(Type.Literal('pkce', { description: 'GitLab: set to pkce with app_id.' })),
  },
  { additionalProperties: false },
);

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

/** `configurator.yaml` at the project root: how this deployment runs. Written by infrastructure admins. */
export const ProjectSettingsSchema = kind(
  'project-settings',
  'Project settings',
  Type.Object(
    {
      cms: Type.Optional(
        Type.Object(
          {
            backend: Type.Optional(GitBackend),
            publish_mode: Type.Optional(
              Type.Union([Type.Literal('simple'), Type.Literal('editorial_workflow')], {
                description:
                  'editorial_workflow: every change is a draft, reviewed, then published (a pull request in static mode).',
              }),
            ),
            site_url: Type.Optional(
              Type.String({ description: 'Public URL of the built site (links from the CMS).' }),
            ),
          },
          {
            additionalProperties: false,
            description:
              'The /admin editor. Without a backend, it saves through this server (sidecar and npm start).',
          },
        ),
      ),
      advanced: Type.Optional(
        Type.Object(
          {
            allowed_keys: Type.Optional(
              Type.Array(Type.String({ pattern: '^[a-z][a-z0-9_]*$' }), {
                uniqueItems: true,
                description: `KubeSpawner settings hub admins may set in a profile's advanced section. Replaces the default list: ${DEFAULT_ADVANCED_ALLOWED_KEYS.join(', ')}.`,
              }),
            ),
          },
          {
            additionalProperties: false,
            description:
              "What hub admins may put in a profile's advanced section (kubespawner_override keys the content model has no field for).",
          },
        ),
      ),
    },
    { additionalProperties: false },
  ),
);

/** Project settings as written. */
export type ProjectSettings = Static<typeof ProjectSettingsSchema>;
