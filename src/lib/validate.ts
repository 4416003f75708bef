import { parseContent, type Catalog, type Entry, type RawCatalog, type SourceFile } from './catalog.ts';
import { hasErrors, sortIssues, type Issue } from './issues.ts';
import type { ResolvedCatalog } from './model.ts';
import { normalizeContent } from './normalize.ts';
import { resolveCatalog } from './resolve.ts';
import { checkProfileReferences } from './rules/references.ts';
import { checkCustomImageRegex } from './rules/custom-image.ts';
import type { PythonRegexChecker, RegexBacktrackingChecker, Rule } from './rules/context.ts';
import { checkHubGroups } from './rules/hub-groups.ts';
import { checkImageReferences } from './rules/images.ts';
import { checkNodeGroupCapacity } from './rules/node-groups.ts';
import { checkSettings } from './rules/settings.ts';
import { checkSizes } from './rules/sizes.ts';
import { checkDefaults, checkKeys, checkProfileFields } from './rules/structure.ts';
import { checkSchema } from './schema-check.ts';
import { DEFAULT_ADVANCED_ALLOWED_KEYS } from './schema/constants.ts';
import type { SettingsInput } from './schema/settings.ts';

/** The rules, in the order their issues are most useful to read. */
export const RULES: readonly Rule[] = [
  checkImageReferences,
  checkNodeGroupCapacity,
  checkSettings,
  checkProfileReferences,
  checkDefaults,
  checkKeys,
  checkProfileFields,
  checkSizes,
  checkCustomImageRegex,
  checkHubGroups,
];

/** Capabilities the caller may lend to validation (the core itself never touches the system). */
export interface ValidateOptions {
  contentRoot?: string;
  checkPythonRegex?: PythonRegexChecker;
  /** Refuses custom-image patterns that backtrack catastrophically (recheck; Node only, too big for the editor). */
  checkRegexBacktracking?: RegexBacktrackingChecker;
  /** Keys a profile's `advanced` may set (configurator.yaml `advanced.allowed_keys`); default DEFAULT_ADVANCED_ALLOWED_KEYS. */
  advancedAllowedKeys?: readonly string[];
  /** The hub's group names: `allowed_groups` entries the hub does not have become warnings. */
  hubGroups?: readonly string[];
}

/** Everything validation learned: the typed catalogue, its resolved form and every issue. */
export interface ValidationResult {
  catalog: Catalog;
  resolved: ResolvedCatalog;
  issues: Issue[];
  /** True when there is no error (warnings allowed). */
  ok: boolean;
}

/** Parses, normalises, schema-checks and rule-checks the content files. Never throws for a person's mistake. */
export function validateContent(
  files: readonly SourceFile[],
  options: ValidateOptions = {},
): ValidationResult {
  const { raw, issues } = parseContent(files, options.contentRoot);
  issues.push(...normalizeContent(raw));
  const catalog = checkSchemas(raw, issues);
  const resolved = resolveCatalog(catalog);
  const context = {
    catalog,
    profileByFile: new Map(catalog.profiles.map((entry) => [entry.file, entry])),
    resolved,
    issues,
    ...(options.checkPythonRegex ? { checkPythonRegex: options.checkPythonRegex } : {}),
    ...(options.checkRegexBacktracking ? { checkRegexBacktracking: options.checkRegexBacktracking } : {}),
    advancedAllowedKeys: options.advancedAllowedKeys ?? DEFAULT_ADVANCED_ALLOWED_KEYS,
    ...(options.hubGroups ? { hubGroups: options.hubGroups } : {}),
  };
  for (const rule of RULES) rule(context);
  const sorted = sortIssues(issues);
  return { catalog, resolved, issues: sorted, ok: !hasErrors(sorted) };
}

function checkSchemas(raw: RawCatalog, issues: Issue[]): Catalog {
  const keep = <T>(entries: Entry<unknown>[], schema: Parameters<typeof checkSchema>[0]): Entry<T>[] =>
    entries.filter((entry) => {
      const found = checkSchema(schema, entry.data, entry);
      issues.push(...found);
      return found.length === 0;
    }) as Entry<T>[];
  const catalog: Catalog = {
    images: keep(raw.images, 'image'),
    profiles: keep(raw.profiles, 'profile'),
    nodeGroups: keep(raw.nodeGroups, 'nodeGroup'),
    ids: raw.ids,
  };
  if (raw.settings) {
    const [settings] = keep<SettingsInput>([raw.settings], 'settings');
    if (settings) catalog.settings = settings;
  }
  return catalog;
}
