/**
 * Image checks over the OCI distribution API: what the CLI, the build and the sidecar server use.
 *
 * @example
 * const { settings, problems } = readRegistrySettings(process.env, { defaultCacheFile: '.cache/image-checks.json' });
 * const checker = createImageChecker({ settings });
 * const result = await checker.check('quay.io/jupyter/scipy-notebook:2024-03-18', { refresh: true });
 * if (result.status === 'not-found') refuseTheSave(result.message);
 */
export {
  createImageChecker,
  type ImageChecker,
  type ImageCheckerOptions,
  type ProgressListener,
} from './checker.ts';
export { contentImageReferences, hintFor, IMAGE_CHECK_CODES, imageCheckIssues } from './issues.ts';
export { pinDigests, pinnedReference, pinOutputs, type PinReport } from './pin.ts';
export { createFileCache, createMemoryCache, type ResultCache } from './result-cache.ts';
export {
  DEFAULT_REGISTRY_SETTINGS,
  readRegistrySettings,
  REGISTRY_ENV,
  type RegistrySettings,
} from './settings.ts';
export { resolveTarget, type RegistryTarget } from './target.ts';
export { createTokenCache, type TokenCache } from './tokens.ts';
export {
  isInconclusive,
  systemClock,
  type Clock,
  type Credentials,
  type Fetch,
  type ImageCheckResult,
  type ImageCheckStatus,
} from './types.ts';
