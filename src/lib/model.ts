import type { Memory } from './quantities.ts';
import type { NodeGroupInput } from './schema/node-group.ts';

/** A field path inside a content file, e.g. ['sizes', 1, 'mem_limit']. */
export type FieldPath = (string | number)[];

/** A size with its amounts parsed; a field is undefined when not set (or not parseable). */
export interface Size {
  cpu_guarantee?: number;
  cpu_limit?: number;
  mem_guarantee?: Memory;
  mem_limit?: Memory;
  gpus?: number;
}

/** What one profile or one choice sets on the spawner, with references resolved. */
export interface Settings {
  /** Image id and its reference, as the content names it. */
  image?: { id: string; reference: string };
  nodeGroup?: { id: string; group: NodeGroupInput };
  size?: Size;
  /** Where each size field was written, for pointing issues at it. */
  sizeAt?: FieldPath;
  environment: [string, string][];
  defaultUrl?: string;
  advanced: Record<string, unknown>;
  allowedGroups: string[];
}

/** A choice in a menu, compiled from a friendly field or written in the general form. */
export interface ResolvedChoice extends Settings {
  key: string;
  displayName: string;
  isDefault: boolean;
  /** Path of the choice in its profile file. */
  at: FieldPath;
}

/** A custom ("Other...") image option. */
export interface ResolvedCustomImage {
  label: string;
  choiceLabel: string;
  validationRegex: string;
  validationMessage: string;
  at: FieldPath;
}

/** A menu of a profile: `profile_options.<key>`. */
export interface ResolvedOption {
  key: string;
  displayName: string;
  choices: ResolvedChoice[];
  customImage?: ResolvedCustomImage;
  at: FieldPath;
}

/** A profile in the general form: base settings, then menus in order. */
export interface ResolvedProfile {
  /** The file name, which is also the slug unless the profile sets `slug`. */
  id: string;
  /** The slug KubeSpawner sees and users' saved choices name: `slug` when set, else the id. */
  slug: string;
  file: string;
  displayName: string;
  /** Markdown as written. */
  description?: string;
  order?: number;
  isDefault: boolean;
  allowedGroups: string[];
  base: Settings;
  options: ResolvedOption[];
}

/** The whole catalogue, resolved and sorted as the spawn page shows it. */
export interface ResolvedCatalog {
  profiles: ResolvedProfile[];
  defaultImage?: string;
  defaultUrl?: string;
  /** Image descriptions and node-group descriptions, for the preview. */
  imageInfo: Record<string, { displayName: string; reference: string; description?: string }>;
  nodeGroupInfo: Record<string, NodeGroupInput>;
}
