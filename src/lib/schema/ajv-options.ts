import type { Ajv, Options } from 'ajv';

/** ajv's options for content schemas, shared by run-time compilation and the generated validators. */
export const AJV_OPTIONS: Options = {
  allErrors: true,
  strict: true,
  strictTypes: false,
  allowUnionTypes: true,
};

/** `x-cms` carries Decap CMS widget hints; ajv only needs to know it is an annotation. */
export function addContentKeywords(ajv: Ajv): Ajv {
  ajv.addKeyword({ keyword: 'x-cms' });
  return ajv;
}
