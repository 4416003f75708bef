import { isMap, isSeq, parseDocument, stringify, type Document } from 'yaml';
import { compareTrees } from '../lib/cms/check-change.ts';
import { isDeepEqual } from '../lib/import/equal.ts';
import { loadContent, readContentFiles } from '../lib/load.ts';
import { readProjectSettings } from '../lib/project-settings.ts';
import { NODE_CHECKS } from '../lib/node-checks.ts';
import type { ProfileInput } from '../lib/schema/profile.ts';
import { withGeneratedSizes } from '../lib/sizes/profile.ts';
import { formatIssues } from './print.ts';
import { writeFilesAtomically } from './write-files.ts';

/** Options of `sizes`. */
export interface SizesCommandOptions {
  floor?: string;
  reserve?: string;
  menu?: string;
  writeProfile?: string;
}

/**
 * `sizes [node-group-id...]`: prints size choices cut from the node groups' capacity as YAML, or with
 * --write-profile puts them into a profile (validated with the whole content first; comments are kept).
 */
export async function runSizes(
  projectDir: string,
  ids: string[],
  options: SizesCommandOptions,
): Promise<number> {
  const reserve = options.reserve === undefined ? undefined : Number(options.reserve);
  const floor =
    options.floor === undefined
      ? undefined
      : /^\d+$/.test(options.floor)
        ? Number(options.floor)
        : options.floor;
  const settings = {
    ...(floor === undefined ? {} : { floor }),
    ...(reserve === undefined ? {} : { reserve }),
    ...(options.menu === undefined ? {} : { menu: options.menu }),
    ...(ids.length > 0 ? { nodeGroupIds: ids } : {}),
  };
  if (ids.length === 0 && options.writeProfile === undefined) {
    console.error(
      'Name at least one node group (an id from content/node-groups/), or a profile with --write-profile.',
    );
    return 1;
  }
  const content = await loadContent(projectDir);
  const nodeGroups = Object.fromEntries(content.catalog.nodeGroups.map((e) => [e.id, e.data]));
  if (options.writeProfile === undefined) {
    const plan = withGeneratedSizes({ display_name: 'sizes' }, nodeGroups, settings);
    if (plan.problems.length > 0) return fail(plan.problems, 'Nothing was generated.');
    const { node_groups, sizes, options: menus } = plan.profile;
    console.log(stringify({ node_groups, sizes, options: menus }, { lineWidth: 0 }).trimEnd());
    return 0;
  }
  const id = options.writeProfile;
  const entry = content.catalog.profiles.find((p) => p.id === id);
  if (!entry) {
    return fail(
      [
        `There is no valid profile "${id}" in content/profiles/ (run validate to see why, if the file exists).`,
      ],
      'Nothing was written.',
    );
  }
  const plan = withGeneratedSizes(entry.data, nodeGroups, settings);
  if (plan.problems.length > 0) return fail(plan.problems, 'Nothing was written.');
  const current = await readContentFiles(projectDir);
  const before = current.find((f) => f.path === entry.file)!;
  const doc = parseDocument(before.text);
  applyChanges(doc, entry.data, plan.profile);
  const file = { path: entry.file, text: doc.toString({ lineWidth: 0 }) };
  const project = await readProjectSettings(projectDir);
  const allowed = project.settings.advanced?.allowed_keys;
  const check = compareTrees(current, [...current.filter((f) => f.path !== entry.file), file], {
    ...NODE_CHECKS,
    ...(allowed ? { advancedAllowedKeys: allowed } : {}),
  });
  if (check.errors.length > 0) {
    console.error(formatIssues(check.errors, 'Nothing was written.'));
    return 1;
  }
  await writeFilesAtomically(projectDir, [file]);
  if (check.warnings.length > 0) console.log(formatIssues(check.warnings, ''));
  if (plan.removedKeys.length > 0) {
    console.log(
      `⚠ These choices are gone: ${plan.removedKeys.join(', ')}. Users who saved one see the default pre-selected, and a spawn request that names one fails.`,
    );
  }
  console.log(`wrote ${entry.file}`);
  return 0;
}

/** Changes only the top-level fields that differ, and only the size menu inside `options`, so comments stay. */
function applyChanges(doc: Document, before: ProfileInput, after: ProfileInput): void {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)] as (keyof ProfileInput)[]);
  for (const key of keys) {
    const value = after[key];
    if (isDeepEqual(before[key], value)) continue;
    if (value === undefined) {
      doc.delete(key);
    } else if (key === 'options' && isSeq(doc.get('options', true)) && Array.isArray(value)) {
      const node = doc.get('options', true);
      value.forEach((option, index) => {
        if (isDeepEqual(before.options?.[index], option)) return;
        if (isSeq(node) && index < node.items.length && isMap(node.items[index]))
          doc.setIn(['options', index], doc.createNode(option));
        else doc.addIn(['options'], doc.createNode(option));
      });
    } else {
      doc.set(key, doc.createNode(value));
    }
  }
}

function fail(problems: string[], outcome: string): number {
  for (const problem of problems) console.error(`✖ ${problem}`);
  console.error(outcome);
  return 1;
}
