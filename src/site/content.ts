import { loadContent } from '../lib/load.ts';
import { generateOutputs, type Outputs } from '../lib/outputs.ts';
import type { ValidationResult } from '../lib/validate.ts';
import { formatIssues } from '../cli/print.ts';

/** The project whose content the site shows: `CONFIGURATOR_PROJECT`, or the folder Astro runs in. */
export const projectDir = process.env['CONFIGURATOR_PROJECT'] ?? process.cwd();

let cached: Promise<ValidationResult & { outputs: Outputs }> | undefined;

/** Loads and validates the content once per build; a build with errors fails with the same text as `validate`. */
export function loadSiteContent(): Promise<ValidationResult & { outputs: Outputs }> {
  cached ??= loadContent(projectDir).then((result) => {
    if (!result.ok)
      throw new Error(`The content is not valid.\n${formatIssues(result.issues, 'Nothing was built.')}`);
    return { ...result, outputs: generateOutputs(result.resolved) };
  });
  return cached;
}
