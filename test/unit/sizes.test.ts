import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseMemory } from '../../src/lib/quantities.ts';
import type { NodeGroupInput } from '../../src/lib/schema/node-group.ts';
import type { ProfileInput } from '../../src/lib/schema/profile.ts';
import { generateSizeChoices } from '../../src/lib/sizes/generate.ts';
import { sizesForNodeGroup, withGeneratedSizes } from '../../src/lib/sizes/profile.ts';
import { validateContent } from '../../src/lib/validate.ts';
import { sampleFiles, withFiles } from '../helpers/content.ts';

const GIB = 2 ** 30;

describe('generateSizeChoices', () => {
  const sizes = generateSizeChoices(
    { cpu: 4, memoryBytes: 32 * GIB },
    { nodeGroup: 'r5-xlarge', floorBytes: 2 * GIB },
  );

  it('offers the usable node whole, then halves down to the floor, smallest first and default', () => {
    expect(sizes.map((s) => s.key)).toEqual(['mem-3-8', 'mem-7-6', 'mem-15-2', 'mem-30-4']);
    expect(sizes.map((s) => s.default)).toEqual([true, undefined, undefined, undefined]);
    expect(sizes.every((s) => s.node_group === 'r5-xlarge')).toBe(true);
  });

  it('guarantees memory up to its limit, CPU in proportion, and lets CPU burst to the whole node', () => {
    // 5% of the node is kept for system pods: 30.4 GiB and 3.8 CPUs are usable.
    expect(sizes[3]?.size).toEqual({
      mem_guarantee: '30.4G',
      mem_limit: '30.4G',
      cpu_guarantee: 3.8,
      cpu_limit: 4,
    });
    expect(sizes[0]?.size).toEqual({
      mem_guarantee: '3.8G',
      mem_limit: '3.8G',
      cpu_guarantee: 0.475,
      cpu_limit: 4,
    });
    expect(sizes[0]?.display_name).toBe('~3.8 GiB RAM, ~0.5 CPUs, up to 4 CPUs');
    for (const size of sizes) {
      const bytes = parseMemory(size.size.mem_guarantee!)!.bytes;
      expect(bytes).toBeLessThanOrEqual(32 * GIB * 0.95);
    }
  });

  it('never splits a GPU: halving stops where a share would get part of one', () => {
    const one = generateSizeChoices({ cpu: 4, memoryBytes: 16 * GIB, gpus: 1 }, { nodeGroup: 'g4dn' });
    expect(one.map((s) => [s.key, s.size.gpus])).toEqual([['gpu-1-mem-15-2', 1]]);
    const four = generateSizeChoices({ cpu: 48, memoryBytes: 192 * GIB, gpus: 4 }, { nodeGroup: 'g4dn-12x' });
    expect(four.map((s) => s.size.gpus)).toEqual([1, 2, 4]);
    expect(four[0]?.display_name).toMatch(/^1 GPU, ~45\.6 GiB RAM/);
  });

  it('writes memory below 1 GiB in MiB, keeps keys unique, and gives nothing for a node below the floor', () => {
    const small = generateSizeChoices(
      { cpu: 1, memoryBytes: 2 * GIB },
      { nodeGroup: 'tiny', floorBytes: 256 * 2 ** 20, overheadFraction: 0 },
    );
    expect(small.map((s) => s.size.mem_limit)).toEqual(['256M', '512M', '1G', '2G']);
    expect(new Set(small.map((s) => s.key)).size).toBe(4);
    expect(
      generateSizeChoices({ cpu: 1, memoryBytes: GIB }, { nodeGroup: 'tiny', floorBytes: 2 * GIB }),
    ).toEqual([]);
  });

  it('prefixes keys so that several node groups can share one menu', () => {
    const keys = generateSizeChoices(
      { cpu: 4, memoryBytes: 32 * GIB },
      { nodeGroup: 'small', keyPrefix: 'small', floorBytes: 15 * GIB },
    ).map((s) => s.key);
    expect(keys).toEqual(['small-mem-15-2', 'small-mem-30-4']);
  });
});

describe('sizes in profiles', () => {
  const groups: Record<string, NodeGroupInput> = {
    small: { display_name: 'Small', node_selector: { t: 'small' }, capacity: { cpu: 3.92, memory: '30Gi' } },
    large: {
      display_name: 'Large',
      node_selector: { t: 'large' },
      capacity: { cpu: '15890m', memory: '124Gi' },
    },
    bare: { display_name: 'Bare', node_selector: { t: 'bare' } },
  };

  it('gives the CMS the sizes of a node group in the shape of a profile\u2019s sizes', () => {
    const { sizes, problems } = sizesForNodeGroup('small', groups['small']!, { floor: '4G' });
    expect(problems).toEqual([]);
    expect(sizes[0]).toEqual({
      key: 'mem-7-1',
      display_name: '~7.1 GiB RAM, ~0.9 CPUs, up to 3.9 CPUs',
      default: true,
      mem_guarantee: '7.12G',
      mem_limit: '7.12G',
      cpu_guarantee: 0.931,
      cpu_limit: 3.92,
    });
    expect(sizesForNodeGroup('bare', groups['bare']!).problems[0]).toContain('states no CPU capacity');
    expect(sizesForNodeGroup('small', groups['small']!, { floor: '4 GB' }).problems[0]).toContain(
      'not a memory amount',
    );
  });

  it('puts one node group\u2019s sizes into sizes, replacing a fixed size, and lists the keys that disappear', () => {
    const profile: ProfileInput = {
      display_name: 'P',
      node_groups: [{ node_group: 'small' }],
      size: { mem_limit: '1G' },
      sizes: [{ key: 'tiny', display_name: 'Tiny', mem_limit: '1G' }],
    };
    const plan = withGeneratedSizes(profile, groups, { floor: '8G' });
    expect(plan.problems).toEqual([]);
    expect(plan.profile.size).toBeUndefined();
    expect(plan.profile.node_groups).toEqual([{ node_group: 'small' }]);
    expect(plan.profile.sizes?.map((s) => s.key)).toEqual(['mem-14-2', 'mem-28-5']);
    expect(plan.removedKeys).toEqual(['size=tiny']);
  });

  it('folds several node groups into one general menu whose choices pin their node group', async () => {
    const files = await sampleFiles();
    const profile = parse(
      files.find((f) => f.path === 'content/profiles/data-science.yaml')!.text,
    ) as ProfileInput;
    const plan = withGeneratedSizes(profile, groups, { floor: '8G' });
    expect(plan.profile.node_groups).toBeUndefined();
    expect(plan.profile.sizes).toBeUndefined();
    const menu = plan.profile.options?.find((o) => o.key === 'size');
    expect(menu?.choices.map((c) => `${c.node_group} ${c.key}${c.default ? ' (default)' : ''}`)).toEqual([
      'small small-mem-14-2 (default)',
      'small small-mem-28-5',
      'large large-mem-14-7',
      'large large-mem-29-4',
      'large large-mem-58-9',
      'large large-mem-117-8',
    ]);
    expect(plan.removedKeys).toEqual(['size=small', 'size=medium', 'size=large', 'node=small', 'node=large']);
    const changed = withFiles(files, { 'content/profiles/data-science.yaml': plan.profile });
    const result = validateContent(changed);
    expect(result.issues.filter((i) => i.severity === 'error')).toEqual([]);
  });

  it('replaces the choices of a named menu and keeps its label', () => {
    const profile: ProfileInput = {
      display_name: 'P',
      options: [{ key: 'resources', display_name: 'Resource allocation', choices: [] }],
    };
    const plan = withGeneratedSizes(profile, groups, {
      nodeGroupIds: ['large'],
      menu: 'resources',
      floor: '64G',
    });
    expect(plan.profile.options).toEqual([
      {
        key: 'resources',
        display_name: 'Resource allocation',
        choices: [expect.objectContaining({ key: 'mem-117-8', node_group: 'large', default: true })],
      },
    ]);
  });

  it('explains why nothing could be generated', () => {
    expect(withGeneratedSizes({ display_name: 'P' }, groups).problems[0]).toContain('has no node group');
    expect(
      withGeneratedSizes({ display_name: 'P' }, groups, { nodeGroupIds: ['nope'] }).problems[0],
    ).toContain('no node group "nope"');
    expect(
      withGeneratedSizes({ display_name: 'P' }, groups, { nodeGroupIds: ['small'], floor: '64G' })
        .problems[0],
    ).toContain('smaller than the floor');
  });
});
