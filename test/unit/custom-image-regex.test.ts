import { describe, expect, it } from 'vitest';
import { javascriptProblem } from '../../src/lib/rules/custom-image.ts';
import { checkPythonRegexSyntax } from '../../src/lib/python-regex.ts';
import { DEFAULT_CUSTOM_IMAGE_REGEX } from '../../src/lib/schema/profile.ts';

describe('the default custom-image pattern', () => {
  it('compiles as a browser pattern (v flag) and in Python', () => {
    expect(javascriptProblem(DEFAULT_CUSTOM_IMAGE_REGEX)).toBeUndefined();
    expect(checkPythonRegexSyntax([DEFAULT_CUSTOM_IMAGE_REGEX])).toEqual(new Map());
  });

  const browser = new RegExp(`^(?:${DEFAULT_CUSTOM_IMAGE_REGEX})$`, 'v');
  it.each([
    'quay.io/jupyter/scipy-notebook:2024-03-18',
    'docker.io/rocker/binder:4.3',
    'localhost:5000/a/b:v1',
    'ghcr.io/org/img:cuda12_1.0',
  ])('accepts %s', (reference) => expect(browser.test(reference)).toBe(true));
  it.each([
    'ubuntu',
    'quay.io/a/b',
    'quay.io/a/b:',
    'Quay.io/a:b',
    'a:b" onmouseover="x',
    'a:{value}',
    'a b:c',
  ])('refuses %s', (reference) => expect(browser.test(reference)).toBe(false));
});

describe('checkPythonRegexSyntax', () => {
  it('reports what Python cannot compile and nothing else', () => {
    const result = checkPythonRegexSyntax(['^a+$', '^(?<n>a)$', '[']);
    expect([...(result?.keys() ?? [])].sort()).toEqual(['[', '^(?<n>a)$'].sort());
  });
});
