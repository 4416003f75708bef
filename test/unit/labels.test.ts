import { beforeAll, describe, expect, it } from 'vitest';
import { buildCmsConfig } from '../../src/lib/cms/config.ts';
import type { Issue } from '../../src/lib/issues.ts';
import { issueInFormWords, labelPath, learnFieldLabels } from '../../src/admin/labels.ts';
import { validateContent } from '../../src/lib/validate.ts';

beforeAll(() => learnFieldLabels(buildCmsConfig({ base: '/' })));

describe('checks in the editor name fields as the form does', () => {
  it('turns YAML paths into the form\u2019s labels, items counted from 1', () => {
    expect(labelPath('images', 'display_name')).toBe('Display name');
    expect(labelPath('profiles', 'images[0].image')).toBe('Images \u203a 1 \u203a Image');
    expect(labelPath('profiles', 'node_groups[2].node_group')).toBe('Node groups \u203a 3 \u203a Node group');
    // Not on the form (a free-form map, or no such field): the path stays as it is.
    expect(labelPath('profiles', 'no_such_field')).toBeUndefined();
    expect(labelPath('profiles', '')).toBeUndefined();
  });

  it('words a real missing display name with its label, and says what to do', () => {
    const { issues } = validateContent([
      { path: 'content/images/x.yaml', text: 'image: quay.io/jupyter/base-notebook:2024-05-27\n' },
    ]);
    const missing = issues.find((i) => i.code === 'MissingField' && i.file === 'content/images/x.yaml');
    expect(missing?.message).toContain('"display_name"');
    const words = issueInFormWords('images', missing!);
    expect(words.message).toContain('\u201cDisplay name\u201d');
    expect(words.message).not.toContain('display_name');
    expect(words.hint).toBe('fill in \u201cDisplay name\u201d.');
  });

  it('names the place of a nested issue, and leaves words that are not fields alone', () => {
    const issue: Issue = {
      code: 'MissingField',
      severity: 'error',
      file: 'content/profiles/p.yaml',
      field: 'images[0]',
      message: 'The required field "image" is missing in images[0]. "nothing" is not a field.',
      hint: 'add image.',
    };
    expect(issueInFormWords('profiles', issue)).toEqual({
      where: 'Images \u203a 1',
      message:
        'The required field \u201cImage\u201d is missing in Images \u203a 1. "nothing" is not a field.',
      hint: 'fill in \u201cImage\u201d.',
    });
  });
});
