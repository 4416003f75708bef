import path from 'node:path';
import pc from 'picocolors';
import { createImageChecker, type ImageChecker } from '../registry/checker.ts';
import { readRegistrySettings } from '../registry/settings.ts';

/**
 * A registry client configured from the environment, for check-images, outdated and bump; its result cache lives
 * in `<project>/.cache/image-checks.json`. Problems with the settings are printed as warnings.
 */
export function createCliChecker(projectDir: string): ImageChecker {
  const { settings, problems } = readRegistrySettings(process.env, {
    defaultCacheFile: path.join(projectDir, '.cache', 'image-checks.json'),
  });
  for (const problem of problems) console.error(`${pc.yellow('⚠')} ${problem}`);
  return createImageChecker({ settings });
}
