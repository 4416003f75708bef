/** Hostile YAML texts, built here rather than stored, so the tests show exactly what they are. */

/**
 * The profile of issue 11: `advanced.args` holds `levels` nested aliases, each repeating the previous one ten
 * times (10^levels strings once expanded, from about 1.6 KB of YAML). Line 4 holds the first alias.
 */
export function aliasBomb(levels = 6): string {
  const lines = [
    'display_name: Bomb',
    'advanced:',
    '  args:',
    `    - &a0 [${Array(10).fill('lol').join(', ')}]`,
  ];
  for (let level = 1; level <= levels; level++) {
    lines.push(
      `    - &a${level} [${Array(10)
        .fill(`*a${level - 1}`)
        .join(', ')}]`,
    );
  }
  // The first alias is on line 5 (line 4 only defines &a0).
  return `${lines.join('\n')}\n`;
}

/** A profile whose `advanced.args` nests `depth` flow lists (`[[[...]]]`), on line 3. */
export function deepYaml(depth: number): string {
  return `display_name: Deep\nadvanced:\n  args: ${'['.repeat(depth)}x${']'.repeat(depth)}\n`;
}
