import { CONTENT_FOLDERS, SETTINGS_FILE, type SourceFile } from '../catalog.ts';
import { error, type Issue } from '../issues.ts';
import { SLUG_PATTERN } from '../schema/common.ts';
import { validateContent, type ValidateOptions } from '../validate.ts';
import { updateYamlText } from '../yaml-edit.ts';
import { entryToYaml, entryYamlData } from './entry-format.ts';

/** One entry the editor wants to save. */
export interface EntryChange {
  collection: string;
  /** The entry id (file name without extension). */
  slug: string;
  data: Record<string, unknown>;
  isNew: boolean;
}

/** The outcome: the file that would be written, and the errors this change would introduce. */
export interface ChangeCheck {
  file?: SourceFile;
  errors: Issue[];
  warnings: Issue[];
}

const SLUG = new RegExp(SLUG_PATTERN);

/** The content file of an entry, or undefined for a collection hub admins may not write. */
export function entryPath(collection: string, slug: string, contentRoot = 'content'): string | undefined {
  if (collection === 'images') return `${contentRoot}/${CONTENT_FOLDERS.images}/${slug}.yaml`;
  if (collection === 'profiles') return `${contentRoot}/${CONTENT_FOLDERS.profiles}/${slug}.yaml`;
  if (collection === 'settings') return `${contentRoot}/${SETTINGS_FILE}`;
  return undefined;
}

/**
 * Checks a change the way every writer must (CMS before a save, the server before a commit): the whole content
 * tree is validated with the change applied, and the change is refused when it adds an error that was not there
 * before. Errors already present elsewhere do not block unrelated saves.
 */
export function checkEntryChange(
  current: readonly SourceFile[],
  change: EntryChange,
  options: ValidateOptions = {},
  /** The tree whose errors may stay, when `current` already holds a companion change (the default moving). */
  baseline: readonly SourceFile[] = current,
): ChangeCheck {
  const contentRoot = options.contentRoot ?? 'content';
  const path = existingPath(current, entryPath(change.collection, change.slug, contentRoot));
  const at = { file: path ?? `${contentRoot}/${change.collection}/${change.slug}.yaml` };
  if (!path) {
    return {
      errors: [
        error(
          'ReadOnlyCollection',
          at,
          'Node groups are supplied by the infrastructure admins and cannot be changed here. Nothing was saved.',
          'ask your infrastructure admins to change the node groups file (load-node-groups).',
        ),
      ],
      warnings: [],
    };
  }
  if (!SLUG.test(change.slug)) {
    return {
      errors: [
        error(
          'InvalidId',
          { ...at, field: 'id' },
          `"${change.slug}" is not a valid id: use lower-case letters, digits and single dashes. Nothing was saved.`,
          'type an id such as "scipy-2024"; it becomes the file name and cannot be changed later.',
        ),
      ],
      warnings: [],
    };
  }
  const exists = current.some((f) => f.path === path || f.path === path.replace(/\.yaml$/, '.yml'));
  if (change.isNew && exists) {
    return {
      errors: [
        error(
          'DuplicateId',
          { ...at, field: 'id' },
          `An entry with the id "${change.slug}" already exists. Nothing was saved.`,
          'pick another id.',
        ),
      ],
      warnings: [],
    };
  }
  // An existing file keeps its comments, quoting and untouched lines: a one-field change is a one-line diff.
  const before = current.find((f) => f.path === path)?.text;
  const text =
    before === undefined
      ? entryToYaml(change.collection, change.data)
      : updateYamlText(before, entryYamlData(change.collection, change.data), () =>
          entryToYaml(change.collection, change.data),
        );
  const file = { path, text };
  return { file, ...compareTrees(baseline, [...current.filter((f) => f.path !== path), file], options) };
}

/** An entry written by hand as `.yml` keeps its file name when edited (a second `.yaml` would duplicate it). */
function existingPath(current: readonly SourceFile[], path: string | undefined): string | undefined {
  const yml = path?.replace(/\.yaml$/, '.yml');
  const onlyYml = !current.some((f) => f.path === path) && current.some((f) => f.path === yml);
  return onlyYml ? yml : path;
}

/** Checks deleting content files: refused when something left behind breaks (e.g. a profile uses the image). */
export function checkDeletion(
  current: readonly SourceFile[],
  paths: readonly string[],
  options: ValidateOptions = {},
): ChangeCheck {
  return compareTrees(
    current,
    current.filter((f) => !paths.includes(f.path)),
    options,
  );
}

/** The issues `next` has that `current` did not have. */
export function compareTrees(
  current: readonly SourceFile[],
  next: readonly SourceFile[],
  options: ValidateOptions,
): { errors: Issue[]; warnings: Issue[] } {
  const known = new Set(validateContent(current, options).issues.map(fingerprint));
  const fresh = validateContent(next, options).issues.filter((issue) => !known.has(fingerprint(issue)));
  return {
    errors: fresh.filter((i) => i.severity === 'error'),
    warnings: fresh.filter((i) => i.severity === 'warning'),
  };
}

function fingerprint(issue: Issue): string {
  return `${issue.code}|${issue.file}|${issue.field ?? ''}|${issue.message}`;
}
