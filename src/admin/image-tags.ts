import { formatImageReference, parseImageReference } from '../lib/image-reference.ts';
import type { ControlProps, DecapWindow } from './decap.ts';

/** The server's answer for one reference (see src/server/freshness.ts `TagsAnswer`). */
interface TagsAnswer {
  current?: string;
  tags: { tag: string; date?: string; sameScheme: boolean; newer: boolean }[];
  newest?: string;
  status?: string;
  message?: string;
}

type TagsState = { state: 'loading' } | { state: 'done'; answer: TagsAnswer } | { state: 'unavailable' };

const answers = new Map<string, TagsState>();

/** The reference with another tag (digest dropped: the server re-pins when the reference was pinned). */
export function withTag(reference: string, tag: string): string | undefined {
  const parsed = parseImageReference(reference.trim());
  if (!parsed.ok) return undefined;
  const next = { ...parsed.reference, tag };
  delete next.digest;
  return formatImageReference(next);
}

/**
 * The image field: the free-text reference, with the registry's tags of that repository beside it (the same
 * scheme first, newest first, with dates where known; a click puts the tag into the field) and, for a saved
 * image with a newer tag, "Update to <tag>": one click that saves through the server's normal checks (a draft
 * for review under the editorial workflow). Without the server (a static site) it is a plain text field.
 */
export function createImageTagsWidget({ h, createClass }: DecapWindow, base: string): unknown {
  return createClass({
    getInitialState() {
      return { tick: 0, saving: false, outcome: '' };
    },
    componentWillUnmount(this: { timer?: ReturnType<typeof setTimeout> }) {
      if (this.timer) clearTimeout(this.timer);
    },
    render(this: {
      props: ControlProps;
      timer?: ReturnType<typeof setTimeout>;
      state: { tick: number; saving: boolean; outcome: string };
      setState(s: Partial<{ tick: number; saving: boolean; outcome: string }>): void;
    }) {
      const { value, onChange, forID, classNameWrapper, entry } = this.props;
      const reference = typeof value === 'string' ? value : '';
      const key = reference.trim();
      const parsed = parseImageReference(key);
      const known = answers.get(key);
      if (parsed.ok && !known) {
        if (this.timer) clearTimeout(this.timer);
        this.timer = setTimeout(() => {
          answers.set(key, { state: 'loading' });
          void fetchTags(base, key).then((state) => {
            answers.set(key, state);
            this.setState({ tick: this.state.tick + 1 });
          });
        }, 400);
      }
      const isNew = Boolean(entry.get('newRecord'));
      const slug = String(entry.get('slug') ?? '');
      const saved = (entry.get('data') as { get(k: string): unknown } | undefined)?.get('image');
      const answer = known?.state === 'done' ? known.answer : undefined;
      const newest = answer?.newest;
      const update =
        !isNew && newest !== undefined && typeof saved === 'string' && saved.trim() === key
          ? h(
              'button',
              {
                type: 'button',
                'data-testid': 'update-image',
                disabled: this.state.saving,
                style: { margin: '6px 0', padding: '4px 10px', cursor: 'pointer' },
                onClick: () => {
                  this.setState({ saving: true, outcome: '' });
                  void bump(base, slug, newest, key).then((outcome) => {
                    this.setState({ saving: false, outcome: outcome.message });
                    if (outcome.ok && !outcome.draft) {
                      const next = withTag(key, newest);
                      answers.delete(key);
                      // Reload so the editor shows the saved file (and Decap's own state matches it).
                      setTimeout(() => window.location.reload(), 800);
                      if (next) onChange(next);
                    }
                  });
                },
              },
              `Update to ${newest}`,
            )
          : null;
      return h(
        'div',
        { className: classNameWrapper, style: { padding: '8px' } },
        h('input', {
          id: forID,
          type: 'text',
          value: reference,
          style: {
            width: '100%',
            border: 'none',
            outline: 'none',
            font: 'inherit',
            background: 'transparent',
          },
          onChange: (event: { target: { value: string } }) => onChange(event.target.value),
        }),
        update,
        this.state.outcome
          ? h('p', { 'data-testid': 'update-outcome', role: 'status' }, this.state.outcome)
          : null,
        tagList(h, known, (tag) => {
          const next = withTag(key, tag);
          if (next) onChange(next);
        }),
      );
    },
  });
}

function tagList(h: DecapWindow['h'], known: TagsState | undefined, pick: (tag: string) => void): unknown {
  if (!known) return null;
  if (known.state === 'loading')
    return h('p', { 'data-testid': 'tag-picker-state' }, 'Listing the registry\u2019s tags\u2026');
  if (known.state === 'unavailable') {
    return h(
      'p',
      { 'data-testid': 'tag-picker-state', style: { color: '#777' } },
      'Tags are listed when the editor runs beside the hub.',
    );
  }
  const { answer } = known;
  if (answer.tags.length === 0) {
    return h(
      'p',
      { 'data-testid': 'tag-picker-state', style: { color: '#8a6d3b' } },
      answer.message ?? 'The repository has no tags.',
    );
  }
  return h(
    'details',
    { open: true, style: { marginTop: '6px' } },
    h(
      'summary',
      null,
      `Tags in the registry (${answer.tags.length})${answer.message ? `: ${answer.message}` : ''}`,
    ),
    h(
      'ul',
      {
        'data-testid': 'tag-picker',
        style: { maxHeight: '14em', overflowY: 'auto', listStyle: 'none', padding: 0, margin: '4px 0' },
      },
      ...answer.tags.slice(0, 200).map((row) =>
        h(
          'li',
          { key: row.tag },
          h(
            'button',
            {
              type: 'button',
              'data-tag': row.tag,
              onClick: () => pick(row.tag),
              style: {
                border: 'none',
                background: row.tag === answer.current ? '#e8f0fe' : 'transparent',
                cursor: 'pointer',
                padding: '2px 4px',
                color: row.sameScheme ? 'inherit' : '#777',
              },
            },
            `${row.tag}${row.date ? `  (${row.date})` : ''}${row.newer ? '  newer' : ''}${row.tag === answer.current ? '  in use' : ''}`,
          ),
        ),
      ),
    ),
  );
}

async function fetchTags(base: string, reference: string): Promise<TagsState> {
  try {
    const response = await fetch(`${base}api/tags?reference=${encodeURIComponent(reference)}`, {
      credentials: 'same-origin',
    });
    if (!response.ok) return { state: 'unavailable' };
    return { state: 'done', answer: (await response.json()) as TagsAnswer };
  } catch {
    return { state: 'unavailable' };
  }
}

async function bump(
  base: string,
  id: string,
  tag: string,
  expected: string,
): Promise<{ ok: boolean; draft?: boolean; message: string }> {
  try {
    const response = await fetch(`${base}api/bump`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ id, tag, expected }),
    });
    const body = (await response.json()) as { error?: string; to?: string; draft?: boolean };
    if (!response.ok) return { ok: false, message: body.error ?? `The server answered ${response.status}.` };
    return {
      ok: true,
      draft: body.draft === true,
      message: body.draft
        ? `Saved as a draft for review: ${body.to}. A second admin can approve it in the Workflow tab.`
        : `Saved: ${body.to}. The hub gets it now.`,
    };
  } catch {
    return { ok: false, message: 'The server could not be reached; nothing was saved.' };
  }
}

/** Marks entries of the Images list that have a newer tag, from `api/freshness` (the sidecar only). */
export function markOutdatedImages(base: string): void {
  let outdated: Map<string, string> | undefined;
  const load = async (): Promise<void> => {
    try {
      const response = await fetch(`${base}api/freshness`, { credentials: 'same-origin', cache: 'no-store' });
      if (!response.ok) return;
      const body = (await response.json()) as { outdated: { id: string; newest?: string; status: string }[] };
      outdated = new Map(
        body.outdated.map((o) => [
          o.id,
          o.status === 'tag-moved' ? 'the tag moved' : `newer tag: ${o.newest ?? ''}`,
        ]),
      );
      mark();
    } catch {
      // A static site has no server: nothing to mark.
    }
  };
  const mark = (): void => {
    if (!outdated) return;
    for (const link of document.querySelectorAll<HTMLAnchorElement>(
      'a[href*="/collections/images/entries/"]',
    )) {
      const id = decodeURIComponent(
        link.href.split('/collections/images/entries/')[1]?.split(/[?#/]/)[0] ?? '',
      );
      const note = outdated.get(id);
      const badge = link.querySelector('[data-newer-tag]');
      if (!note || badge) continue;
      const span = document.createElement('span');
      span.dataset['newerTag'] = id;
      span.textContent = ` \u2191 ${note}`;
      span.style.cssText = 'color:#8a6d3b;font-size:12px;margin-left:8px';
      link.append(span);
    }
  };
  new MutationObserver(() => mark()).observe(document.body, { childList: true, subtree: true });
  void load();
}
