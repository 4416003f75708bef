import { describe, expect, it } from 'vitest';
import { describeEntryChanges } from '../../src/lib/entry-changes.ts';
import { readContentFiles } from '../../src/lib/load.ts';
import { findBrokenChoices } from '../../src/lib/saved-choices.ts';
import { projectRoot } from '../helpers/content.ts';

describe('findBrokenChoices', () => {
  it('names a removed size choice, with the users who saved it when the hub says', async () => {
    const before = await readContentFiles(projectRoot);
    const after = before.map((f) =>
      f.path === 'content/profiles/data-science.yaml'
        ? { ...f, text: f.text.replace(/ {2}- key: large[\s\S]*?mem_limit: 28G\n/, '') }
        : f,
    );
    expect(findBrokenChoices(before, after)).toEqual([
      {
        where: 'data-science › size › large',
        text: 'Choice "Large: 3.5 CPU, 28 GB" removed from profile "data-science": users who saved it will be asked to choose again.',
      },
    ]);
    const usage = { users: 40, profiles: { 'data-science': { users: 30, options: { size: { large: 7 } } } } };
    expect(findBrokenChoices(before, after, {}, usage)[0]).toMatchObject({
      users: 7,
      text: expect.stringContaining('7 users have saved it'),
    });
  });

  it('says nothing for a change that removes no choice', async () => {
    const files = await readContentFiles(projectRoot);
    expect(findBrokenChoices(files, files)).toEqual([]);
  });
});

describe('describeEntryChanges', () => {
  it('lists changed, added and removed fields in words', () => {
    expect(describeEntryChanges('image: a:1\nname: x\n', 'image: a:2\ndescription: hi\n')).toEqual([
      'image: a:1 \u2192 a:2',
      'name: removed (was x)',
      'description: added (hi)',
    ]);
  });
});
