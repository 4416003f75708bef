import type { ProfileListEntry } from '../lib/profile-list.ts';
import { effectiveOverride, type UserOptions } from '../lib/spawn-semantics.ts';
import { renderSpawnForm } from '../lib/spawn-form-html.ts';

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

/** Fetches the list being served next to this page; when it differs from the built one, shows that instead. */
export async function followLiveList(
  form: HTMLFormElement,
  built: string,
  result: HTMLElement,
): Promise<void> {
  const base = import.meta.env.BASE_URL.replace(/\/?$/, '/');
  const response = await fetch(`${base}profile_list.json`, { cache: 'no-cache' }).catch(() => undefined);
  if (!response?.ok) return;
  const text = await response.text();
  if (text === built) return;
  const profiles = JSON.parse(text) as ProfileListEntry[];
  const container = document.getElementById('spawn-form-profiles');
  if (container) container.innerHTML = renderSpawnForm(profiles);
  const json = document.getElementById('profile-list-json');
  if (json) json.textContent = text;
  setUpSpawnForm(form, profiles, result);
}
