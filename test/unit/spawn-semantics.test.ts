import { describe, expect, it } from 'vitest';
import { effectiveOverride, enumerateUserOptions, mergeOverride } from '../../src/lib/spawn-semantics.ts';
import type { ProfileListEntry } from '../../src/lib/profile-list.ts';

describe("mergeOverride follows KubeSpawner's _apply_overrides and recursive_update", () => {
  it('merges dicts, removes keys set to null and prunes emptied dicts', () => {
    const target: Record<string, unknown> = {
      environment: { A: 'x', B: 'y' },
      extra_pod_config: { x: { y: 1 } },
    };
    mergeOverride(target, { environment: { A: null }, extra_pod_config: { x: { y: null } } });
    expect(target).toEqual({ environment: { B: 'y' }, extra_pod_config: {} });
  });

  it('replaces lists and scalars, and drops nested nulls in a dict that lands on an unset trait', () => {
    const target: Record<string, unknown> = { tolerations: [{ key: 'a' }], cpu_limit: 1 };
    mergeOverride(target, { tolerations: [{ key: 'b' }], cpu_limit: 2, node_selector: { a: 'b', c: null } });
    expect(target).toEqual({ tolerations: [{ key: 'b' }], cpu_limit: 2, node_selector: { a: 'b' } });
  });
});

describe('effectiveOverride', () => {
  const list: ProfileListEntry[] = [
    {
      display_name: 'A',
      slug: 'a',
      kubespawner_override: { environment: { X: '1' } },
      profile_options: {
        image: {
          display_name: 'Image',
          choices: { one: { display_name: 'One', kubespawner_override: { image: 'r/one:1' } } },
          unlisted_choice: {
            enabled: true,
            display_name: 'Other',
            display_name_in_choices: 'Other...',
            validation_regex: '^[a-z/]+:[0-9]+$',
            validation_message: '',
            kubespawner_override: { image: '{value}' },
          },
        },
      },
    },
  ];

  it('uses the first choice when none is picked and substitutes {value} for typed text', () => {
    expect(effectiveOverride(list, {})).toEqual({ environment: { X: '1' }, image: 'r/one:1' });
    expect(effectiveOverride(list, { profile: 'a', 'image--unlisted-choice': 'me/x:2' })['image']).toBe(
      'me/x:2',
    );
  });

  it("fails with KubeSpawner's messages", () => {
    expect(() => effectiveOverride(list, { profile: 'b' })).toThrow('No such profile: b. Options include: a');
    expect(() => effectiveOverride(list, { profile: 'a', 'image--unlisted-choice': 'X' })).toThrow(
      'Received unlisted_choice for image that failed validation regex.',
    );
    expect(() => effectiveOverride(list, { profile: 'a', image: 'two' })).toThrow("'two'");
  });

  it('enumerates every combination a user can pick, the custom image included', () => {
    expect(enumerateUserOptions(list[0]!)).toEqual([
      { profile: 'a', image: 'one' },
      { profile: 'a', 'image--unlisted-choice': 'quay.io/example/custom:1' },
    ]);
  });
});
