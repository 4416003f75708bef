import { describeEntryChanges } from '../lib/entry-changes.ts';
import type { ServerConflict } from './backend.ts';

/** "at 08:01 today (3 minutes ago)", "on 1 Dec at 17:40": a moment in the admin's own time zone. */
export function describeMoment(iso: string | undefined, now = new Date()): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const time = date.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
  const sameDay = date.toDateString() === now.toDateString();
  const minutes = Math.round((now.getTime() - date.getTime()) / 60_000);
  const ago =
    minutes < 1 ? 'just now' : minutes < 90 ? `${minutes} minute${minutes === 1 ? '' : 's'} ago` : undefined;
  const day = sameDay
    ? `at ${time} today`
    : `on ${date.toLocaleDateString(undefined, { day: 'numeric', month: 'short' })} at ${time}`;
  return ago ? `${day} (${ago})` : day;
}

/** The refusal in words, with local time and the way forward. */
export function conflictText(conflict: ServerConflict): string {
  const who = conflict.author ?? 'someone';
  const when = describeMoment(conflict.date);
  const verb = conflict.current === null ? 'deleted' : conflict.base === null ? 'created' : 'changed';
  const draft = conflict.where === 'draft' ? ' in a draft waiting for review' : '';
  const entry = conflict.entry.charAt(0).toUpperCase() + conflict.entry.slice(1);
  return (
    `${entry.startsWith('The ') ? entry : `The ${conflict.entry}`} was ${verb} by ${who}${when ? ` ${when}` : ''}` +
    `${draft}, after you opened it. Nothing was saved. Reload to see their change, then make yours again.`
  );
}

/**
 * Shows a refused save in a panel that stays until the admin acts: who changed the entry and when, what they
 * changed, and a button to reload with their version. Returns the sentence for Decap's notice.
 */
export function showConflict(conflict: ServerConflict, loadedText: string | undefined): string {
  const text = conflictText(conflict);
  document.getElementById('z2jh-conflict')?.remove();
  const panel = document.createElement('div');
  panel.id = 'z2jh-conflict';
  panel.setAttribute('role', 'alert');
  panel.style.cssText =
    'position:fixed;top:64px;left:50%;transform:translateX(-50%);z-index:10001;max-width:640px;padding:14px 18px;' +
    'background:#fff;border:2px solid #d9534f;border-radius:6px;box-shadow:0 4px 16px rgba(0,0,0,.2);font:14px/1.45 sans-serif;color:#333';
  const message = document.createElement('p');
  message.style.margin = '0 0 8px';
  message.textContent = text;
  panel.append(message);
  const changes = describeEntryChanges(loadedText, conflict.currentText ?? undefined);
  if (changes.length > 0) {
    const intro = document.createElement('p');
    intro.style.margin = '0 0 4px';
    intro.textContent = 'Their change:';
    const list = document.createElement('ul');
    list.style.cssText = 'margin:0 0 10px;padding-left:20px';
    for (const change of changes.slice(0, 12)) {
      const item = document.createElement('li');
      item.textContent = change;
      list.append(item);
    }
    panel.append(intro, list);
  }
  const reload = button('Reload to see their change', () => window.location.reload());
  reload.style.background = '#3a69c7';
  reload.style.color = '#fff';
  panel.append(
    reload,
    button('Close', () => panel.remove()),
  );
  document.body.append(panel);
  return text;
}

function button(label: string, onClick: () => void): HTMLButtonElement {
  const element = document.createElement('button');
  element.type = 'button';
  element.textContent = label;
  element.style.cssText =
    'margin-right:8px;padding:6px 12px;border:1px solid #3a69c7;border-radius:4px;background:#fff;color:#3a69c7;cursor:pointer';
  element.addEventListener('click', onClick);
  return element;
}
