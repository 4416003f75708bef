import { CONTENT_FOLDERS, SETTINGS_FILE } from '../catalog.ts';
import { ImageSchema } from '../schema/image.ts';
import { NodeGroupSchema } from '../schema/node-group.ts';
import { ProfileSchema } from '../schema/profile.ts';
import type { ProjectSettings } from '../schema/project.ts';
import { SettingsSchema } from '../schema/settings.ts';
import { fieldsFromSchema, labelOf, type DecapField } from './fields.ts';

/** The custom YAML format the admin page registers (stable key order, empty values pruned). */
export const CMS_FORMAT = 'z2jh-yaml';
/** The widget that shows an entry's id: editable for a new entry, fixed afterwards. */
export const ID_WIDGET = 'z2jh-id';
/** The widget that shows a value without letting anyone edit it (node groups). */
export const READONLY_WIDGET = 'z2jh-readonly';
/** The image reference field with the registry's tags beside it (named in the image schema's `x-cms`). */
export const IMAGE_WIDGET = 'z2jh-image';
/** The CMS-only field holding a new entry's id; it becomes the file name and is never written into the file. */
export const ID_FIELD = 'id';
/** The CMS-only field of a profile that asks for sizes cut from node capacity on save; never written either. */
export const GENERATE_SIZES_FIELD = 'generate_sizes';
/** The widget of that field: pick node groups (and a floor), see the sizes that will be written. */
export const SIZE_GENERATOR_WIDGET = 'z2jh-size-generator';
/** Fields that exist only in the editor. */
export const EDITOR_ONLY_FIELDS: readonly string[] = [ID_FIELD, GENERATE_SIZES_FIELD];

/** Where the content lives and how the admin page reaches its back end. */
export interface CmsConfigOptions {
  /** The site's base path, e.g. `/` or `/services/configurator/`. */
  base: string;
  contentRoot?: string;
  project?: ProjectSettings;
}

/** A Decap CMS configuration object (what src/admin/cms.ts starts Decap with). */
export type DecapConfig = Record<string, unknown> & { collections: Record<string, unknown>[] };

/** Builds the whole Decap configuration from the content schemas and the project settings. */
export function buildCmsConfig({
  base,
  contentRoot = 'content',
  project = {},
}: CmsConfigOptions): DecapConfig {
  const root = base.endsWith('/') ? base : `${base}/`;
  const cms = project.cms ?? {};
  const backend = cms.backend
    ? { branch: 'main', ...cms.backend }
    : { name: 'proxy', proxy_url: `${root}api/v1`, branch: 'main' };
  const folder = (kind: keyof typeof CONTENT_FOLDERS) => `${contentRoot}/${CONTENT_FOLDERS[kind]}`;
  const idField: DecapField = {
    name: ID_FIELD,
    label: 'Id',
    widget: ID_WIDGET,
    required: false,
    hint: 'Stable id, the file name; left empty, it is taken from the display name. Users\u2019 saved choices refer to it, so it cannot be changed once saved.',
  };
  const folderCollection = (
    kind: 'images' | 'profiles',
    label: string,
    summary: string,
    schema: unknown,
  ) => ({
    name: kind,
    label,
    label_singular: label.replace(/s$/, ''),
    folder: folder(kind),
    extension: 'yaml',
    format: CMS_FORMAT,
    create: true,
    delete: true,
    identifier_field: 'display_name',
    slug: `{{${ID_FIELD}}}`,
    summary,
    fields: [idField, ...fieldsFromSchema(schema)],
  });
  return {
    load_config_file: false,
    backend,
    ...(cms.publish_mode ? { publish_mode: cms.publish_mode } : {}),
    ...(cms.site_url ? { site_url: cms.site_url } : {}),
    media_folder: `${contentRoot}/media`,
    // There are no deploy previews to check: the spawn-page preview is in the editor itself.
    show_preview_links: false,
    slug: { encoding: 'ascii', clean_accents: true, sanitize_replacement: '-' },
    collections: [
      folderCollection('images', 'Images', '{{display_name}} \u2014 {{image}}', ImageSchema),
      {
        ...folderCollection('profiles', 'Profiles', '{{display_name}}', ProfileSchema),
        fields: [
          idField,
          ...fieldsFromSchema(ProfileSchema),
          {
            name: GENERATE_SIZES_FIELD,
            label: 'Sizes from node capacity',
            widget: SIZE_GENERATOR_WIDGET,
            required: false,
            hint: 'Pick node groups to cut sizes from their capacity: the whole node, then halves down to a floor. On save they replace this profile\u2019s sizes.',
          },
        ],
      },
      {
        name: 'node_groups',
        label: 'Node groups (read-only)',
        label_singular: 'Node group',
        description:
          'What the cluster has, supplied by the infrastructure admins. Pick them in profiles; they cannot be edited here.',
        folder: folder('nodeGroups'),
        extension: 'yaml',
        format: CMS_FORMAT,
        create: false,
        delete: false,
        publish: false,
        identifier_field: 'display_name',
        summary: '{{display_name}}',
        fields: Object.keys((NodeGroupSchema as { properties: Record<string, unknown> }).properties).map(
          (name) => ({
            name,
            label: labelOf(name),
            widget: READONLY_WIDGET,
            required: false,
          }),
        ),
      },
      {
        name: 'settings',
        label: 'Settings',
        delete: false,
        files: [
          {
            name: 'settings',
            label: 'Hub settings',
            file: `${contentRoot}/${SETTINGS_FILE}`,
            format: CMS_FORMAT,
            fields: fieldsFromSchema(SettingsSchema),
          },
        ],
      },
    ],
  };
}
