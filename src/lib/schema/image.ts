import { Type, type Static } from '@sinclair/typebox';
import { Label, kind } from './common.ts';

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
      }),
      description: Type.Optional(
        Type.String({
          description: 'Short text about what the image contains.',
          'x-cms': { widget: 'text' },
        }),
      ),
    },
    { additionalProperties: false },
  ),
);

/** An image as written in YAML. */
export type ImageInput = Static<typeof ImageSchema>;
