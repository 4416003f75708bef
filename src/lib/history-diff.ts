import { unescapeHtml } from './html-text.ts';
import type { ProfileListEntry, ProfileListOption, Override } from './profile-list.ts';

/** One readable difference between two generated profile lists. */
export interface ListChange {
  kind: 'added' | 'removed' | 'changed';
  /** `profile`, `profile › option` or `profile › option › choice`. */
  where: string;
  details: string[];
  /** Removing (or renaming) a profile or choice invalidates what users saved: they will be asked to choose again. */
  affectsSavedChoices: boolean;
}

/** Compares two profile lists the way an admin reads them: profiles, menus, choices, images and sizes. */
export function diffProfileLists(
  before: readonly ProfileListEntry[],
  after: readonly ProfileListEntry[],
): ListChange[] {
  const changes: ListChange[] = [];
  const old = new Map(before.map((p) => [p.slug, p]));
  const now = new Map(after.map((p) => [p.slug, p]));
  for (const [slug, profile] of old) {
    if (!now.has(slug)) {
      changes.push({
        kind: 'removed',
        where: slug,
        details: [`profile "${unescapeHtml(profile.display_name)}" removed`],
        affectsSavedChoices: true,
      });
    }
  }
  for (const [slug, profile] of now) {
    const previous = old.get(slug);
    if (!previous) {
      changes.push({
        kind: 'added',
        where: slug,
        details: [`profile "${unescapeHtml(profile.display_name)}" added`],
        affectsSavedChoices: false,
      });
      continue;
    }
    const details = [
      ...field('title', previous.display_name, profile.display_name),
      ...field('description', previous.description, profile.description),
      ...field('default', previous.default, profile.default),
      ...field('groups', previous.allowed_groups, profile.allowed_groups),
      ...overrideChanges(previous.kubespawner_override, profile.kubespawner_override),
    ];
    if (details.length > 0)
      changes.push({ kind: 'changed', where: slug, details, affectsSavedChoices: false });
    diffOptions(slug, previous.profile_options ?? {}, profile.profile_options ?? {}, changes);
  }
  return changes;
}

function diffOptions(
  slug: string,
  before: Record<string, ProfileListOption>,
  after: Record<string, ProfileListOption>,
  changes: ListChange[],
): void {
  for (const [key, option] of Object.entries(before)) {
    if (!after[key]) {
      changes.push({
        kind: 'removed',
        where: `${slug} › ${key}`,
        details: [`menu "${unescapeHtml(option.display_name)}" removed`],
        affectsSavedChoices: true,
      });
    }
  }
  for (const [key, option] of Object.entries(after)) {
    const previous = before[key];
    const where = `${slug} › ${key}`;
    if (!previous) {
      changes.push({
        kind: 'added',
        where,
        details: [`menu "${unescapeHtml(option.display_name)}" added`],
        affectsSavedChoices: false,
      });
      continue;
    }
    for (const [choiceKey, choice] of Object.entries(previous.choices)) {
      if (!option.choices[choiceKey]) {
        changes.push({
          kind: 'removed',
          where: `${where} › ${choiceKey}`,
          details: [`choice "${unescapeHtml(choice.display_name)}" removed`],
          affectsSavedChoices: true,
        });
      }
    }
    for (const [choiceKey, choice] of Object.entries(option.choices)) {
      const was = previous.choices[choiceKey];
      if (!was) {
        changes.push({
          kind: 'added',
          where: `${where} › ${choiceKey}`,
          details: [`choice "${unescapeHtml(choice.display_name)}" added`],
          affectsSavedChoices: false,
        });
        continue;
      }
      const details = [
        ...field('label', was.display_name, choice.display_name),
        ...field('default', was.default, choice.default),
        ...field('groups', was.allowed_groups, choice.allowed_groups),
        ...overrideChanges(was.kubespawner_override, choice.kubespawner_override),
      ];
      if (details.length > 0)
        changes.push({
          kind: 'changed',
          where: `${where} › ${choiceKey}`,
          details,
          affectsSavedChoices: false,
        });
    }
    const details = [
      ...field('label', previous.display_name, option.display_name),
      ...field(
        'custom image',
        Boolean(previous.unlisted_choice?.enabled),
        Boolean(option.unlisted_choice?.enabled),
      ),
      ...field(
        'custom image pattern',
        previous.unlisted_choice?.validation_regex,
        option.unlisted_choice?.validation_regex,
      ),
    ];
    if (details.length > 0) changes.push({ kind: 'changed', where, details, affectsSavedChoices: false });
  }
}

function overrideChanges(before: Override | undefined, after: Override | undefined): string[] {
  const keys = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])].sort();
  return keys.flatMap((key) => field(key.replace(/_/g, ' '), before?.[key], after?.[key]));
}

function field(name: string, before: unknown, after: unknown): string[] {
  const a = show(before);
  const b = show(after);
  if (a === b) return [];
  if (before === undefined) return [`${name}: set to ${b}`];
  if (after === undefined) return [`${name}: ${a} removed`];
  return [`${name}: ${a} → ${b}`];
}

function show(value: unknown): string {
  if (value === undefined) return '(none)';
  return typeof value === 'string' ? unescapeHtml(value) : JSON.stringify(value);
}
