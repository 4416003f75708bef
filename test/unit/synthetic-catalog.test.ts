import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { checkPythonRegexSyntax } from '../../src/lib/python-regex.ts';
import { validateContent } from '../../src/lib/validate.ts';
import { syntheticCatalog } from '../../scripts/synthetic-catalog.ts';

describe('syntheticCatalog', () => {
  const files = syntheticCatalog(100, 20);

  it('gives valid content for 100 images and 20 profiles, with no errors', () => {
    const result = validateContent(files, { checkPythonRegex: checkPythonRegexSyntax });
    expect(result.issues.filter((issue) => issue.severity === 'error')).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.catalog.images).toHaveLength(100);
    expect(result.catalog.profiles).toHaveLength(20);
    expect(result.catalog.nodeGroups).toHaveLength(10);
  });

  it('is byte-identical between two calls', () => {
    expect(syntheticCatalog(100, 20)).toEqual(files);
  });

  it('offers 5 to 10 images per profile, exactly one of them the default', () => {
    for (const file of files.filter((f) => f.path.startsWith('content/profiles/'))) {
      const profile = parse(file.text) as { images: { default?: boolean }[] };
      expect(profile.images.length).toBeGreaterThanOrEqual(5);
      expect(profile.images.length).toBeLessThanOrEqual(10);
      expect(profile.images.filter((image) => image.default === true)).toHaveLength(1);
    }
  });
});
