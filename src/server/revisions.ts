import { createHash } from 'node:crypto';
import { parse } from 'yaml';

/**
 * Base revisions: every write names the revision of each file it started from (the `id` the editor got when it
 * loaded the entry), and a write whose base is no longer current is refused. This is what keeps a stale tab or
 * a second admin from silently undoing someone else's change, whatever the client does.
 */

/** The revision of a file's text (the sha-256 Decap's proxy protocol uses as `file.id`); null: no such file. */
export function revisionOf(text: string | undefined): string | null {
  return text === undefined ? null : createHash('sha256').update(text).digest('hex');
}

/** Who last changed a file, and when (ISO 8601), as the store knows it. */
export interface LastChange {
  author: string;
  date: string;
}

/** A refused write: what changed under the editor, so it can say who and when and show their version. */
export interface Conflict {
  path: string;
  /** The entry as people know it: "image “SciPy”". */
  entry: string;
  /** Revision the editor started from, and the one the file has now (null: missing). */
  base: string | null;
  current: string | null;
  /** The file's text now (null when it was deleted), so the editor can show their change. */
  currentText: string | null;
  author?: string;
  date?: string;
  /** Where the newer version is: published or a draft waiting for review. */
  where: 'published' | 'draft';
}

/**
 * Reads `params.base`, a map from each path the write touches to the revision it started from (null for a
 * file the editor believes does not exist yet). A write without one is refused: it could undo a change unseen.
 */
export function readBases(
  params: Record<string, unknown>,
  paths: readonly string[],
): Map<string, string | null> {
  const given = params['base'];
  const bases = new Map<string, string | null>();
  if (given && typeof given === 'object' && !Array.isArray(given)) {
    for (const path of paths) {
      const value = (given as Record<string, unknown>)[path];
      if (typeof value === 'string' || value === null) bases.set(path, value);
    }
  }
  return bases;
}

/** Names an entry for a person: its kind and display name (or id), never its file path. */
export function describeEntry(path: string, text: string | null | undefined): string {
  const kind = path.includes('/images/') ? 'image' : path.includes('/profiles/') ? 'profile' : 'hub settings';
  if (kind === 'hub settings') return 'the hub settings';
  const id = (path.split('/').pop() ?? path).replace(/\.ya?ml$/, '');
  let name = id;
  try {
    const data = text ? (parse(text) as { display_name?: unknown } | null) : null;
    if (typeof data?.display_name === 'string' && data.display_name.trim() !== '') name = data.display_name;
  } catch {
    // an unreadable file is named by its id
  }
  return `${kind} \u201c${name}\u201d`;
}

/** The refusal text for clients that show only `error` (the editor words it again in local time). */
export function conflictMessage(conflict: Conflict): string {
  const who = conflict.author ?? 'someone';
  const when = conflict.date ? ` on ${formatUtc(conflict.date)}` : '';
  const what =
    conflict.current === null
      ? `was deleted by ${who}${when}`
      : conflict.base === null
        ? `was created by ${who}${when}`
        : `was changed by ${who}${when}`;
  const draft = conflict.where === 'draft' ? ' (in a draft waiting for review)' : '';
  return (
    `The ${conflict.entry} ${what}${draft} after you opened it. Nothing was saved. ` +
    'Reload it to see their change, then make yours again.'
  );
}

/** "2026-12-02 06:39 UTC": the server does not know the reader's time zone (the editor shows local time). */
function formatUtc(date: string): string {
  const parsed = new Date(date);
  return Number.isNaN(parsed.getTime()) ? date : `${parsed.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
