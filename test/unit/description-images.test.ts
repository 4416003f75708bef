import { describe, expect, it } from 'vitest';
import { renderDescription } from '../../src/lib/html.ts';
import { generateOutputs } from '../../src/lib/outputs.ts';
import { validateContent } from '../../src/lib/validate.ts';
import { sampleFiles, withFiles } from '../helpers/content.ts';

describe('Markdown images in descriptions', () => {
  it('become links: neither the spawn page nor the preview loads a third-party URL', () => {
    const html = renderDescription('Our logo: ![the logo](https://tracker.example/pixel.png "t") and *more*');
    expect(html).not.toContain('<img');
    expect(html).toContain(
      '<a href="https://tracker.example/pixel.png" target="_blank" rel="noopener noreferrer">the logo</a>',
    );
    expect(renderDescription('![](https://tracker.example/a.png)')).toContain(
      '>https://tracker.example/a.png</a>',
    );
    expect(renderDescription('![x](javascript:alert(1))')).not.toMatch(/href="javascript/);
  });

  it('never reach profile_list.json as <img>', async () => {
    const files = withFiles(await sampleFiles(), {
      'content/profiles/pictured.yaml':
        'display_name: Pictured\ndescription: "![logo](https://tracker.example/pixel.png)"\nimages:\n  - image: scipy\n',
    });
    const result = validateContent(files);
    expect(result.ok).toBe(true);
    expect(generateOutputs(result.resolved).profileListJson).not.toContain('<img');
  });
});
