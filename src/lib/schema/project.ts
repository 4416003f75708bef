import { Type, type Static } from '@sinclair/typebox';
import { kind } from './common.ts';
import { DEFAULT_ADVANCED_ALLOWED_KEYS } from './constants.ts';

export { DEFAULT_ADVANCED_ALLOWED_KEYS };

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
