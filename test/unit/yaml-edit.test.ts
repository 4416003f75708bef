import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { removeYamlKey, setYamlValue, updateYamlText } from '../../src/lib/yaml-edit.ts';

const rewrite = (data: unknown) => stringify(data);

function changedLines(before: string, after: string): number {
  const a = before.split('\n');
  const b = after.split('\n');
  if (a.length !== b.length) return Math.abs(a.length - b.length) + 1000;
  return a.filter((line, i) => line !== b[i]).length;
}

describe('updateYamlText', () => {
  it('changes one field as a one-line change, keeping comments, quotes and key order', async () => {
    const text = await readFile('content/profiles/data-science.yaml', 'utf8');
    const data = parse(text) as { sizes: { display_name: string }[] };
    data.sizes[1]!.display_name = 'Medium: 2 CPU, 8 GB RAM';
    const out = updateYamlText(text, data, rewrite);
    expect(changedLines(text, out)).toBe(1);
    expect(out).toContain("display_name: 'Medium: 2 CPU, 8 GB RAM'");
    expect(parse(out)).toEqual(data);
  });

  it("keeps 'yes' quoted and a trailing comment when a neighbouring value changes", () => {
    const text = "environment:\n  - { name: A, value: 'yes' } # keep\nimage: a:1 # pinned\n";
    const out = updateYamlText(text, { environment: [{ name: 'A', value: 'yes' }], image: 'a:2' }, rewrite);
    expect(out).toBe("environment:\n  - { name: A, value: 'yes' } # keep\nimage: a:2 # pinned\n");
  });

  it('adds a key in data order and removes one, leaving other lines alone', () => {
    const text = '# An image\ndisplay_name: SciPy\nimage: quay.io/a:1 # pinned\n';
    const out = updateYamlText(
      text,
      { display_name: 'SciPy', description: 'Hi', image: 'quay.io/a:1' },
      rewrite,
    );
    expect(out).toBe('# An image\ndisplay_name: SciPy\ndescription: Hi\nimage: quay.io/a:1 # pinned\n');
    const removed = updateYamlText(out, { display_name: 'SciPy', image: 'quay.io/a:1' }, rewrite);
    expect(removed).toBe(text);
  });

  it('appends a list item in the file’s own list style', () => {
    const text = 'images:\n- image: a\n  default: true\n- image: b\n';
    const out = updateYamlText(
      text,
      { images: [{ image: 'a', default: true }, { image: 'b' }, { image: 'c' }] },
      rewrite,
    );
    expect(out).toBe('images:\n- image: a\n  default: true\n- image: b\n- image: c\n');
  });

  it('rewrites text that is not a YAML map with the fallback', () => {
    expect(updateYamlText('- a\n', { a: 1 }, rewrite)).toBe('a: 1\n');
  });
});

describe('setYamlValue', () => {
  it('bumps an image tag as a one-line change', () => {
    const text = "display_name: 'SciPy'\nimage: quay.io/jupyter/scipy-notebook:2024-03-18 # monthly\n";
    expect(setYamlValue(text, ['image'], 'quay.io/jupyter/scipy-notebook:2024-05-27')).toBe(
      "display_name: 'SciPy'\nimage: quay.io/jupyter/scipy-notebook:2024-05-27 # monthly\n",
    );
  });

  it('keeps double quotes of a quoted value', () => {
    expect(setYamlValue('tag: "2024-03-18"\n', ['tag'], '2024-05-27')).toBe('tag: "2024-05-27"\n');
  });
});

describe('removeYamlKey', () => {
  it('removes one key as a one-line change, comments and quoting kept', () => {
    const before = "# the main profile\ndisplay_name: 'Data science' # shown\ndefault: true\norder: 10\n";
    expect(removeYamlKey(before, 'default')).toBe(
      "# the main profile\ndisplay_name: 'Data science' # shown\norder: 10\n",
    );
    expect(removeYamlKey(before, 'missing')).toBe(before);
  });
});
