import { Type, type Static } from '@sinclair/typebox';
import { Label, kind } from './common.ts';

/**
 * Which newer tags `outdated`, `bump`, the sidecar's periodic check and the editor propose for an image. By
 * default every newer tag of the same scheme as the tag in use (dates, versions, numbers); this turns it off or
 * narrows it.
 */
export const ImageUpdates = Type.Object(
  {
    enabled: Type.Optional(
      Type.Boolean({
        description:
          'Propose newer tags for this image (default true). Set false for an image that must stay as it is.',
      }),
    ),
    tags: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 200,
        description:
          'Only tags matching this regular expression count as newer, e.g. ^4\\.3\\. to stay on 4.3.x, or ^cuda12- for CUDA 12 builds.',
      }),
    ),
  },
  {
    additionalProperties: false,
    description:
      'Newer tags: leave empty to be offered every newer tag of the same kind (date, version, number); turn off or narrow here.',
  },
);

/** `content/images/<id>.yaml`: one container image users can pick. */
export const ImageSchema = kind(
  'image',
  'Image',
  Type.Object(
    {
      display_name: Label('Name shown to users, e.g. "Python (SciPy)".'),
      image: Type.String({
        minLength: 1,
        maxLength: 512,
        description:
          'Full image reference: registry/repository:tag or registry/repository@sha256:digest, e.g. quay.io/jupyter/scipy-notebook:2024-03-18.',
        // The editor shows the registry's tags beside the field (src/admin/image-tags.ts).
        'x-cms': { widget: 'z2jh-image' },
      }),
      description: Type.Optional(
        Type.String({
          description: 'Short text about what the image contains.',
          'x-cms': { widget: 'text' },
        }),
      ),
      updates: Type.Optional(ImageUpdates),
    },
    { additionalProperties: false },
  ),
);

/** An image as written in YAML. */
export type ImageInput = Static<typeof ImageSchema>;
