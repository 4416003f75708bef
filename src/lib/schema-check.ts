import type { ErrorObject } from 'ajv';
import { error, formatFieldPath, type Issue } from './issues.ts';
import { KEY_PATTERN, PROFILE_SLUG_PATTERN, keyProblem } from './keys.ts';
import * as validators from './schema/validators.generated.js';

/**
 * The content schemas by name (src/lib/schema/compiled.ts). Their validators are compiled ahead of time by
 * `npm run schemas` (a test fails when they are older than the schemas): compiling with ajv at run time took most
 * of a command's start-up, and would need `unsafe-eval` in the editor's page.
 */
export type SchemaName = keyof typeof validators;

/** A place in a document: the file and how to find the line of a field. */
export interface SchemaTarget {
  file: string;
  lineOf(path: readonly (string | number)[]): number | undefined;
}

/** Validates data against a content schema; every problem becomes an issue with its field and line. */
export function checkSchema(schema: SchemaName, data: unknown, target: SchemaTarget): Issue[] {
  const validate = validators[schema];
  if (validate(data)) return [];
  return describeErrors(validate.errors ?? [], target, data);
}

/** Turns ajv errors into issues: one per field, the most useful message first. `data` names bad keys exactly. */
export function describeErrors(
  errors: readonly ErrorObject[],
  target: SchemaTarget,
  data?: unknown,
): Issue[] {
  const unions = new Set(errors.filter((e) => e.keyword === 'anyOf').map((e) => e.instancePath));
  const issues: Issue[] = [];
  const seen = new Set<string>();
  for (const problem of errors) {
    const path = pointerToPath(problem.instancePath);
    if (problem.keyword !== 'anyOf' && [...unions].some((u) => problem.instancePath === u)) continue;
    const described = describe(problem, path, data);
    const fieldPath = described.path;
    const key = `${formatFieldPath(fieldPath)}|${described.code}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const line = target.lineOf(fieldPath);
    issues.push(
      error(
        described.code,
        { file: target.file, field: formatFieldPath(fieldPath), ...(line === undefined ? {} : { line }) },
        described.message,
        described.hint,
      ),
    );
  }
  return issues;
}

function describe(
  problem: ErrorObject,
  path: (string | number)[],
  data: unknown,
): { code: string; path: (string | number)[]; message: string; hint: string } {
  const field = formatFieldPath(path) || 'the file';
  const description = (problem.parentSchema as { description?: string } | undefined)?.description;
  const about = description ? ` (${description})` : '';
  const params = problem.params as Record<string, unknown>;
  switch (problem.keyword) {
    case 'additionalProperties': {
      const key = String(params['additionalProperty']);
      return {
        code: 'UnknownKey',
        path: [...path, key],
        message: `"${key}" is not a known field${path.length ? ` of ${field}` : ''}, so it would be ignored.`,
        hint: `check the spelling; the fields allowed here are: ${allowedKeys(problem)}.`,
      };
    }
    case 'required': {
      const key = String(params['missingProperty']);
      const child = (problem.schema as Record<string, { description?: string }> | undefined)?.[key];
      const childAbout = child?.description ? ` (${child.description})` : '';
      return {
        code: 'MissingField',
        path: [...path],
        message: `The required field "${key}" is missing${path.length ? ` in ${field}` : ''}.`,
        hint: `add ${key}${childAbout}.`,
      };
    }
    case 'type':
      return {
        code: 'WrongType',
        path,
        message: `${field} must be ${article(String(params['type']))}.`,
        hint: `change the value${about}.`,
      };
    case 'anyOf':
      return {
        code: 'WrongType',
        path,
        message: `${field} has a value of the wrong kind.`,
        hint: `use${about || ' a value of the documented kind'}.`,
      };
    case 'pattern': {
      const pattern = String(params['pattern']);
      if (pattern === KEY_PATTERN || pattern === PROFILE_SLUG_PATTERN) {
        const value = valueAt(data, path);
        const kind =
          pattern === PROFILE_SLUG_PATTERN ? 'slug' : path.at(-3) === 'choices' ? 'choice' : 'option';
        const why = keyProblem(value, kind);
        return {
          code: why?.code ?? 'InvalidKey',
          path,
          message: `${field} ${typeof value === 'string' ? `"${value}" ` : ''}cannot be a ${kind === 'slug' ? 'profile slug' : kind === 'choice' ? 'choice key' : 'menu key'}: ${why?.reason ?? 'it does not have the expected form'}.`,
          hint: why?.hint ?? 'use letters, digits, "_", "." and "-".',
        };
      }
      const slug = String(params['pattern']).startsWith('^[a-z0-9]+(-[a-z0-9]+)*$');
      return {
        code: slug ? 'InvalidSlug' : 'InvalidValue',
        path,
        message: slug
          ? `${field} is not a valid id or key: only lower-case letters, digits and single dashes are allowed.`
          : `${field} does not have the expected form.`,
        hint: slug
          ? 'use something like "scipy-2024"; keys are stable, so pick one you will keep.'
          : `use${about}.`,
      };
    }
    case 'enum':
      return {
        code: 'InvalidValue',
        path,
        message: `${field} must be one of: ${(params['allowedValues'] as unknown[]).join(', ')}.`,
        hint: 'pick one of the listed values.',
      };
    case 'minItems':
      return {
        code: 'EmptyList',
        path,
        message: `${field} needs at least ${String(params['limit'])} item(s).`,
        hint: `add an entry, or remove ${field} altogether.`,
      };
    case 'uniqueItems':
      return {
        code: 'DuplicateItem',
        path,
        message: `${field} lists the same value twice.`,
        hint: 'remove the repeated entry.',
      };
    default:
      return {
        code: 'InvalidValue',
        path,
        message: `${field} ${problem.message ?? 'is not valid'}.`,
        hint: `check the value${about}.`,
      };
  }
}

function allowedKeys(problem: ErrorObject): string {
  const properties = (problem.parentSchema as { properties?: Record<string, unknown> } | undefined)
    ?.properties;
  return properties ? Object.keys(properties).join(', ') : 'see the documentation';
}

function article(type: string): string {
  const names: Record<string, string> = {
    string: 'text',
    number: 'a number',
    integer: 'a whole number',
    boolean: 'true or false',
    array: 'a list',
    object: 'a map of fields',
  };
  return names[type] ?? type;
}

function valueAt(data: unknown, path: readonly (string | number)[]): unknown {
  let node = data;
  for (const part of path) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string | number, unknown>)[part];
  }
  return node;
}

function pointerToPath(pointer: string): (string | number)[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}
