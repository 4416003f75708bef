import { ImageSchema } from './image.ts';
import { NodeGroupSchema, NodeGroupsFileSchema } from './node-group.ts';
import { ProfileSchema } from './profile.ts';
import { SettingsSchema } from './settings.ts';

export * from './common.ts';
export * from './image.ts';
export * from './node-group.ts';
export * from './profile.ts';
export * from './settings.ts';

/** The content kinds, keyed by the folder (or file) they live in. */
export const CONTENT_KINDS = {
  images: { folder: 'images', schema: ImageSchema },
  profiles: { folder: 'profiles', schema: ProfileSchema },
  nodeGroups: { folder: 'node-groups', schema: NodeGroupSchema },
} as const;

/** Every published JSON Schema, by file name under public/schemas/. */
export const PUBLISHED_SCHEMAS = {
  'image.json': ImageSchema,
  'profile.json': ProfileSchema,
  'node-group.json': NodeGroupSchema,
  'settings.json': SettingsSchema,
  'node-groups-file.json': NodeGroupsFileSchema,
} as const;
