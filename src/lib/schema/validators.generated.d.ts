// Types of validators.generated.js (written by `npm run schemas`).
import type { ValidateFunction } from 'ajv';

export const image: ValidateFunction;
export const profile: ValidateFunction;
export const nodeGroup: ValidateFunction;
export const nodeGroupsFile: ValidateFunction;
export const settings: ValidateFunction;
export const projectSettings: ValidateFunction;
