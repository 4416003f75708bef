import { formatIssues } from '../cli/print.ts';
import { buildCmsConfig, type DecapConfig } from '../lib/cms/config.ts';
import { loadContent, readContentFiles, sharedValidation } from '../lib/load.ts';
import { generateOutputs, type Outputs } from '../lib/outputs.ts';
import { readProjectSettings } from '../lib/project-settings.ts';
import type { ValidationResult } from '../lib/validate.ts';
import type { SourceFile } from '../lib/catalog.ts';

/** The project whose content the site shows: `CONFIGURATOR_PROJECT`, or the folder Astro runs in. */
export const projectDir = process.env['CONFIGURATOR_PROJECT'] ?? process.cwd();

let cached: Promise<ValidationResult & { outputs: Outputs }> | undefined;

/** Loads and validates the content once per build; a build with errors fails with the same text as `validate`. */
export function loadSiteContent(): Promise<ValidationResult & { outputs: Outputs }> {
  const shared = sharedValidation(projectDir);
  cached ??= (shared ? Promise.resolve(shared) : loadContent(projectDir)).then((result) => {
    if (!result.ok)
      throw new Error(`The content is not valid.\n${formatIssues(result.issues, 'Nothing was built.')}`);
    return { ...result, outputs: generateOutputs(result.resolved) };
  });
  return cached;
}

/** The Decap CMS configuration for this project and base path, and the validation options the editor needs. */
export async function loadCmsConfig(
  base: string,
): Promise<{ config: DecapConfig; advancedAllowedKeys?: readonly string[] }> {
  const { settings, issues } = await readProjectSettings(projectDir);
  if (issues.length > 0)
    throw new Error(`configurator.yaml is not valid.\n${formatIssues(issues, 'Nothing was built.')}`);
  const allowed = settings.advanced?.allowed_keys;
  return {
    config: buildCmsConfig({ base, project: settings }),
    ...(allowed ? { advancedAllowedKeys: allowed } : {}),
  };
}

/** Every content file as it is now, for the editor's checks before a save. */
export function readSiteContentFiles(): Promise<SourceFile[]> {
  return readContentFiles(projectDir);
}
