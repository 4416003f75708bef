import type { SingleBar } from 'cli-progress';

/** A progress bar on stderr, `<label> [bar] done/total <reference>`, cleared when it stops. */
export async function createProgressBar(label: string): Promise<SingleBar> {
  const { default: cliProgress } = await import('cli-progress');
  return new cliProgress.SingleBar(
    {
      format: `${label} [{bar}] {value}/{total} {reference}`,
      clearOnComplete: true,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
}
