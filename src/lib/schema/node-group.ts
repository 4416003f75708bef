import { Type, type Static } from '@sinclair/typebox';
import { Label, Slug, CpuQuantity, kind } from './common.ts';

/** A Kubernetes toleration, as in a pod spec. */
export const Toleration = Type.Object(
  {
    key: Type.Optional(Type.String()),
    operator: Type.Optional(Type.Union([Type.Literal('Equal'), Type.Literal('Exists')])),
    value: Type.Optional(Type.String()),
    effect: Type.Optional(
      Type.Union([Type.Literal('NoSchedule'), Type.Literal('PreferNoSchedule'), Type.Literal('NoExecute')]),
    ),
    tolerationSeconds: Type.Optional(Type.Integer()),
  },
  { additionalProperties: false },
);

/** What one node of the group can give to pods (its allocatable resources). */
export const Capacity = Type.Object(
  {
    cpu: Type.Optional(CpuQuantity('Allocatable CPU cores of one node, e.g. 3.92 or "3920m".')),
    memory: Type.Optional(
      Type.Union([Type.Integer({ exclusiveMinimum: 0 }), Type.String({ minLength: 1 })], {
        description: 'Allocatable memory of one node as a Kubernetes quantity, e.g. "15Gi" or "31760868Ki".',
      }),
    ),
    gpus: Type.Optional(Type.Integer({ minimum: 0, description: 'GPUs on one node.' })),
    gpu_resource: Type.Optional(
      Type.String({
        pattern: '^[a-z0-9.-]+/[a-z0-9.-]+$',
        description: 'Extended resource name of the GPUs, e.g. nvidia.com/gpu.',
      }),
    ),
  },
  { additionalProperties: false, description: 'Allocatable resources of one node.' },
);

const nodeGroupFields = {
  display_name: Label('Name shown to users, e.g. "4 CPU, 32 GB (r5.xlarge)".'),
  description: Type.Optional(Type.String({ description: 'What this node type is for.' })),
  node_selector: Type.Record(Type.String({ minLength: 1 }), Type.String(), {
    minProperties: 1,
    description:
      'Kubernetes node labels that pick this node group, e.g. node.kubernetes.io/instance-type: r5.xlarge.',
  }),
  tolerations: Type.Optional(
    Type.Array(Toleration, { description: 'Tolerations the pods need to run on these nodes (taints).' }),
  ),
  capacity: Type.Optional(Capacity),
};

/** `content/node-groups/<id>.yaml`: a kind of node the cluster has. Written by infrastructure admins only. */
export const NodeGroupSchema = kind(
  'node-group',
  'Node group',
  Type.Object(nodeGroupFields, { additionalProperties: false }),
);

/** The infrastructure admins' node-groups file: `[{"slug", "display_name", "node_selector", ...}]`. */
export const NodeGroupsFileSchema = kind(
  'node-groups-file',
  'Node groups file',
  Type.Array(
    Type.Object(
      {
        slug: Slug('Stable id of the node group; becomes content/node-groups/<slug>.yaml.'),
        ...nodeGroupFields,
      },
      { additionalProperties: false },
    ),
  ),
);

/** A node group as written in YAML. */
export type NodeGroupInput = Static<typeof NodeGroupSchema>;
/** One item of the infrastructure admins' file. */
export type NodeGroupsFileItem = Static<typeof NodeGroupsFileSchema>[number];
