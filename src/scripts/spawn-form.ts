import type { ProfileListEntry } from '../lib/profile-list.ts';
import { effectiveOverride, type UserOptions } from '../lib/spawn-semantics.ts';

/**
 * The spawn form's behaviour without a hub: picking a menu selects its profile, "Other..." swaps the menu for
 * the text field (moving the `name` attribute as KubeSpawner's script does), and the panel shows what
 * KubeSpawner would start for the current choice.
 */
export function setUpSpawnForm(
  form: HTMLFormElement,
  profiles: ProfileListEntry[],
  result: HTMLElement,
): void {
  const update = () => {
    try {
      result.textContent = JSON.stringify(effectiveOverride(profiles, readUserOptions(form)), null, 2);
      result.dataset['state'] = 'ok';
    } catch (problem) {
      result.textContent = `KubeSpawner would refuse this: ${problem instanceof Error ? problem.message : String(problem)}`;
      result.dataset['state'] = 'error';
    }
  };
  for (const select of form.querySelectorAll<HTMLSelectElement>('.js-profile-option-select')) {
    select.dataset['name'] = select.name;
    const pickProfile = () => {
      const radio = select.closest('.js-profile-label')?.querySelector<HTMLInputElement>('input[type=radio]');
      if (radio) radio.checked = true;
    };
    select.addEventListener('focus', pickProfile);
    select.addEventListener('click', pickProfile);
    select.addEventListener('change', () => {
      toggleUnlisted(select);
      update();
    });
    toggleUnlisted(select);
  }
  form.addEventListener('change', update);
  form.addEventListener('input', update);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    update();
  });
  update();
}

function toggleUnlisted(select: HTMLSelectElement): void {
  const container = select
    .closest('.js-options-container')
    ?.querySelector<HTMLElement>('.js-other-input-container');
  const input = container?.querySelector<HTMLInputElement>('.js-other-input');
  if (!container || !input) return;
  const other = select.value === 'unlisted-choice';
  if (other) {
    select.removeAttribute('name');
    input.name = input.dataset['name'] ?? '';
  } else {
    select.name = select.dataset['name'] ?? '';
    input.removeAttribute('name');
  }
  container.classList.toggle('hidden', !other);
}

/** KubeSpawner's `options_from_form`: the checked profile, then the fields prefixed with its slug. */
export function readUserOptions(form: HTMLFormElement): UserOptions {
  const data = new FormData(form);
  const profile = data.get('profile');
  if (typeof profile !== 'string' || profile === '') return {};
  const options: UserOptions = { profile };
  const prefix = `profile-option-${profile}--`;
  for (const [name, value] of data.entries()) {
    if (name.startsWith(prefix) && typeof value === 'string' && !(name.slice(prefix.length) in options)) {
      options[name.slice(prefix.length)] = value;
    }
  }
  return options;
}
