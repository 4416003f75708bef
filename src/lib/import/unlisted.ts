import type { CustomImageInput } from '../schema/profile.ts';
import { reportIgnored, warn, type ImportContext } from './context.ts';
import { isDeepEqual } from './equal.ts';
import { isRecord } from './fields.ts';
import { isTruthy } from './slugs.ts';
import type { SourcePath } from './source.ts';

/*
 * The "Other..." entry of a menu (`unlisted_choice`): content's custom image, which sets the image to the typed
 * text and nothing else.
 */

const UNLISTED_KEYS = new Set([
  'enabled',
  'display_name',
  'display_name_in_choices',
  'validation_regex',
  'validation_message',
  'kubespawner_override',
]);

/** `unlisted_choice` → a custom image, when its override sets the image from the typed text and nothing else. */
export function importUnlisted(
  ctx: ImportContext,
  value: unknown,
  path: SourcePath,
  optionKey: string,
): CustomImageInput | undefined {
  if (!isRecord(value) || !isTruthy(value['enabled'])) return undefined;
  for (const extra of Object.keys(value).filter((k) => !UNLISTED_KEYS.has(k))) {
    reportIgnored(ctx, [...path, extra], extra, `the "Other..." entry of the menu "${optionKey}"`);
  }
  const override = isRecord(value['kubespawner_override']) ? value['kubespawner_override'] : {};
  if (override['image'] !== '{value}') {
    warn(
      ctx,
      'ImportNotExpressible',
      [...path, 'kubespawner_override'],
      `The "Other..." entry of the menu "${optionKey}" does not set the image to exactly the typed text ('{value}'); content's custom image does only that. The entry was left out.`,
      'add a menu of fixed choices instead, or keep this part of the list outside the configurator.',
    );
    return undefined;
  }
  // Other keys were moved to the profile before this, or reported (see hoistUnlistedSettings).
  const custom: CustomImageInput = { enabled: true };
  const text = (key: string) =>
    typeof value[key] === 'string' && value[key] !== '' ? value[key] : undefined;
  const labelText = text('display_name');
  if (labelText !== undefined) custom.label = labelText;
  else
    warn(
      ctx,
      'ImportCustomImageDefault',
      path,
      `The "Other..." entry of the menu "${optionKey}" has no display_name; content labels the text field "Custom image".`,
    );
  const choiceLabel = text('display_name_in_choices');
  if (choiceLabel !== undefined) custom.choice_label = choiceLabel;
  const regex = text('validation_regex');
  if (regex !== undefined) custom.validation_regex = regex;
  else
    warn(
      ctx,
      'ImportCustomImageDefault',
      path,
      `The "Other..." entry of the menu "${optionKey}" accepted any text; content checks typed images against its safe default pattern (registry/repository:tag).`,
      'set validation_regex on the custom image if other references must be accepted.',
    );
  const message = text('validation_message');
  if (message !== undefined) custom.validation_message = message;
  else if (regex !== undefined)
    warn(
      ctx,
      'ImportCustomImageDefault',
      path,
      `The "Other..." entry of the menu "${optionKey}" has no validation_message; content shows its default message.`,
    );
  return custom;
}

/**
 * Content's custom image sets only the image. A further setting of an "Other..." entry (e.g. image_pull_policy) is
 * moved to the profile when that changes nothing: every listed choice of the same menu sets the same value, no
 * other menu sets the key, and the profile sets the same value or none. Otherwise it is reported and left out.
 */
export function hoistUnlistedSettings(
  ctx: ImportContext,
  p: Record<string, unknown>,
  path: SourcePath,
  id: string,
): void {
  const options = isRecord(p['profile_options']) ? p['profile_options'] : {};
  for (const [key, option] of Object.entries(options)) {
    if (!isRecord(option) || !isRecord(option['unlisted_choice'])) continue;
    const unlisted = option['unlisted_choice'];
    const override = unlisted['kubespawner_override'];
    if (!isTruthy(unlisted['enabled']) || !isRecord(override) || override['image'] !== '{value}') continue;
    const choices = Object.values(isRecord(option['choices']) ? option['choices'] : {});
    for (const setting of Object.keys(override).filter((k) => k !== 'image')) {
      const at: SourcePath = [
        ...path,
        'profile_options',
        key,
        'unlisted_choice',
        'kubespawner_override',
        setting,
      ];
      const value = override[setting];
      delete override[setting];
      const base = isRecord(p['kubespawner_override']) ? p['kubespawner_override'] : undefined;
      const elsewhere = Object.entries(options).some(
        ([other, o]) =>
          other !== key &&
          isRecord(o) &&
          [...Object.values(isRecord(o['choices']) ? o['choices'] : {}), o['unlisted_choice']].some(
            (c) => isRecord(c) && isRecord(c['kubespawner_override']) && setting in c['kubespawner_override'],
          ),
      );
      const movable =
        !containsText(value, '{value}') &&
        !elsewhere &&
        (base === undefined || !(setting in base) || isDeepEqual(base[setting], value)) &&
        choices.every(
          (c) =>
            isRecord(c) &&
            isRecord(c['kubespawner_override']) &&
            isDeepEqual(c['kubespawner_override'][setting], value),
        );
      if (movable) {
        p['kubespawner_override'] = { ...base, [setting]: value };
        warn(
          ctx,
          'ImportCustomImageSettingMoved',
          at,
          `The "Other..." entry of the menu "${key}" (profile "${id}") sets ${setting} besides the image, which content's custom image cannot; every choice of the menu sets the same and nothing else sets it, so it moved to the profile and every server still gets it.`,
        );
      } else {
        warn(
          ctx,
          'ImportNotExpressible',
          at,
          `The "Other..." entry of the menu "${key}" (profile "${id}") sets ${setting} besides the image; content's custom image sets only the image, and moving it to the profile would change other choices. It was left out.`,
          'set it on the profile by hand if every server of this profile may have it.',
        );
      }
    }
  }
}

function containsText(value: unknown, text: string): boolean {
  if (typeof value === 'string') return value.includes(text);
  if (Array.isArray(value)) return value.some((v) => containsText(v, text));
  if (isRecord(value))
    return Object.entries(value).some(([k, v]) => k.includes(text) || containsText(v, text));
  return false;
}
