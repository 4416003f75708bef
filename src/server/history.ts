import { escapeHtml } from '../lib/html.ts';
import { diffProfileLists, type ListChange } from '../lib/history-diff.ts';
import type { CommitInfo } from './git/repo.ts';
import type { LiveContent } from './live.ts';
import type { GitStore } from './git-store.ts';

/** One published change as the history page shows it. */
export interface HistoryEntry extends CommitInfo {
  valid: boolean;
  changes: ListChange[];
  /** Warnings for admins: removed profiles or choices that users may have saved. */
  warnings: string[];
}

/** Every published change on main with a readable diff of the generated profile list. */
export async function readHistory(store: GitStore, live: LiveContent, limit = 50): Promise<HistoryEntry[]> {
  // Content changes only: in a project's own repository, commits to its code are not the hub's history.
  const commits = await store.repo.log(store.branch, limit + 1, ['content']);
  const entries: HistoryEntry[] = [];
  for (const [index, commit] of commits.slice(0, limit).entries()) {
    const after = await live.evaluate(commit.sha);
    const parent = commits[index + 1];
    const before = parent ? await live.evaluate(parent.sha) : undefined;
    const changes =
      after.outputs && (before?.outputs || !parent)
        ? diffProfileLists(before?.outputs?.profileList ?? [], after.outputs.profileList)
        : [];
    entries.push({
      ...commit,
      valid: after.ok,
      changes,
      warnings: changes
        .filter((c) => c.affectsSavedChoices)
        .map((c) => `${c.where} was removed: users who saved it will be asked to choose again.`),
    });
  }
  return entries;
}

/** The history page: who changed what and when, with a "restore this version" button per change. */
export function renderHistoryPage(entries: HistoryEntry[], base: string, user: string): string {
  const rows = entries
    .map((entry, index) => {
      const changes = entry.changes.length
        ? `<ul>${entry.changes
            .map(
              (c) =>
                `<li class="${c.kind}"><strong>${c.kind}</strong> <code>${escapeHtml(c.where)}</code>: ${c.details.map(escapeHtml).join('; ')}</li>`,
            )
            .join('')}</ul>`
        : '<p class="muted">No change to the generated profile list.</p>';
      const warnings = entry.warnings.map((w) => `<p class="warning">\u26a0 ${escapeHtml(w)}</p>`).join('');
      const restore =
        index === 0
          ? '<span class="muted">current version</span>'
          : `<button data-commit="${entry.sha}" class="restore">Restore this version</button>`;
      return (
        `<article data-commit="${entry.sha}"><header><strong>${escapeHtml(entry.message.split('\n')[0] ?? '')}</strong>` +
        `<span class="muted"> by ${escapeHtml(entry.author)} on ${escapeHtml(entry.date)} \u00b7 <code>${entry.sha.slice(0, 10)}</code>` +
        `${entry.valid ? '' : ' \u00b7 <span class="warning">not valid</span>'}</span> ${restore}</header>${warnings}${changes}</article>`
      );
    })
    .join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>History · z2jh-configurator</title>
<style>body{font-family:'Helvetica Neue',Arial,sans-serif;max-width:1000px;margin:20px auto;color:#333}article{border:1px solid #ddd;border-radius:4px;padding:10px 14px;margin:10px 0}
.muted{color:#777}.warning{color:#8a6d3b}.added strong{color:#3c763d}.removed strong{color:#a94442}.changed strong{color:#31708f}button{float:right}</style></head>
<body><h1>Published changes</h1><p class="muted">Signed in as ${escapeHtml(user)}. <a href="${base}admin/">Editor</a> · <a href="${base}">Spawn-page preview</a></p>
<p id="result" role="status"></p>${rows}
<script>
for (const button of document.querySelectorAll('button.restore')) {
  button.addEventListener('click', async () => {
    if (!confirm('Restore this version as a new change?')) return;
    const response = await fetch(${JSON.stringify(`${base}api/restore`)}, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ commit: button.dataset.commit, head: ${JSON.stringify(entries[0]?.sha ?? '')} }) });
    const body = await response.json();
    document.getElementById('result').textContent = response.ok ? 'Restored: ' + body.commit : body.error;
    if (response.ok) location.reload();
  });
}
</script></body></html>`;
}
