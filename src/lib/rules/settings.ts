import { error, warning } from '../issues.ts';
import { locate, type Rule } from './context.ts';

/** Settings refer to images and profiles that exist. */
export const checkSettings: Rule = ({ catalog, issues }) => {
  const settings = catalog.settings;
  if (!settings) return;
  const { default_image: image, profile_order: order = [] } = settings.data;
  if (image !== undefined && !catalog.ids.images.has(image)) {
    issues.push(
      error(
        'UnknownImage',
        locate(settings, ['default_image']),
        `The default image "${image}" does not exist: content/images/ has no ${image}.yaml.`,
        'pick an existing image id, or add the image.',
      ),
    );
  }
  order.forEach((id, index) => {
    if (!catalog.ids.profiles.has(id)) {
      issues.push(
        warning(
          'UnknownProfile',
          locate(settings, ['profile_order', index]),
          `profile_order lists "${id}", but content/profiles/ has no ${id}.yaml, so it has no effect.`,
          'remove it from profile_order.',
        ),
      );
    }
  });
};
