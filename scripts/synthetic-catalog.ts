// Deterministic, valid, realistic content catalogues of any size, for benchmarks and scale tests.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { stringify } from 'yaml';
import type { SourceFile } from '../src/lib/catalog.ts';
import type { NodeGroupInput } from '../src/lib/schema/node-group.ts';
import type { OptionInput, ProfileInput, SizeInput } from '../src/lib/schema/profile.ts';
import type { SettingsInput } from '../src/lib/schema/settings.ts';

interface NodeGroupSpec {
  id: string;
  label: string;
  instanceType: string;
  /** Allocatable cores of one node. */
  cpu: number;
  /** Allocatable memory of one node, in GiB. */
  memoryGi: number;
  gpus?: number;
}

/** Ten node groups as a cloud cluster would have them: eight CPU types and two GPU types. */
const NODE_GROUPS: readonly NodeGroupSpec[] = [
  { id: 'cpu-2', label: 'Tiny: 2 CPU, 8 GB', instanceType: 'm5.large', cpu: 1.93, memoryGi: 7 },
  { id: 'cpu-4', label: 'Small: 4 CPU, 16 GB', instanceType: 'm5.xlarge', cpu: 3.92, memoryGi: 14 },
  {
    id: 'mem-4',
    label: 'Small, more memory: 4 CPU, 32 GB',
    instanceType: 'r5.xlarge',
    cpu: 3.92,
    memoryGi: 30,
  },
  { id: 'cpu-8', label: 'Medium: 8 CPU, 32 GB', instanceType: 'm5.2xlarge', cpu: 7.91, memoryGi: 29 },
  {
    id: 'mem-8',
    label: 'Medium, more memory: 8 CPU, 64 GB',
    instanceType: 'r5.2xlarge',
    cpu: 7.91,
    memoryGi: 61,
  },
  { id: 'cpu-16', label: 'Large: 16 CPU, 64 GB', instanceType: 'm5.4xlarge', cpu: 15.89, memoryGi: 60 },
  {
    id: 'mem-16',
    label: 'Large, more memory: 16 CPU, 128 GB',
    instanceType: 'r5.4xlarge',
    cpu: 15.89,
    memoryGi: 124,
  },
  { id: 'cpu-32', label: 'Huge: 32 CPU, 128 GB', instanceType: 'm5.8xlarge', cpu: 31.85, memoryGi: 121 },
  {
    id: 'gpu-t4',
    label: 'GPU: 4 CPU, 16 GB, 1 T4',
    instanceType: 'g4dn.xlarge',
    cpu: 3.92,
    memoryGi: 14,
    gpus: 1,
  },
  {
    id: 'gpu-a10',
    label: 'GPU: 8 CPU, 32 GB, 1 A10G',
    instanceType: 'g5.2xlarge',
    cpu: 7.91,
    memoryGi: 29,
    gpus: 1,
  },
];

const CPU_GROUPS = NODE_GROUPS.filter((g) => g.gpus === undefined);
const GPU_GROUPS = NODE_GROUPS.filter((g) => g.gpus !== undefined);

const SIZE_STEPS = [
  { key: 'small', name: 'Small', share: 0.125 },
  { key: 'medium', name: 'Medium', share: 0.25 },
  { key: 'large', name: 'Large', share: 0.5 },
  { key: 'xlarge', name: 'Extra large', share: 0.9 },
] as const;

const INTERFACES = ['/lab', '/tree', '/rstudio', undefined] as const;

/** A pattern that compiles in JavaScript (v flag) and Python alike, as the sample content uses. */
const CUSTOM_IMAGE_REGEX = '^[a-z0-9.\\-]+(/[a-z0-9._\\-]+)+:[A-Za-z0-9._\\-]+$';

/** mulberry32: a small seeded generator, so that the same arguments always give the same catalogue. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` distinct integers below `limit`, in the order drawn. */
function distinct(random: () => number, count: number, limit: number): number[] {
  const picked = new Set<number>();
  while (picked.size < Math.min(count, limit)) picked.add(Math.floor(random() * limit));
  return [...picked];
}

const imageId = (n: number) => `image-${n}`;
const profileId = (n: number) => `profile-${n}`;
const pad2 = (n: number) => String(n).padStart(2, '0');
const floorTo = (value: number, step: number) => Math.floor(value / step) * step;
const tenths = (value: number) => Math.round(value * 10) / 10;

function nodeGroup(spec: NodeGroupSpec, index: number): NodeGroupInput {
  const group: NodeGroupInput = {
    display_name: `${spec.label} (${spec.instanceType})`,
    description: spec.gpus
      ? 'GPU nodes; stop your server when idle.'
      : `General-purpose ${spec.instanceType} nodes.`,
    node_selector: {
      'node.kubernetes.io/instance-type': spec.instanceType,
      ...(index % 2 === 0 ? { 'hub.jupyter.org/node-purpose': 'user' } : {}),
    },
    capacity: {
      // Written both ways kubectl may show them: cores or millicores, Gi or Ki.
      cpu: index % 3 === 0 ? `${Math.round(spec.cpu * 1000)}m` : spec.cpu,
      memory: index % 4 === 1 ? `${spec.memoryGi * 1024 * 1024}Ki` : `${spec.memoryGi}Gi`,
    },
  };
  if (spec.gpus !== undefined) {
    group.tolerations = [
      { key: 'nvidia.com/gpu', operator: 'Equal', value: 'present', effect: 'NoSchedule' },
    ];
    group.capacity = { ...group.capacity, gpus: spec.gpus, gpu_resource: 'nvidia.com/gpu' };
  }
  return group;
}

/** A size that takes `share` of a node with `cpu` cores and `memoryGi` GiB (always fits it). */
function sizeFor(cpu: number, memoryGi: number, share: number): { size: SizeInput; label: string } {
  const cpuLimit = Math.max(0.1, floorTo(cpu * share, 0.1));
  const memLimitM = Math.max(256, floorTo(memoryGi * 1024 * share, 128));
  return {
    size: {
      cpu_guarantee: Math.max(0.1, tenths(floorTo(cpuLimit / 2, 0.1))),
      cpu_limit: tenths(cpuLimit),
      mem_guarantee: `${memLimitM / 2}M`,
      mem_limit: memLimitM % 1024 === 0 ? `${memLimitM / 1024}G` : `${memLimitM}M`,
    },
    label: `${tenths(cpuLimit)} CPU, ${tenths(memLimitM / 1024)} GB`,
  };
}

function profile(n: number, imageCount: number): ProfileInput {
  const random = seeded(0x9e3779b1 ^ Math.imul(n + 1, 2654435761));
  const gpu = n % 10 === 9;
  const p: ProfileInput = { display_name: `${gpu ? 'GPU team' : 'Team'} ${n}` };
  if (n % 3 !== 2) {
    p.description =
      n % 2 === 0
        ? `Environment for **team ${n}**. See the [guide](https://docs.example.org/teams/${n}) for help.`
        : `Shared environment ${n}.\n\nStop your server when you are done.`;
  }
  if (n % 2 === 0) p.order = n * 10;
  if (n === 0) p.default = true;

  const picked = distinct(random, 5 + (n % 6), imageCount);
  const defaultImage = Math.floor(random() * picked.length);
  p.images = picked.map((i, k) => ({ image: imageId(i), ...(k === defaultImage ? { default: true } : {}) }));
  if (n % 4 === 1) {
    p.custom_image = {
      enabled: true,
      label: 'Custom image',
      ...(n % 8 === 1
        ? {
            validation_regex: CUSTOM_IMAGE_REGEX,
            validation_message: 'Must be a public image with a tag, e.g. quay.io/org/image:2024-01',
          }
        : {}),
    };
  }

  const pool = gpu ? GPU_GROUPS : CPU_GROUPS;
  const groups = distinct(random, gpu ? 1 + (n % 2) : 1 + (n % 3), pool.length).map((i) => pool[i]!);
  const defaultGroup = Math.floor(random() * groups.length);
  p.node_groups = groups.map((g, k) => ({
    node_group: g.id,
    ...(groups.length > 1 && k === defaultGroup ? { default: true } : {}),
  }));
  // Every size must fit every node group offered, so sizes follow the smallest one.
  const cpu = Math.min(...groups.map((g) => g.cpu));
  const memoryGi = Math.min(...groups.map((g) => g.memoryGi));
  if (gpu || n % 5 === 3) {
    const { size } = sizeFor(cpu, memoryGi, gpu ? 0.9 : 0.5);
    p.size = gpu ? { ...size, gpus: 1 } : size;
  } else {
    const steps = n % 2 === 0 ? SIZE_STEPS : SIZE_STEPS.slice(0, 3);
    const defaultSize = n % steps.length;
    p.sizes = steps.map((step, k) => {
      const { size, label } = sizeFor(cpu, memoryGi, step.share);
      return {
        key: step.key,
        display_name: `${step.name}: ${label}`,
        ...(k === defaultSize ? { default: true } : {}),
        ...size,
      };
    });
  }

  if (n % 3 === 0) {
    p.environment = [
      { name: 'JUPYTER_ENABLE_LAB', value: 'yes' },
      { name: 'TEAM', value: `team-${n}` },
    ];
  }
  const defaultUrl = INTERFACES[n % INTERFACES.length];
  if (defaultUrl !== undefined) p.default_url = defaultUrl;
  if (n % 6 === 2 || gpu) p.allowed_groups = [`group-${n % 23}`, 'staff'];
  const options = generalOptions(n);
  if (options.length > 0) p.options = options;
  if (n % 9 === 5) p.advanced = { working_dir: '/home/jovyan/work' };
  return p;
}

function generalOptions(n: number): OptionInput[] {
  const options: OptionInput[] = [];
  if (n % 7 === 4) {
    options.push({
      key: 'interface',
      display_name: 'Interface',
      choices: [
        { key: 'lab', display_name: 'JupyterLab', default: true, default_url: '/lab' },
        {
          key: 'classic',
          display_name: 'Classic notebook',
          default_url: '/tree',
          environment: [{ name: 'JUPYTER_ENABLE_LAB', value: 'no' }],
        },
        { key: 'vscode', display_name: 'VS Code', default_url: '/vscode', allowed_groups: ['developers'] },
      ],
    });
  }
  if (n % 11 === 6) {
    options.push({
      key: 'pull-policy',
      display_name: 'Image updates',
      choices: [
        {
          key: 'cached',
          display_name: 'Use the cached image',
          advanced: { image_pull_policy: 'IfNotPresent' },
        },
        {
          key: 'fresh',
          display_name: 'Always pull',
          default: true,
          advanced: { image_pull_policy: 'Always' },
        },
      ],
    });
  }
  return options;
}

function image(n: number): { display_name: string; image: string; description?: string } {
  return {
    display_name: `Image ${n}`,
    image: `quay.io/org-${n % 50}/image-${n}:2024-01-${pad2((n % 28) + 1)}`,
    ...(n % 2 === 0 ? { description: `Notebook image number ${n}, built for org ${n % 50}.` } : {}),
  };
}

function settings(profiles: number): SettingsInput {
  const order: string[] = [];
  // Profiles with an odd number set no order of their own; list some of them.
  for (let n = 1; n < profiles && order.length < 20; n += 2) order.push(profileId(n));
  return { default_image: imageId(0), default_url: '/lab', profile_order: order };
}

const yamlFile = (file: string, data: unknown): SourceFile => ({ path: file, text: stringify(data) });

/**
 * A valid catalogue of `images` images and `profiles` profiles over ten node groups, as source files under
 * `content/`. Deterministic: the same arguments always give byte-identical files. Each profile offers 5–10
 * images (fewer if the catalogue has fewer), one or more node groups with a default, and either a fixed size
 * or 3–4 sizes that fit the smallest node group it offers; some add a custom image, environment variables,
 * a default URL, allowed groups, general options or advanced settings. Needs at least one image.
 */
export function syntheticCatalog(images: number, profiles: number): SourceFile[] {
  if (!Number.isInteger(images) || images < 1) throw new Error('syntheticCatalog needs at least one image');
  if (!Number.isInteger(profiles) || profiles < 0) throw new Error('profiles must be a whole number');
  const files: SourceFile[] = [yamlFile('content/settings.yaml', settings(profiles))];
  NODE_GROUPS.forEach((spec, index) =>
    files.push(yamlFile(`content/node-groups/${spec.id}.yaml`, nodeGroup(spec, index))),
  );
  for (let n = 0; n < images; n++) files.push(yamlFile(`content/images/${imageId(n)}.yaml`, image(n)));
  for (let n = 0; n < profiles; n++) {
    files.push(yamlFile(`content/profiles/${profileId(n)}.yaml`, profile(n, images)));
  }
  return files;
}

/**
 * Writes {@link syntheticCatalog} into `dir` (as `<dir>/content/...`), creating folders as needed, and returns
 * the files written. `dir` should be a fresh folder: files already there are left alone.
 */
export async function writeSyntheticProject(
  dir: string,
  images: number,
  profiles: number,
): Promise<SourceFile[]> {
  const files = syntheticCatalog(images, profiles);
  const folders = new Set(files.map((file) => path.dirname(path.join(dir, file.path))));
  for (const folder of folders) await mkdir(folder, { recursive: true });
  for (const file of files) await writeFile(path.join(dir, file.path), file.text);
  return files;
}
