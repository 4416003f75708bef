import { describeTraitType, matchesTraitType } from '../kubespawner-trait-types.ts';
import { error, warning } from '../issues.ts';
import { looksLikeHtml } from '../html-text.ts';
import { KUBESPAWNER_TRAITS, MODELLED_KEYS, NOT_PER_PROFILE } from '../kubespawner-keys.ts';
import type { FieldPath } from '../model.ts';
import { DEFAULT_ADVANCED_ALLOWED_KEYS } from '../schema/constants.ts';
import { locate, type Rule, type RuleContext } from './context.ts';

const RESERVED_CHOICE_KEY = 'unlisted-choice';

/** Defaults: at most one default profile, and at most one default per menu. */
export const checkDefaults: Rule = ({ catalog, resolved, issues, profileByFile }) => {
  const defaults = catalog.profiles.filter((e) => e.data.default === true);
  for (const extra of defaults.slice(1)) {
    issues.push(
      error(
        'MultipleDefaultProfiles',
        locate(extra, ['default']),
        `Profiles "${defaults[0]?.id}" and "${extra.id}" are both marked as the default; KubeSpawner would pre-select one in the browser and start the other.`,
        `keep default: true on one profile only.`,
      ),
    );
  }
  for (const profile of resolved.profiles) {
    const entry = profileByFile.get(profile.file);
    if (!entry) continue;
    for (const option of profile.options) {
      const marked = option.choices.filter((c) => c.isDefault);
      for (const extra of marked.slice(1)) {
        issues.push(
          error(
            'MultipleDefaults',
            locate(entry, [...extra.at, 'default']),
            `Profile "${profile.id}" marks both "${marked[0]?.key}" and "${extra.key}" as the default ${menuName(option.key)}.`,
            'keep default: true on one entry only.',
          ),
        );
      }
    }
  }
};

/**
 * Profile slugs are unique, menu keys and choice keys are unique, never the reserved sentinel, and menus are not
 * empty. (What a single key may look like is the schema's business: src/lib/keys.ts.)
 */
export const checkKeys: Rule = ({ resolved, issues, profileByFile }) => {
  const slugs = new Map<string, string>();
  for (const profile of resolved.profiles) {
    const entry = profileByFile.get(profile.file);
    if (!entry) continue;
    const first = slugs.get(profile.slug);
    if (first !== undefined) {
      issues.push(
        error(
          'DuplicateSlug',
          locate(entry, entry.data.slug === undefined ? [] : ['slug']),
          `Profiles "${first}" and "${profile.id}" both have the slug "${profile.slug}"; KubeSpawner would always start the first of them.`,
          "set another `slug` on one of them (a profile without one uses its id); users' saved choices name the slug, so change the newer one.",
        ),
      );
    } else slugs.set(profile.slug, profile.id);
    const entryData = entry.data;
    if (entryData.size && entryData.sizes) {
      issues.push(
        error(
          'ConflictingSizes',
          locate(entry, ['sizes']),
          `Profile "${profile.id}" has both a fixed size and a list of sizes.`,
          'keep "size" for one fixed size, or "sizes" for a menu of sizes, not both.',
        ),
      );
    }
    const optionKeys = new Set<string>();
    for (const option of profile.options) {
      if (optionKeys.has(option.key)) {
        issues.push(
          error(
            'DuplicateOptionKey',
            locate(entry, [...option.at, 'key']),
            `Profile "${profile.id}" has two menus with the key "${option.key}" (menus from images, node_groups and sizes use "image", "node" and "size").`,
            'give the menu another key.',
          ),
        );
      }
      optionKeys.add(option.key);
      // Keys written by hand (sizes, general options) point at their `key` field; image and node-group menus take
      // their keys from ids, whose duplicates the reference rule reports already.
      const choiceKeys = new Set<string>();
      for (const choice of option.choices) {
        const at = () =>
          locate(entry, [
            ...choice.at,
            ...(option.at[0] === 'options' || option.at[0] === 'sizes' ? ['key'] : []),
          ]);
        if (choice.key === RESERVED_CHOICE_KEY) {
          issues.push(
            error(
              'ReservedKey',
              at(),
              `"${RESERVED_CHOICE_KEY}" is reserved by KubeSpawner for the "Other..." entry and cannot be a key.`,
              'pick another key.',
            ),
          );
        }
        if (choiceKeys.has(choice.key) && option.at[0] !== 'images' && option.at[0] !== 'node_groups') {
          issues.push(
            error(
              'DuplicateChoiceKey',
              at(),
              `Profile "${profile.id}" has two entries with the key "${choice.key}" in the menu "${option.key}".`,
              'keys must be unique within a menu; give one of them another key.',
            ),
          );
        }
        choiceKeys.add(choice.key);
      }
      if (option.choices.length === 0 && !option.customImage) {
        issues.push(
          error(
            'EmptyMenu',
            locate(entry, option.at),
            `The menu "${option.key}" of profile "${profile.id}" has no choices, so KubeSpawner cannot pick a default.`,
            'add at least one choice.',
          ),
        );
      }
    }
  }
};

/** What the infrastructure admins let `advanced` set (configurator.yaml), lent to checkProfileFields. */
export interface AdvancedPolicy {
  advancedAllowedKeys?: readonly string[];
}

/**
 * Environment variables are set once, `advanced` keys are real KubeSpawner settings that the infrastructure admins
 * allow, descriptions hold no HTML.
 */
export const checkProfileFields = ({
  catalog,
  issues,
  advancedAllowedKeys = DEFAULT_ADVANCED_ALLOWED_KEYS,
}: RuleContext & AdvancedPolicy): void => {
  const allowed = new Set(advancedAllowedKeys);
  for (const entry of catalog.profiles) {
    const p = entry.data;
    const places: { env?: { name: string }[]; advanced?: Record<string, unknown>; at: FieldPath }[] = [
      {
        ...(p.environment ? { env: p.environment } : {}),
        ...(p.advanced ? { advanced: p.advanced } : {}),
        at: [],
      },
      ...(p.options ?? []).flatMap((option, o) =>
        option.choices.map((choice, c) => ({
          ...(choice.environment ? { env: choice.environment } : {}),
          ...(choice.advanced ? { advanced: choice.advanced } : {}),
          at: ['options', o, 'choices', c] as FieldPath,
        })),
      ),
    ];
    for (const place of places) {
      const names = new Set<string>();
      (place.env ?? []).forEach((variable, index) => {
        if (names.has(variable.name)) {
          issues.push(
            error(
              'DuplicateEnvironment',
              locate(entry, [...place.at, 'environment', index, 'name']),
              `The environment variable ${variable.name} is set twice in profile "${entry.id}".`,
              'remove one of the two.',
            ),
          );
        }
        names.add(variable.name);
      });
      for (const [key, value] of Object.entries(place.advanced ?? {})) {
        const at = locate(entry, [...place.at, 'advanced', key]);
        if (!KUBESPAWNER_TRAITS.has(key) || NOT_PER_PROFILE.has(key)) {
          issues.push(
            error(
              'UnknownOverrideKey',
              at,
              `"${key}" is not a KubeSpawner setting that can be changed per profile; KubeSpawner would ignore it or fail at spawn.`,
              'check the spelling against the KubeSpawner documentation (e.g. working_dir, image_pull_policy).',
            ),
          );
        } else if (MODELLED_KEYS[key]) {
          issues.push(
            error(
              'ModelledOverrideKey',
              at,
              `"${key}" has its own field, so it cannot be set under advanced.`,
              `use ${MODELLED_KEYS[key]} instead.`,
            ),
          );
        } else if (!allowed.has(key)) {
          issues.push(
            error(
              'AdvancedKeyNotAllowed',
              at,
              `"${key}" is a KubeSpawner setting, but this hub's infrastructure admins do not let profiles set it (configurator.yaml, advanced.allowed_keys): settings like it can weaken the isolation of users' servers.`,
              `remove it, or ask the infrastructure admins to add "${key}" to advanced.allowed_keys in configurator.yaml. Allowed now: ${[...allowed].sort().join(', ') || 'none'}.`,
            ),
          );
        }
        if (!matchesTraitType(key, value)) {
          issues.push(
            error(
              'AdvancedWrongType',
              at,
              `advanced.${key} must be ${describeTraitType(key)} (KubeSpawner's type for it); KubeSpawner would refuse this value at every spawn.`,
              `write ${key} as ${describeTraitType(key)}, e.g. args: [--debug] or start_timeout: 600.`,
            ),
          );
        } else if (containsNull(value)) {
          issues.push(
            error(
              'NullOverride',
              at,
              `advanced.${key} contains an empty (null) value, which KubeSpawner either rejects or treats as "delete".`,
              'remove the key, or give it a value.',
            ),
          );
        }
      }
    }
    if (p.description !== undefined && looksLikeHtml(p.description)) {
      issues.push(
        warning(
          'DescriptionHtml',
          locate(entry, ['description']),
          `The description of profile "${entry.id}" contains HTML; it is shown as text, never as markup.`,
          'use Markdown instead: **bold**, _italic_, [a link](https://example.org).',
        ),
      );
    }
  }
};

function containsNull(value: unknown): boolean {
  if (value === null) return true;
  if (Array.isArray(value)) return value.some(containsNull);
  if (typeof value === 'object') return Object.values(value as object).some(containsNull);
  return false;
}

function menuName(key: string): string {
  return key === 'image'
    ? 'image'
    : key === 'node'
      ? 'node group'
      : key === 'size'
        ? 'size'
        : `choice of "${key}"`;
}
