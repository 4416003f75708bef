import { warning } from '../issues.ts';
import { closestNames } from '../closest-names.ts';
import type { FieldPath } from '../model.ts';
import { locate, type Rule } from './context.ts';

/**
 * `allowed_groups` name groups the hub has (only when the caller lent the hub's groups). A misspelt group hides
 * the profile or choice from everyone but hub admins, and admins see everything, so nobody would notice.
 */
export const checkHubGroups: Rule = ({ hubGroups, resolved, profileByFile, issues }) => {
  if (!hubGroups) return;
  const known = new Set(hubGroups);
  for (const profile of resolved.profiles) {
    const entry = profileByFile.get(profile.file);
    if (!entry) continue;
    const check = (groups: readonly string[], at: FieldPath, what: string) =>
      groups.forEach((group, index) => {
        if (known.has(group)) return;
        const closest = closestNames(group, hubGroups);
        issues.push(
          warning(
            'UnknownHubGroup',
            locate(entry, [...at, 'allowed_groups', index]),
            `${what} is limited to the group "${group}", but the hub has no such group, so only hub admins would see it.`,
            closest.length > 0
              ? `did you mean ${closest.map((c) => `"${c}"`).join(' or ')}?`
              : `the hub's groups are: ${hubGroups.length > 0 ? hubGroups.join(', ') : '(none)'}; create the group in JupyterHub, or correct the name.`,
          ),
        );
      });
    check(profile.allowedGroups, [], `Profile "${profile.id}"`);
    for (const option of profile.options) {
      for (const choice of option.choices) {
        check(choice.allowedGroups, choice.at, `The choice "${choice.key}" of "${profile.id}"`);
      }
    }
  }
};
