import { escapeHtml } from './html-text.ts';
import type { ProfileListEntry } from './profile-list.ts';

/**
 * Renders KubeSpawner's spawn form (the structure and field names of its templates/form.html) from a generated
 * profile list. Display strings are inserted unescaped, exactly as KubeSpawner does: the generator has already
 * escaped or sanitised them, so this shows what users will see. Used by the preview page and the CMS preview.
 */
export function renderSpawnForm(profiles: readonly ProfileListEntry[]): string {
  return `<div class="form-group" id="kubespawner-profiles-list">${profiles.map(renderProfile).join('')}</div>`;
}

/** Renders one profile card (a `<label class="profile">` with its radio, title, description and menus). */
export function renderProfile(profile: ProfileListEntry): string {
  const slug = attribute(profile.slug);
  const options = Object.entries(profile.profile_options ?? {})
    .map(([key, option]) => {
      const name = `profile-option-${slug}--${attribute(key)}`;
      const choices = Object.entries(option.choices)
        .map(
          ([choiceKey, choice]) =>
            `<option value="${attribute(choiceKey)}"${choice.default ? ' selected' : ''}>${choice.display_name}</option>`,
        )
        .join('');
      const unlisted = option.unlisted_choice?.enabled ? option.unlisted_choice : undefined;
      const other = unlisted
        ? `<option value="unlisted-choice">${unlisted.display_name_in_choices}</option>`
        : '';
      const input = unlisted
        ? `<div class="option hidden js-other-input-container"><label for="${name}--unlisted-choice">${unlisted.display_name}</label>` +
          `<input data-name="${name}--unlisted-choice" id="${name}--unlisted-choice" pattern="${unlisted.validation_regex}" ` +
          `title="${unlisted.validation_message}" class="form-control js-other-input"/></div>`
        : '';
      return (
        `<div class="js-options-container"><div class="option">` +
        `<label for="${name}" class="js-profile-option-label">${option.display_name}</label>` +
        `<select name="${name}" id="${name}" class="form-control js-profile-option-select">${choices}${other}</select>` +
        `</div>${input}</div>`
      );
    })
    .join('');
  const groups = profile.allowed_groups
    ? `<p class="preview-note">Only for the groups: ${escapeHtml(profile.allowed_groups.join(', '))}</p>`
    : '';
  return (
    `<label for="profile-item-${slug}" class="profile js-profile-label">` +
    `<div class="radio"><input type="radio" name="profile" id="profile-item-${slug}" value="${slug}"${profile.default ? ' checked' : ''}/></div>` +
    `<div><h3>${profile.display_name}</h3>${profile.description ? `<p>${profile.description}</p>` : ''}${groups}${options}</div>` +
    `</label>`
  );
}

/** Slugs and keys are validated slugs already; escaping is a second line of defence for attributes. */
function attribute(text: string): string {
  return escapeHtml(text);
}
