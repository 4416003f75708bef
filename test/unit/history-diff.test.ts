import { describe, expect, it } from 'vitest';
import { diffProfileLists } from '../../src/lib/history-diff.ts';
import { generateOutputs } from '../../src/lib/outputs.ts';
import { validateContent } from '../../src/lib/validate.ts';
import { sampleFiles, withFiles } from '../helpers/content.ts';

const files = await sampleFiles();
const file = 'content/profiles/allocations.yaml';

/** The generated list of the sample content plus one hand-written profile with 2i2c-style keys. */
function listWith(profile: Record<string, unknown>) {
  const result = validateContent(withFiles(files, { [file]: profile }));
  expect(result.issues.filter((i) => i.severity === 'error')).toEqual([]);
  return generateOutputs(result.resolved).profileList;
}

const allocations = (slug: string, keys: string[], limit = '2G') => ({
  display_name: 'Allocations',
  slug,
  order: 40,
  options: [
    {
      key: 'resource_allocation',
      display_name: 'Resource allocation',
      choices: keys.map((key) => ({ key, display_name: key, size: { mem_limit: limit } })),
    },
  ],
});

describe('history diffs of keys kept verbatim', () => {
  it('names a changed choice by its keys as users saved them', () => {
    const changes = diffProfileLists(
      listWith(allocations('GPU_Large', ['mem_2_gb', '02-R'])),
      listWith(allocations('GPU_Large', ['mem_2_gb', '02-R'], '3G')),
    );
    expect(changes.map((c) => [c.kind, c.where, c.affectsSavedChoices])).toEqual([
      ['changed', 'GPU_Large › resource_allocation › mem_2_gb', false],
      ['changed', 'GPU_Large › resource_allocation › 02-R', false],
    ]);
    expect(changes[0]?.details).toEqual(['mem limit: 2G → 3G']);
  });

  it('warns that renaming or re-casing a key drops what users saved', () => {
    const changes = diffProfileLists(
      listWith(allocations('GPU_Large', ['mem_2_gb', '02-R'])),
      listWith(allocations('GPU_Large', ['mem-2-gb', '02-r'])),
    );
    expect(changes.filter((c) => c.kind === 'removed').map((c) => [c.where, c.affectsSavedChoices])).toEqual([
      ['GPU_Large › resource_allocation › mem_2_gb', true],
      ['GPU_Large › resource_allocation › 02-R', true],
    ]);
    expect(changes.filter((c) => c.kind === 'added').map((c) => c.where)).toEqual([
      'GPU_Large › resource_allocation › mem-2-gb',
      'GPU_Large › resource_allocation › 02-r',
    ]);
  });

  it('treats a changed slug field as a profile users must pick again, though the file stays the same', () => {
    const changes = diffProfileLists(
      listWith(allocations('GPU_Large', ['mem_2_gb'])),
      listWith(allocations('gpu_large', ['mem_2_gb'])),
    );
    expect(changes.map((c) => [c.kind, c.where, c.affectsSavedChoices])).toEqual([
      ['removed', 'GPU_Large', true],
      ['added', 'gpu_large', false],
    ]);
  });
});
