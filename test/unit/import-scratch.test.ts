import { readFileSync, readdirSync } from 'node:fs';
import { it } from 'vitest';
import { parse } from 'yaml';
import { importProfileList } from '/work/main/src/lib/import/index.ts';
import { validateContent } from '/work/main/src/lib/validate.ts';
import { generateOutputs } from '/work/main/src/lib/outputs.ts';
import { profileListMeaning } from '/work/main/test/helpers/meaning.ts';
import { isDeepStrictEqual } from 'node:util';

const dir = '/work/shared/fixtures/real-profile-lists';
it('tries', () => {
  for (const name of readdirSync(dir).sort()) {
    const text = readFileSync(`${dir}/${name}`, 'utf8');
    const r = importProfileList(text, { fileName: name });
    const v = validateContent(r.files, {
      advancedAllowedKeys: ['image_pull_policy', 'working_dir', 'init_containers'],
    });
    const errors = v.issues.filter((i) => i.severity === 'error');
    const out = generateOutputs(v.resolved);
    const orig = profileListMeaning(
      (parse(text, { merge: true }) as { profileList: unknown[] }).profileList,
      r.keyMap,
    );
    const mine = profileListMeaning(out.profileList);
    const same = isDeepStrictEqual(orig, mine);
    console.log(
      `${name}: files=${r.files.length} importIssues=${r.issues.map((i) => i.code).join(',')} valErr=${errors.map((e) => e.code + ' ' + e.file + ' ' + e.message).join(' | ')} valWarn=${v.issues
        .filter((i) => i.severity === 'warning')
        .map((i) => i.code)
        .join(',')} same=${same}`,
    );
    if (!same && process.env.SHOW === name) {
      console.log(JSON.stringify(orig, null, 1).slice(0, 3000));
      console.log(JSON.stringify(mine, null, 1).slice(0, 3000));
    }
  }
});
