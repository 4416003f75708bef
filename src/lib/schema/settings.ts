import { Type, type Static } from '@sinclair/typebox';
import { DefaultUrl, Slug, cms, kind, relation } from './common.ts';

/** `content/settings.yaml`: hub-wide settings. */
export const SettingsSchema = kind(
  'settings',
  'Settings',
  Type.Object(
    {
      default_image: Type.Optional(
        cms(
          Slug(
            'Image (id) started when the hub offers no profiles; becomes singleuser.image in the Helm values.',
          ),
          relation('images', '{{display_name}} ({{image}})'),
        ),
      ),
      default_url: Type.Optional(DefaultUrl),
      profile_order: Type.Optional(
        Type.Array(Slug('Profile id.'), {
          uniqueItems: true,
          description: 'Order of profiles on the spawn page, for profiles that set no order of their own.',
          'x-cms': { ...relation('profiles', '{{display_name}}'), multiple: true },
        }),
      ),
    },
    { additionalProperties: false },
  ),
);

/** Settings as written in YAML. */
export type SettingsInput = Static<typeof SettingsSchema>;
