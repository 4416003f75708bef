import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseYamlDocument } from './documents.ts';
import type { Issue } from './issues.ts';
import { checkSchema } from './schema-check.ts';
import type { ProjectSettings } from './schema/project.ts';

/** The project settings file, at the project root. */
export const PROJECT_SETTINGS_FILE = 'configurator.yaml';

/** Reads `configurator.yaml` (absent means the defaults); problems come back as issues. */
export async function readProjectSettings(
  projectDir: string,
): Promise<{ settings: ProjectSettings; issues: Issue[] }> {
  let text: string;
  try {
    text = await readFile(path.join(projectDir, PROJECT_SETTINGS_FILE), 'utf8');
  } catch (problem) {
    if ((problem as NodeJS.ErrnoException).code === 'ENOENT') return { settings: {}, issues: [] };
    throw problem;
  }
  const { document, issues } = parseYamlDocument(PROJECT_SETTINGS_FILE, text);
  if (!document) return { settings: {}, issues };
  const schemaIssues = checkSchema('projectSettings', document.data ?? {}, document);
  return schemaIssues.length > 0
    ? { settings: {}, issues: schemaIssues }
    : { settings: (document.data ?? {}) as ProjectSettings, issues: [] };
}
