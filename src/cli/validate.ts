import { loadContent } from '../lib/load.ts';
import { shouldCheckImages, type ImageCheckOptions } from './image-check-options.ts';
import { formatIssues } from './print.ts';

/** `validate`: prints every issue; 1 when there is an error. */
export async function runValidate(
  projectDir: string,
  options: { json?: boolean } & ImageCheckOptions,
): Promise<number> {
  const loaded = await loadContent(projectDir);
  const result = shouldCheckImages(options.checkImages)
    ? await (
        await import('./check-images.ts')
      ).withImageChecks(projectDir, loaded, {
        ...options,
        quiet: options.json === true,
      })
    : loaded;
  if (options.json) {
    console.log(JSON.stringify({ ok: result.ok, issues: result.issues }, null, 2));
  } else {
    console.log(formatIssues(result.issues, result.ok ? 'The content is valid.' : 'Nothing was written.'));
  }
  return result.ok ? 0 : 1;
}
