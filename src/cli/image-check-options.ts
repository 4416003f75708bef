// Kept apart from check-images.ts so that validate and build load the registry client only when they check images.

/** Options of `check-images` and of the image step of `validate` and `build`. */
export interface ImageCheckOptions {
  /** `--check-images` / `--no-check-images`; unset: on when CI=true. */
  checkImages?: boolean;
  /** `--strict-images`: every result that is not "exists" is an error. */
  strictImages?: boolean;
  /** `--no-cache` (false): ignore cached results (fresh ones are still stored). */
  cache?: boolean;
  /** Print no progress bar (JSON output). */
  quiet?: boolean;
}

/**
 * Whether validate/build check images: the flag when given, else `CONFIGURATOR_CHECK_IMAGES` (true/false) when
 * set, else on in CI (`CI=true`).
 */
export function shouldCheckImages(flag: boolean | undefined, env: NodeJS.ProcessEnv = process.env): boolean {
  if (flag !== undefined) return flag;
  const setting = env['CONFIGURATOR_CHECK_IMAGES']?.trim().toLowerCase();
  if (setting === 'true' || setting === '1') return true;
  if (setting === 'false' || setting === '0') return false;
  return env['CI'] === 'true';
}
