import type { Entry } from '../catalog.ts';
import { error } from '../issues.ts';
import type { FieldPath } from '../model.ts';
import type { ProfileInput } from '../schema/profile.ts';
import { locate, type Rule, type RuleContext } from './context.ts';

/** Every image and node group a profile names exists, and none is listed twice. */
export const checkProfileReferences: Rule = (context) => {
  for (const entry of context.catalog.profiles) {
    const p = entry.data;
    const images: [string, FieldPath][] = (p.images ?? []).map((item, i) => [
      item.image,
      ['images', i, 'image'],
    ]);
    const groups: [string, FieldPath][] = (p.node_groups ?? []).map((item, i) => [
      item.node_group,
      ['node_groups', i, 'node_group'],
    ]);
    checkList(context, entry, images, 'image');
    checkList(context, entry, groups, 'node group');
    (p.options ?? []).forEach((option, o) =>
      option.choices.forEach((choice, c) => {
        if (choice.image !== undefined)
          checkList(context, entry, [[choice.image, ['options', o, 'choices', c, 'image']]], 'image');
        if (choice.node_group !== undefined) {
          checkList(
            context,
            entry,
            [[choice.node_group, ['options', o, 'choices', c, 'node_group']]],
            'node group',
          );
        }
      }),
    );
  }
};

function checkList(
  { catalog, issues }: RuleContext,
  entry: Entry<ProfileInput>,
  items: [string, FieldPath][],
  what: 'image' | 'node group',
): void {
  const known = what === 'image' ? catalog.ids.images : catalog.ids.nodeGroups;
  const folder = what === 'image' ? 'content/images/' : 'content/node-groups/';
  const seen = new Set<string>();
  for (const [id, path] of items) {
    if (!known.has(id)) {
      issues.push(
        error(
          what === 'image' ? 'UnknownImage' : 'UnknownNodeGroup',
          locate(entry, path),
          `Profile "${entry.id}" offers ${what} "${id}", but ${folder} has no ${what} with that id.`,
          what === 'image'
            ? `pick an existing image in /admin, or add ${folder}${id}.yaml.`
            : 'pick one of the node groups your infrastructure admins provide (content/node-groups/).',
        ),
      );
    }
    if (seen.has(id)) {
      issues.push(
        error(
          what === 'image' ? 'DuplicateImage' : 'DuplicateNodeGroup',
          locate(entry, path),
          `Profile "${entry.id}" lists the ${what} "${id}" twice; the menu would show it twice under the same key.`,
          'remove the second entry.',
        ),
      );
    }
    seen.add(id);
  }
}
