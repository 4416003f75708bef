import { Type, type TSchema } from '@sinclair/typebox';
import { KEY_PATTERN, PROFILE_SLUG_PATTERN } from '../keys.ts';
import { SLUG_PATTERN } from './constants.ts';

export { SLUG_PATTERN };

/** A stable identifier: lower-case letters and digits, single dashes between them. */
export const Slug = (description: string) =>
  Type.String({ pattern: SLUG_PATTERN, maxLength: 63, description });

/**
 * A menu or choice key, kept verbatim because users' saved choices name it: letters of either case, digits, `_`,
 * `.` and `-` (src/lib/keys.ts says what is refused and why).
 */
export const Key = (description: string) => Type.String({ pattern: KEY_PATTERN, description });

/** A profile slug KubeSpawner sees, kept verbatim (src/lib/keys.ts). */
export const ProfileSlug = (description: string) =>
  Type.String({ pattern: PROFILE_SLUG_PATTERN, description });

/** A non-empty human-readable label. */
export const Label = (description: string) => Type.String({ minLength: 1, maxLength: 200, description });

/** A CPU amount: a number of cores (`2`, `0.5`) or a Kubernetes millicore string (`"500m"`). */
export const CpuQuantity = (description: string) =>
  Type.Union([Type.Number({ exclusiveMinimum: 0 }), Type.String({ minLength: 1 })], {
    description,
    'x-cms': { widget: 'number', value_type: 'float', min: 0.01, step: 0.1 },
  });

/** A memory amount: bytes as a number, or `512M`, `4G`, `4Gi`, `1.5G`. */
export const MemoryQuantity = (description: string) =>
  Type.Union([Type.Integer({ exclusiveMinimum: 0 }), Type.String({ minLength: 1 })], {
    description,
    'x-cms': { widget: 'string', pattern: ['^(\\d+(\\.\\d+)?)([KMGT]i?)?$', 'e.g. 512M, 4G, 4Gi or 1.5G'] },
  });

/** A pod size: what a user's server is guaranteed and may use at most. */
export const Size = Type.Object(
  {
    cpu_guarantee: Type.Optional(CpuQuantity('CPU cores reserved for the server, e.g. 0.5.')),
    cpu_limit: Type.Optional(CpuQuantity('CPU cores the server may use at most, e.g. 2.')),
    mem_guarantee: Type.Optional(
      MemoryQuantity('Memory reserved for the server: 512M, 4G, 4Gi or 1.5G (K, M, G, T are 1024-based).'),
    ),
    mem_limit: Type.Optional(MemoryQuantity('Memory the server may use at most: 512M, 4G, 4Gi or 1.5G.')),
    gpus: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 64, description: 'Number of GPUs attached to the server.' }),
    ),
  },
  { additionalProperties: false, description: 'CPU, memory and GPUs for one server.' },
);

/** One environment variable set in the user's server. */
export const EnvironmentVariable = Type.Object(
  {
    name: Type.String({
      pattern: '^[A-Za-z_][A-Za-z0-9_]*$',
      description: 'Variable name, e.g. JUPYTER_ENABLE_LAB.',
    }),
    value: Type.String({ description: 'Variable value (text).' }),
  },
  { additionalProperties: false },
);

/** Environment variables, as a list so that the CMS can edit them. */
export const Environment = Type.Array(EnvironmentVariable, {
  description: 'Environment variables set in the user server.',
});

/** The interface a server opens with. */
export const DefaultUrl = Type.String({
  pattern: '^/[^\\s"<>]*$',
  description:
    'Interface opened at start: /lab (JupyterLab), /tree (classic), /rstudio (RStudio) or another path.',
  examples: ['/lab', '/tree', '/rstudio'],
});

/** JupyterHub group names that may see something; empty means everyone. */
export const AllowedGroups = Type.Array(Type.String({ minLength: 1 }), {
  uniqueItems: true,
  description: 'JupyterHub groups whose members may see this; leave empty for everyone.',
});

/** KubeSpawner settings the content model has no field for, passed through as they are. */
export const Advanced = Type.Record(Type.String(), Type.Unknown(), {
  description:
    'Advanced: further kubespawner_override keys (for example working_dir or image_pull_policy). Only KubeSpawner settings are accepted.',
});

/** Decap CMS widget settings for a field (see src/lib/cms/fields.ts); ignored by validation. */
export interface CmsHint {
  widget?: string;
  [option: string]: unknown;
}

/** Attaches CMS widget settings to a schema. */
export function cms<T extends TSchema>(schema: T, hint: CmsHint): T {
  return { ...schema, 'x-cms': hint };
}

/** A relation to entries of another collection, picked by searching their names. */
export function relation(collection: 'images' | 'node_groups' | 'profiles', display: string): CmsHint {
  return {
    widget: 'relation',
    collection,
    value_field: '{{slug}}',
    search_fields: collection === 'images' ? ['display_name', 'image'] : ['display_name'],
    display_fields: [display],
    options_length: 100,
  };
}

/** Marks a schema as a named content kind with a title. */
export function kind<T extends TSchema>(id: string, title: string, schema: T): T {
  return { ...schema, $id: id, title };
}
