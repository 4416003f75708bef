import type { TSchema } from '@sinclair/typebox';
import { ImageSchema } from './image.ts';
import { NodeGroupSchema, NodeGroupsFileSchema } from './node-group.ts';
import { ProfileSchema } from './profile.ts';
import { ProjectSettingsSchema } from './project.ts';
import { SettingsSchema } from './settings.ts';

/**
 * The schemas whose validators are compiled ahead of time (`npm run schemas` writes validators.generated.js), by
 * the name `checkSchema` takes. Keep validators.generated.d.ts in step when adding one.
 */
export const COMPILED_SCHEMAS: Record<string, TSchema> = {
  image: ImageSchema,
  profile: ProfileSchema,
  nodeGroup: NodeGroupSchema,
  nodeGroupsFile: NodeGroupsFileSchema,
  settings: SettingsSchema,
  projectSettings: ProjectSettingsSchema,
};
