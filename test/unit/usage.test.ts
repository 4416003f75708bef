import { describe, expect, it } from 'vitest';
import { createCached } from '../../src/hub-api/cached.ts';
import { closestNames, editDistance } from '../../src/lib/closest-names.ts';
import { aggregateUsage, savedChoices } from '../../src/lib/usage.ts';
import { savedBy } from '../../src/server/usage-snapshots.ts';
import { validateContent } from '../../src/lib/validate.ts';
import { sampleFiles } from '../helpers/content.ts';

describe('aggregateUsage', () => {
  it('counts each user once per profile and choice, however many servers they started with it', () => {
    const usage = aggregateUsage([
      {
        name: 'a',
        servers: {
          '': { user_options: { profile: 'p', size: 'small' } },
          two: { user_options: { profile: 'p', size: 'small' } },
        },
      },
      { name: 'b', servers: { '': { user_options: { profile: 'p', size: 'large' } } } },
      { name: 'c', servers: {} },
      { name: 'c', servers: { '': { user_options: { profile: 'p' } } } }, // listed twice across pages
    ]);
    expect(usage).toEqual({
      users: 3,
      servers: 3,
      profiles: { p: { users: 2, servers: 3, options: { size: { small: 1, large: 1 } } } },
    });
  });

  it('ignores servers without a saved profile (they start the default) and odd values from API clients', () => {
    const usage = aggregateUsage([
      { name: 'a', servers: { '': { user_options: {} } } },
      { name: 'b', servers: { '': { user_options: null } } },
      { name: 'c', servers: { '': { user_options: { profile: '' } } } },
      { name: 'd', servers: { '': { user_options: { profile: 'p', size: { nested: 1 }, node: '' } } } },
      { name: 'e' },
    ]);
    expect(usage).toEqual({ users: 5, servers: 1, profiles: { p: { users: 1, servers: 1, options: {} } } });
  });
});

describe('savedChoices', () => {
  it('reads a typed value as "unlisted-choice", which wins over a choice key sent with it (as in KubeSpawner)', () => {
    expect(savedChoices({ profile: 'p', image: 'scipy', 'image--unlisted-choice': 'quay.io/x/y:1' })).toEqual(
      [['image', 'unlisted-choice']],
    );
    expect(savedChoices({ profile: 'p', image: 'scipy', 'image--unlisted-choice': '' })).toEqual([
      ['image', 'scipy'],
    ]);
  });
});

describe('closestNames', () => {
  it('suggests the existing groups nearest to a misspelt one, best first', () => {
    const groups = ['workshop-2026', 'workshop-2025', 'ml-research', 'staff'];
    expect(closestNames('workshop-2062', groups)).toEqual(['workshop-2026', 'workshop-2025']);
    expect(closestNames('ml-reserch', groups)).toEqual(['ml-research']);
    expect(closestNames('Staff', groups)).toEqual(['staff']);
    expect(closestNames('physics', groups)).toEqual([]);
    expect(editDistance('ab', 'ba')).toBe(1);
  });
});

describe('the UnknownHubGroup rule', () => {
  it('warns only when the hub groups are known, pointing at the entry and naming the closest group', async () => {
    const files = await sampleFiles();
    expect(validateContent(files).issues.filter((i) => i.code === 'UnknownHubGroup')).toEqual([]);
    expect(validateContent(files, { hubGroups: ['ml-research'] }).issues).toEqual([]);
    const issues = validateContent(files, { hubGroups: ['ml-researchers', 'staff'] }).issues;
    expect(issues).toEqual([
      expect.objectContaining({
        code: 'UnknownHubGroup',
        severity: 'warning',
        file: 'content/profiles/gpu.yaml',
        field: 'allowed_groups[0]',
        hint: 'did you mean "ml-researchers"?',
      }),
    ]);
  });
});

describe('createCached', () => {
  it('serves fresh answers from memory, stale ones at once while reading again, and failures as unknown', async () => {
    let clock = 0;
    let calls = 0;
    let fail = false;
    const cached = createCached(
      async () => {
        calls += 1;
        if (fail) throw new Error('hub down');
        return calls;
      },
      { freshMs: 10, keepMs: 100, now: () => clock },
    );
    expect(cached.peek()).toEqual({ ok: false, reason: 'The hub has not answered yet.' });
    expect(await cached.get()).toMatchObject({ ok: true, value: 1 });
    clock = 5;
    expect(await cached.get()).toMatchObject({ ok: true, value: 1 });
    expect(calls).toBe(1);
    clock = 20; // stale: the old answer at once, a new read behind it
    expect(await cached.get()).toMatchObject({ ok: true, value: 1 });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(await cached.get()).toMatchObject({ ok: true, value: 2 });
    fail = true;
    clock = 50;
    expect(await cached.get()).toMatchObject({ ok: true, value: 2 }); // kept while the hub fails
    clock = 200;
    expect(await cached.get()).toEqual({ ok: false, reason: 'hub down' });
  });

  it('tells a caller that waited long enough that the answer is unknown, without throwing', async () => {
    const cached = createCached(() => new Promise<number>(() => undefined), { waitMs: 5 });
    expect(await cached.get()).toEqual({
      ok: false,
      reason: 'The hub is slow to answer; try again shortly.',
    });
  });
});

describe('savedBy', () => {
  it('reads the users of a removed profile, menu or choice as the history names them', () => {
    const usage = aggregateUsage([
      { name: 'a', servers: { '': { user_options: { profile: 'p', size: 'small' } } } },
      { name: 'b', servers: { '': { user_options: { profile: 'p', size: 'large' } } } },
    ]);
    expect(savedBy(usage, 'p')).toBe(2);
    expect(savedBy(usage, 'p › size')).toBe(2);
    expect(savedBy(usage, 'p › size › small')).toBe(1);
    expect(savedBy(usage, 'p › size › huge')).toBe(0);
    expect(savedBy(usage, 'gone')).toBe(0);
  });
});
