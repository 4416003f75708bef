import type { ChoiceInput, CustomImageInput } from '../schema/profile.ts';
import { isValidKey, keyProblem, type KeyKind } from '../keys.ts';
import { fail, reportIgnored, warn, type ImportContext } from './context.ts';
import { isRecord } from './fields.ts';
import { splitOverride, type LevelSettings } from './overrides.ts';
import { isTruthy } from './slugs.ts';
import { importUnlisted } from './unlisted.ts';
import type { SourcePath } from './source.ts';

/** One menu of a profile, imported: general-form choices plus what decides whether a friendly field fits. */
export interface ImportedOption {
  /** The key, exactly as in the source: keys are never renamed. */
  key: string;
  displayName: string;
  choices: ChoiceInput[];
  customImage?: CustomImageInput;
  /** Every choice sets exactly one image and nothing else (so `images:` could hold the menu). */
  onlyImages: boolean;
  /** Every choice sets exactly a size and nothing else (so `sizes:` could hold the menu). */
  onlySizes: boolean;
  /** The KubeSpawner keys any choice of this menu sets. */
  sets: Set<string>;
  /** Comment lines written on the menu (outside its choices), and on each choice. */
  comments: string[];
  choiceComments: string[][];
}

const OPTION_KEYS = new Set(['display_name', 'choices', 'unlisted_choice']);
const CHOICE_KEYS = new Set(['display_name', 'default', 'allowed_groups', 'kubespawner_override']);
/** Imports one menu (`profile_options.<key>`) of a profile. */
export function importOption(
  ctx: ImportContext,
  sourceKey: string,
  option: unknown,
  path: SourcePath,
  profileId: string,
  earlier: ReadonlySet<string>,
): ImportedOption | undefined {
  if (!isRecord(option)) {
    warn(
      ctx,
      'ImportNotExpressible',
      path,
      `The menu "${sourceKey}" of profile "${profileId}" is not a mapping; KubeSpawner fails on it. It was left out.`,
    );
    return undefined;
  }
  keepKey(ctx, sourceKey, 'option', path, `menu "${sourceKey}" of profile "${profileId}"`);
  const key = sourceKey;
  for (const extra of Object.keys(option).filter((k) => !OPTION_KEYS.has(k))) {
    reportIgnored(ctx, [...path, extra], extra, `the menu "${sourceKey}" of profile "${profileId}"`);
  }
  const displayName = label(ctx, option['display_name'], sourceKey, [...path, 'display_name']);
  const imported: ImportedOption = {
    key,
    displayName,
    choices: [],
    onlyImages: true,
    onlySizes: true,
    sets: new Set(),
    comments: ctx.source.comments(path, ['choices']),
    choiceComments: [],
  };
  const rawChoices = option['choices'];
  if (!isRecord(rawChoices)) {
    warn(
      ctx,
      'ImportNotExpressible',
      [...path, 'choices'],
      `The menu "${sourceKey}" of profile "${profileId}" has no \`choices\` mapping; KubeSpawner's spawn page fails to render such a menu. It was imported without choices.`,
    );
  }
  const ignored = new Map<string, { choices: string[]; path: SourcePath }>();
  let defaultKey: string | undefined;
  for (const [choiceSourceKey, raw] of Object.entries(isRecord(rawChoices) ? rawChoices : {})) {
    const at: SourcePath = [...path, 'choices', choiceSourceKey];
    keepKey(
      ctx,
      choiceSourceKey,
      'choice',
      at,
      `choice "${choiceSourceKey}" of the menu "${sourceKey}" (profile "${profileId}")`,
    );
    const choiceKey = choiceSourceKey;
    const c = isRecord(raw) ? raw : {};
    const choice: ChoiceInput = {
      key: choiceKey,
      display_name: label(ctx, c['display_name'], choiceSourceKey, [...at, 'display_name']),
    };
    if (isTruthy(c['default'])) {
      if (defaultKey === undefined) {
        choice.default = true;
        defaultKey = choiceSourceKey;
      } else {
        warn(
          ctx,
          'ImportExtraDefault',
          [...at, 'default'],
          `The menu "${sourceKey}" of profile "${profileId}" marks both "${defaultKey}" and "${choiceSourceKey}" as the default. KubeSpawner starts the first when nothing is picked, but the browser pre-selected the last; "${defaultKey}" stays the default, for both now.`,
        );
      }
    }
    const groups = importGroups(ctx, c['allowed_groups'], [...at, 'allowed_groups']);
    if (groups) choice.allowed_groups = groups;
    const description = typeof c['description'] === 'string' ? c['description'] : undefined;
    const level = splitOverride(ctx, c['kubespawner_override'], [...at, 'kubespawner_override'], earlier, {
      key: choiceKey,
      displayName: choice.display_name,
      ...(description ? { description } : {}),
    });
    applyLevel(choice, level);
    level.sets.forEach((k) => imported.sets.add(k));
    const only = Object.keys(choice).filter((k) => !['key', 'display_name', 'default'].includes(k));
    if (!(only.length === 1 && only[0] === 'image')) imported.onlyImages = false;
    if (!(only.length === 1 && only[0] === 'size')) imported.onlySizes = false;
    for (const extra of Object.keys(c).filter((k) => !CHOICE_KEYS.has(k))) {
      // A choice's description became the description of the image it starts, where that image had none.
      if (extra === 'description' && level.image && ctx.images.get(level.image)?.description === description)
        continue;
      const entry = ignored.get(extra) ?? { choices: [], path: [...at, extra] };
      entry.choices.push(choiceSourceKey);
      ignored.set(extra, entry);
    }
    imported.choices.push(choice);
    imported.choiceComments.push(ctx.source.comments(at));
  }
  for (const [extra, { choices, path: first }] of ignored) {
    reportIgnored(
      ctx,
      first,
      extra,
      `${choices.length === 1 ? 'the choice' : 'the choices'} ${choices.map((k) => `"${k}"`).join(', ')} of the menu "${sourceKey}" (profile "${profileId}")`,
    );
  }
  const custom = importUnlisted(ctx, option['unlisted_choice'], [...path, 'unlisted_choice'], sourceKey);
  if (custom) imported.customImage = custom;
  return imported;
}

/** Copies what one override sets onto a choice (or a profile's base). */
export function applyLevel(
  target: Pick<ChoiceInput, 'image' | 'node_group' | 'size' | 'environment' | 'default_url' | 'advanced'>,
  level: LevelSettings,
): void {
  if (level.image !== undefined) target.image = level.image;
  if (level.nodeGroup !== undefined) target.node_group = level.nodeGroup;
  if (level.size && Object.keys(level.size).length > 0) target.size = level.size;
  if (level.environment) target.environment = level.environment;
  if (level.defaultUrl !== undefined) target.default_url = level.defaultUrl;
  if (level.advanced && Object.keys(level.advanced).length > 0) target.advanced = level.advanced;
}

/** `allowed_groups` as content holds it: distinct, non-empty names. */
export function importGroups(ctx: ImportContext, value: unknown, path: SourcePath): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) {
    warn(ctx, 'ImportNotExpressible', path, 'allowed_groups is not a list of group names. It was left out.');
    return undefined;
  }
  const groups = [...new Set(value.filter((g) => g !== null && g !== '').map(String))];
  if (groups.length !== value.length) {
    warn(
      ctx,
      'ImportValueConverted',
      path,
      'allowed_groups lists a group twice, or an empty one; each group is kept once.',
    );
  }
  return groups.length > 0 ? groups : undefined;
}

/** A display name as content needs it: non-empty text. */
export function label(ctx: ImportContext, value: unknown, fallback: string, path: SourcePath): string {
  if (typeof value === 'string' && value.trim() !== '') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  warn(
    ctx,
    'ImportNotExpressible',
    path,
    `display_name is missing or empty; content needs one, so "${fallback}" is shown instead.`,
  );
  return fallback;
}

/**
 * Keys are users' saved choices, so the import keeps every one verbatim. One that KubeSpawner's spawn form cannot
 * carry (src/lib/keys.ts) is an error naming it: nothing is written until the values file changes it.
 */
export function keepKey(
  ctx: ImportContext,
  key: string,
  kind: KeyKind,
  path: SourcePath,
  what: string,
): void {
  if (isValidKey(key, kind)) return;
  const why = keyProblem(key, kind);
  const how = why ? why.hint.charAt(0).toUpperCase() + why.hint.slice(1) : '';
  fail(
    ctx,
    'ImportInvalidKey',
    path,
    `The ${what} cannot be kept: ${why?.reason ?? 'it is not a valid key'}. The import never renames keys, because users' saved choices name them. Nothing was written.`,
    `change it in the values file yourself and tell users who start servers through the API, then import again. ${how}`,
  );
}
