import { describeMoment } from './conflict.ts';

/** One published change as `api/history` answers it (see src/server/history.ts). */
interface HistoryEntry {
  sha: string;
  author: string;
  date: string;
  message: string;
  valid: boolean;
  changes: { kind: string; where: string; details: string[] }[];
  warnings: string[];
}

const ROUTE = '#/history';

/**
 * History inside the editor: a "History" item in Decap's own top navigation opens a page (at `#/history`) with
 * every published content change, newest first, in the admin's local time; "Restore this version" first says
 * in words which later changes it undoes. The server refuses a restore if anything changed since the page was
 * loaded, so nothing is undone unseen.
 */
export function installHistory(base: string): void {
  let restored = false;
  const observer = new MutationObserver(() => addNavItem());
  observer.observe(document.body, { childList: true, subtree: true });
  window.addEventListener('hashchange', () => {
    if (window.location.hash === ROUTE) return void openPage();
    document.getElementById('z2jh-history')?.remove();
    markActive(false);
    // A restore changed the content under Decap's lists: start the editor again so they show it.
    if (restored) window.location.reload();
  });
  if (window.location.hash === ROUTE) void openPage();

  function addNavItem(): void {
    if (document.getElementById('z2jh-history-link')) return;
    const contents = document.querySelector<HTMLAnchorElement>('header nav ul li a[href="#/"]');
    const list = contents?.closest('ul');
    if (!contents || !list) return;
    const item = document.createElement('li');
    const link = document.createElement('a');
    link.id = 'z2jh-history-link';
    link.href = ROUTE;
    link.className = contents.className.replace('header-link-active', '').trim();
    link.innerHTML =
      '<svg width="24" height="24" viewBox="0 0 24 24" aria-hidden="true" style="margin-right:4px">' +
      '<path fill="currentColor" d="M13 3a9 9 0 0 0-9 9H1l3.9 3.9L9 12H6a7 7 0 1 1 2.05 4.95l-1.42 1.42A9 9 0 1 0 13 3zm-1 5v5l4.25 2.52.77-1.28-3.52-2.09V8z"/></svg>';
    link.append('History');
    item.append(link);
    list.append(item);
    if (window.location.hash === ROUTE) markActive(true);
  }

  function markActive(active: boolean): void {
    const link = document.getElementById('z2jh-history-link');
    link?.classList.toggle('header-link-active', active);
    if (active) document.querySelector('header nav a[href="#/"]')?.classList.remove('header-link-active');
  }

  async function openPage(): Promise<void> {
    markActive(true);
    const page = ensurePage();
    page.replaceChildren(heading('h2', 'History'), paragraph('Loading the published changes\u2026'));
    const response = await fetch(`${base}api/history`, { credentials: 'same-origin', cache: 'no-store' });
    if (!response.ok) {
      page.replaceChildren(heading('h2', 'History'), paragraph('The history could not be loaded.'));
      return;
    }
    render(page, (await response.json()) as HistoryEntry[]);
  }

  function ensurePage(): HTMLElement {
    const existing = document.getElementById('z2jh-history');
    if (existing) return existing;
    const page = document.createElement('main');
    page.id = 'z2jh-history';
    const top = document.querySelector('header')?.getBoundingClientRect().bottom ?? 56;
    page.style.cssText =
      `position:fixed;top:${Math.round(top)}px;left:0;right:0;bottom:0;overflow:auto;z-index:250;` +
      'background:#eff0f4;padding:24px max(24px,calc(50% - 480px));font:15px/1.5 -apple-system,"Segoe UI",Roboto,sans-serif;color:#313d3e';
    document.body.append(page);
    return page;
  }

  function render(page: HTMLElement, entries: HistoryEntry[]): void {
    const head = entries[0]?.sha ?? '';
    const status = paragraph('');
    status.id = 'z2jh-history-status';
    status.setAttribute('role', 'status');
    page.replaceChildren(
      heading('h2', 'History'),
      paragraph(
        'Every published change to the hub\u2019s menu, newest first. Times are in your time zone. ' +
          'Restoring a version makes a new change; nothing is lost.',
      ),
      status,
    );
    if (entries.length === 0) page.append(paragraph('No published changes yet.'));
    entries.forEach((entry, index) => page.append(card(entry, entries.slice(0, index), head, status)));
  }

  function card(entry: HistoryEntry, later: HistoryEntry[], head: string, status: HTMLElement): HTMLElement {
    const article = document.createElement('article');
    article.dataset['commit'] = entry.sha;
    article.style.cssText =
      'background:#fff;border-radius:5px;box-shadow:0 2px 6px rgba(68,74,87,.1);padding:14px 18px;margin:12px 0';
    const title = heading('h3', entry.message.split('\n')[0] ?? '');
    title.style.margin = '0';
    const meta = paragraph(
      `${entry.author} \u00b7 ${describeMoment(entry.date)}${entry.valid ? '' : ' \u00b7 not valid: the hub did not get it'}`,
    );
    meta.style.cssText = 'margin:2px 0 8px;color:#798291';
    article.append(title, meta, changeList(entry));
    for (const warning of entry.warnings) {
      const line = paragraph(`\u26a0 ${warning}`);
      line.style.color = '#8a6d3b';
      article.append(line);
    }
    if (later.length === 0) {
      const current = paragraph('This is the version the hub has now.');
      current.style.cssText = 'margin:8px 0 0;color:#798291';
      article.append(current);
      return article;
    }
    const restore = button('Restore this version', false);
    restore.addEventListener('click', () => {
      restore.disabled = true;
      article.append(confirmBox(entry, later, head, status, () => (restore.disabled = false)));
    });
    article.append(restore);
    return article;
  }

  function confirmBox(
    entry: HistoryEntry,
    later: HistoryEntry[],
    head: string,
    status: HTMLElement,
    onCancel: () => void,
  ): HTMLElement {
    const box = document.createElement('div');
    box.className = 'z2jh-restore-confirm';
    box.style.cssText = 'margin-top:10px;padding:10px 14px;border:1px solid #d9534f;border-radius:5px';
    const count = `${later.length} later change${later.length === 1 ? '' : 's'}`;
    box.append(paragraph(`Restoring the version saved ${describeMoment(entry.date)} undoes ${count}:`));
    const list = document.createElement('ul');
    for (const change of later) {
      const effects = change.changes.flatMap((c) => c.details).join('; ');
      const item = document.createElement('li');
      item.textContent =
        `${change.message.split('\n')[0] ?? ''}, by ${change.author} ${describeMoment(change.date)}` +
        (effects ? `: ${effects}` : '');
      list.append(item);
    }
    const confirm = button(`Restore, undoing ${count}`, true);
    const cancel = button('Cancel', false);
    cancel.addEventListener('click', () => {
      box.remove();
      onCancel();
    });
    confirm.addEventListener('click', async () => {
      confirm.disabled = true;
      const response = await fetch(`${base}api/restore`, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ commit: entry.sha, head }),
      });
      const body = (await response.json().catch(() => ({}))) as { error?: string };
      if (!response.ok) {
        status.textContent = body.error ?? `The server answered ${response.status}. Nothing was restored.`;
        box.remove();
        onCancel();
        return;
      }
      restored = true;
      await openPage();
      const done = document.getElementById('z2jh-history-status');
      if (done)
        done.textContent = `Restored the version saved ${describeMoment(entry.date)}: the hub offers it from now on.`;
    });
    box.append(list, confirm, cancel);
    return box;
  }
}

function changeList(entry: HistoryEntry): HTMLElement {
  if (entry.changes.length === 0) return paragraph('No change to what users see on the spawn page.');
  const list = document.createElement('ul');
  list.style.margin = '0';
  for (const change of entry.changes) {
    const item = document.createElement('li');
    item.textContent = `${change.details.join('; ')}${change.where.includes(' › ') ? ` (${change.where})` : ''}`;
    list.append(item);
  }
  return list;
}

function heading(tag: 'h2' | 'h3', text: string): HTMLElement {
  const element = document.createElement(tag);
  element.textContent = text;
  return element;
}

function paragraph(text: string): HTMLElement {
  const element = document.createElement('p');
  element.textContent = text;
  return element;
}

function button(label: string, primary: boolean): HTMLButtonElement {
  const element = document.createElement('button');
  element.type = 'button';
  element.textContent = label;
  element.style.cssText =
    'margin:8px 8px 0 0;padding:6px 14px;border-radius:5px;cursor:pointer;font:inherit;' +
    (primary
      ? 'border:0;background:#d9534f;color:#fff'
      : 'border:1px solid #3a69c7;background:#fff;color:#3a69c7');
  return element;
}
