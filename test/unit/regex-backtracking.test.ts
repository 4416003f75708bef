import { describe, expect, it } from 'vitest';
import { NODE_CHECKS } from '../../src/lib/node-checks.ts';
import { checkRegexBacktracking } from '../../src/lib/regex-backtracking.ts';
import { DEFAULT_CUSTOM_IMAGE_REGEX } from '../../src/lib/schema/profile.ts';
import { validateContent } from '../../src/lib/validate.ts';
import { sampleFiles, withFiles } from '../helpers/content.ts';

const FILE = 'content/profiles/custom.yaml';
const profile = (regex: string) =>
  `display_name: Custom\nimages:\n  - image: scipy\ncustom_image:\n  enabled: true\n  validation_regex: '${regex}'\n`;
const errorsFor = async (regex: string) =>
  validateContent(withFiles(await sampleFiles(), { [FILE]: profile(regex) }), NODE_CHECKS).issues.filter(
    (i) => i.file === FILE && i.severity === 'error',
  );

describe('custom-image patterns that backtrack catastrophically (recheck)', () => {
  it.each(['^(a+)+$', '^([a-z0-9]+[.\\/:\\-]?)+:[a-z0-9]+$'])(
    'refuses %s with a hint',
    async (regex) => {
      const errors = await errorsFor(regex);
      expect(errors).toMatchObject([
        { code: 'RegexBacktracking', field: 'custom_image.validation_regex', line: 6 },
      ]);
      expect(errors[0]!.message).toMatch(/grows exponentially/);
      expect(errors[0]!.hint).toMatch(/repetition inside a repetition/);
    },
    20_000,
  );

  it('accepts the default pattern, the sample content and the quadratic ^.+:.+$ of real profile lists', async () => {
    expect(validateContent(await sampleFiles(), NODE_CHECKS).ok).toBe(true);
    expect(await errorsFor('^.+:.+$')).toEqual([]);
    expect(
      checkRegexBacktracking([
        DEFAULT_CUSTOM_IMAGE_REGEX,
        '^[a-z0-9.\\-]+(/[a-z0-9._\\-]+)+:[A-Za-z0-9._\\-]+$',
      ]).size,
    ).toBe(0);
  }, 20_000);
});
