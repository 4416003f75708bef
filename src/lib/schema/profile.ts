import { Type, type Static } from '@sinclair/typebox';
import { DEFAULT_CUSTOM_IMAGE_REGEX } from './constants.ts';
import {
  Advanced,
  AllowedGroups,
  DefaultUrl,
  Environment,
  Key,
  Label,
  ProfileSlug,
  Size,
  Slug,
  cms,
  kind,
  relation,
} from './common.ts';

export { DEFAULT_CUSTOM_IMAGE_REGEX };

const imageRelation = relation('images', '{{display_name}} ({{image}})');
const nodeGroupRelation = relation('node_groups', '{{display_name}}');

const IsDefault = (what: string) =>
  Type.Optional(Type.Boolean({ description: `Pre-select this ${what}. At most one may be the default.` }));

/** Lets users type an image of their own ("Other..." in the image menu). */
export const CustomImage = Type.Object(
  {
    // Optional so that an untouched "Custom image" group in the editor is simply "off".
    enabled: Type.Optional(
      Type.Boolean({ description: 'Let users type their own image reference (off unless set).' }),
    ),
    label: Type.Optional(Label('Label of the text field, e.g. "Custom image".')),
    choice_label: Type.Optional(
      Label('Text of the menu entry that reveals the field; KubeSpawner says "Other...".'),
    ),
    validation_regex: Type.Optional(
      Type.String({
        minLength: 1,
        description: `Pattern the typed image must match (JavaScript and Python syntax, no double quotes). Default: ${DEFAULT_CUSTOM_IMAGE_REGEX}`,
      }),
    ),
    validation_message: Type.Optional(
      Type.String({ description: 'Shown in the browser when the pattern does not match.' }),
    ),
  },
  { additionalProperties: false, description: 'Let users type their own image.' },
);

/** An image offered by a profile. */
export const ProfileImage = Type.Object(
  {
    image: cms(Slug('The image offered, by its id: pick it by name.'), imageRelation),
    default: IsDefault('image'),
  },
  { additionalProperties: false },
);

/** A node group offered by a profile. */
export const ProfileNodeGroup = Type.Object(
  {
    node_group: cms(Slug('The node group offered, by its id: pick it by name.'), nodeGroupRelation),
    default: IsDefault('node group'),
  },
  { additionalProperties: false },
);

/** A named size users can pick. */
export const SizeChoice = Type.Object(
  {
    key: Slug('Stable key of this size; users\u2019 saved choices refer to it, so do not rename it.'),
    display_name: Label('Name shown in the menu, e.g. "Small: 1 CPU, 4 GB".'),
    default: IsDefault('size'),
    ...Size.properties,
  },
  { additionalProperties: false },
);

/** One entry of a general option: it may set an image, a node group, a size and more at once. */
export const Choice = Type.Object(
  {
    key: Key(
      'Stable key of this choice; users\u2019 saved choices refer to it, so do not rename it. Letters, digits, "_", "." and "-", e.g. "mem_2_gb".',
    ),
    display_name: Label('Text in the menu.'),
    default: IsDefault('choice'),
    image: Type.Optional(cms(Slug('Image id this choice starts.'), imageRelation)),
    node_group: Type.Optional(cms(Slug('Node-group id this choice runs on.'), nodeGroupRelation)),
    size: Type.Optional(Size),
    environment: Type.Optional(Environment),
    default_url: Type.Optional(DefaultUrl),
    allowed_groups: Type.Optional(AllowedGroups),
    advanced: Type.Optional(Advanced),
  },
  { additionalProperties: false },
);

/** A general menu of choices (the form the friendly fields compile to). */
export const Option = Type.Object(
  {
    key: Key(
      'Stable key of this menu; becomes profile_options.<key> and is part of users\u2019 saved choices. Letters, digits, "_", "." and "-", e.g. "resource_allocation".',
    ),
    display_name: Label('Label of the menu.'),
    choices: Type.Array(Choice, { description: 'What users can pick.' }),
    custom_image: Type.Optional(CustomImage),
  },
  { additionalProperties: false },
);

/** `content/profiles/<id>.yaml`: one entry on the spawn page. */
export const ProfileSchema = kind(
  'profile',
  'Profile',
  Type.Object(
    {
      display_name: Label('Title of the profile on the spawn page.'),
      slug: Type.Optional(
        ProfileSlug(
          'The slug KubeSpawner sees, when it cannot be the id (e.g. "GPU_large"); users\u2019 saved choices name it, so do not change it. Leave empty to use the id.',
        ),
      ),
      description: Type.Optional(
        Type.String({
          description: 'Short Markdown text under the title. HTML is not allowed and is shown as text.',
          'x-cms': { widget: 'markdown', buttons: ['bold', 'italic', 'link', 'code'], editor_components: [] },
        }),
      ),
      order: Type.Optional(Type.Integer({ description: 'Position on the spawn page; lower comes first.' })),
      default: Type.Optional(
        Type.Boolean({ description: 'Pre-select this profile. At most one profile may be the default.' }),
      ),
      images: Type.Optional(
        Type.Array(ProfileImage, { minItems: 1, description: 'Images users can pick; several make a menu.' }),
      ),
      custom_image: Type.Optional(CustomImage),
      node_groups: Type.Optional(
        Type.Array(ProfileNodeGroup, {
          minItems: 1,
          description: 'Node groups users can pick; several make a menu.',
        }),
      ),
      size: Type.Optional(Size),
      sizes: Type.Optional(
        Type.Array(SizeChoice, {
          minItems: 1,
          description: 'Named sizes users can pick (instead of one fixed size).',
        }),
      ),
      environment: Type.Optional(Environment),
      default_url: Type.Optional(DefaultUrl),
      allowed_groups: Type.Optional(AllowedGroups),
      options: Type.Optional(
        Type.Array(Option, {
          description: 'Advanced: general menus whose choices set several things at once.',
        }),
      ),
      advanced: Type.Optional(Advanced),
    },
    { additionalProperties: false },
  ),
);

/** A profile as written in YAML. */
export type ProfileInput = Static<typeof ProfileSchema>;
/** A size as written in YAML. */
export type SizeInput = Static<typeof Size>;
/** A general choice as written in YAML. */
export type ChoiceInput = Static<typeof Choice>;
/** A general option as written in YAML. */
export type OptionInput = Static<typeof Option>;
/** A custom-image setting as written in YAML. */
export type CustomImageInput = Static<typeof CustomImage>;
