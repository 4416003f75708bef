import pc from 'picocolors';
import type { SourceFile } from '../lib/catalog.ts';
import { readContentFiles } from '../lib/load.ts';
import { readProjectSettings } from '../lib/project-settings.ts';
import { planBump, proposedTag, type BumpPlan } from '../registry/bump.ts';
import type { ContentImage } from '../registry/content-freshness.ts';
import { checkWithBar, pickImages } from './outdated.ts';
import { createCliChecker } from './registry-checker.ts';
import { writeFilesAtomically } from './write-files.ts';

/**
 * `bump [--dry-run] [image-id…]`: rewrites each named image (else every outdated one) to its newest tag, one line
 * per file, each checked to exist and validated with the whole content; a second run finds nothing to do.
 */
export async function runBump(
  projectDir: string,
  ids: readonly string[],
  options: { dryRun?: boolean; cache?: boolean },
): Promise<number> {
  const picked = await pickImages(projectDir, ids);
  if (!picked.ok) return 1;
  const checker = createCliChecker(projectDir);
  try {
    const results = await checkWithBar(checker, picked.images, false, options.cache === false);
    const files = await readContentFiles(projectDir);
    const allowed = (await readProjectSettings(projectDir)).settings.advanced?.allowed_keys;
    const validate = allowed ? { advancedAllowedKeys: allowed } : {};
    const plans: BumpPlan[] = [];
    let failed = false;
    let working: SourceFile[] = files;
    for (const result of results) {
      const image = picked.images.find((i) => i.id === result.id) as ContentImage;
      const tag = proposedTag(result);
      if (tag === undefined) {
        if (ids.length > 0) {
          const why = result.status === 'up-to-date' ? 'it is up to date' : result.message;
          console.log(`${pc.dim('·')} ${image.id}: nothing to bump (${why})`);
          if (result.status === 'failed') failed = true;
        }
        continue;
      }
      const planned = await planBump(checker, working, image, tag, validate);
      if (!planned.ok) {
        console.error(`${pc.red('✖')} ${image.id}: ${planned.reason} Not changed.`);
        failed = true;
        continue;
      }
      plans.push(planned.plan);
      working = working.map((f) =>
        f.path === planned.plan.file ? { path: f.path, text: planned.plan.text } : f,
      );
    }
    for (const plan of plans) {
      console.log(
        `${options.dryRun ? 'would change' : 'changed'} ${plan.file}: image ${plan.from} → ${plan.to}`,
      );
    }
    if (plans.length === 0) console.log('Nothing to bump: every image checked is on its newest tag.');
    else if (options.dryRun)
      console.log(`${plans.length} file(s) would change. --dry-run: nothing was written.`);
    else {
      await writeFilesAtomically(
        projectDir,
        plans.map((p) => ({ path: p.file, text: p.text })),
      );
      console.log(`${plans.length} file(s) changed.`);
    }
    return failed ? 1 : 0;
  } finally {
    checker.close();
  }
}
