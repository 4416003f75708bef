import { parseYamlDocument } from '../lib/documents.ts';
import { ApiError } from './content-api.ts';

type Params = Record<string, unknown>;

/**
 * Type checks for the parameters of the content API's writes. Decap always sends the documented shapes; anything
 * else (`dataFiles: [null]`, `commitMessage: {}`) is a client's mistake and gets a 422 that names the field.
 */
export function objectParam(params: Params, key: string): Params {
  const value = params[key];
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw wrongType(key, 'an object');
  return value as Params;
}

/** A string parameter, or undefined when absent; any other type is refused. */
export function stringParam(params: Params, key: string): string | undefined {
  const value = params[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw wrongType(key, 'a string');
  return value;
}

/** The one entry of a save: `dataFiles` must be a list holding exactly one object. */
export function singleDataFile(params: Params): Params {
  const files = params['dataFiles'];
  if (!Array.isArray(files) || files.length !== 1) {
    throw new ApiError(422, 'A save must contain exactly one entry. Nothing was saved.');
  }
  const [file] = files as unknown[];
  if (!file || typeof file !== 'object' || Array.isArray(file)) throw wrongType('dataFiles[0]', 'an object');
  return file as Params;
}

/** A list of paths (`deleteFiles`), each a string. */
export function pathsParam(params: Params): string[] {
  const paths = params['paths'];
  if (!Array.isArray(paths)) throw wrongType('paths', 'a list of paths');
  return paths.map((p, index) => {
    if (typeof p !== 'string') throw wrongType(`paths[${index}]`, 'a string');
    return p;
  });
}

/**
 * The entry data of a save's YAML text, parsed with the same bounds as all content (size, depth, aliases,
 * duplicate keys); a problem is a 422 with its line. A text that is not a map is an empty entry, as before.
 */
export function entryDataOf(raw: string, file: string): Record<string, unknown> {
  const { document, issues } = parseYamlDocument(file, raw);
  if (!document) {
    const text = issues
      .map((i) => `${i.message} (${i.code}, ${i.file}${i.line ? `:${i.line}` : ''})`)
      .join('\n');
    throw new ApiError(422, `${text}\nNothing was saved.`, { errors: issues, warnings: [] });
  }
  const data = document.data;
  return data && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>) : {};
}

function wrongType(field: string, expected: string): ApiError {
  return new ApiError(422, `"${field}" must be ${expected}. Nothing was saved.`);
}
