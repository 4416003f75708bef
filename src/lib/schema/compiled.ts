import type { TSchema } from '@sinclair/typebox';
import { ImageSchema } from './image.ts';
import { NodeGroupSchema, NodeGroupsFileSchema } from './node-group.ts';
import { ProfileSchema } from './profile.ts';
import { ProjectSettingsSchema } from './project.ts';
import { SettingsSchema } from './settings.ts';

/**
 * The schemas whose validators are compiled ahead of time (`npm run schemas` writes
 * validators.generated.js), by export name. Compiling them with ajv at run time took most of a CLI command's
 * start-up.
 */
export const COMPILED_SCHEMAS: Record<string, TSchema> = {
  image: ImageSchema,
  profile: ProfileSchema,
  nodeGroup: NodeGroupSchema,
  nodeGroupsFile: NodeGroupsFileSchema,
  settings: SettingsSchema,
  projectSettings: ProjectSettingsSchema,
};

/**
 * A short fingerprint of a schema's JSON (FNV-1a, 32 bits): a generated validator is used only while its
 * schema is unchanged, so an edited schema is never checked by stale code (a test also fails until
 * `npm run schemas` is run).
 */
export function fingerprintSchema(schema: TSchema): string {
  const text = JSON.stringify(schema);
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, '0');
}
