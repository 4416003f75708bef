import { escapeHtml } from '../lib/html.ts';
import {
  normalizeImageReference,
  parseImageReference,
  formatImageReference,
} from '../lib/image-reference.ts';
import type { Issue } from '../lib/issues.ts';
import { generateProfileList } from '../lib/profile-list.ts';
import { renderProfile } from '../lib/spawn-form-html.ts';
import { applySizeRequest, entryId, validateWith } from './content.ts';
import type { DecapWindow, PreviewProps } from './decap.ts';

function dataOf(props: PreviewProps): { data: Record<string, unknown>; id: string; isNew: boolean } {
  const data = (props.entry.get('data') as { toJS(): Record<string, unknown> } | undefined)?.toJS() ?? {};
  const isNew = Boolean(props.entry.get('newRecord'));
  return { data, isNew, id: entryId({ slug: props.entry.get('slug'), isNew, data }) || 'new-entry' };
}

function issueList(issues: Issue[]): string {
  if (issues.length === 0)
    return '<p class="preview-state preview-ok" data-state="valid">\u2714 No problems found.</p>';
  return (
    '<ul class="preview-issues" data-state="invalid">' +
    issues
      .map(
        (i) =>
          `<li class="preview-${i.severity}"><strong>${escapeHtml(i.code)}</strong>${i.field ? ` <code>${escapeHtml(i.field)}</code>` : ''}: ` +
          `${escapeHtml(i.message)}${i.hint ? ` <em>Hint: ${escapeHtml(i.hint)}</em>` : ''}</li>`,
      )
      .join('') +
    '</ul>'
  );
}

/** Renders the profile card exactly as the spawn-page preview does, from the same generator, as the admin types. */
export function profilePreviewHtml(props: PreviewProps): string {
  const { data: typed, id } = dataOf(props);
  // With "sizes from node capacity" ticked, the card shows the sizes a save will write.
  const data = applySizeRequest(typed).data;
  const result = validateWith('profiles', id, data);
  const file = `content/profiles/${id}.yaml`;
  const own = result.issues.filter((i) => i.file === file);
  const profile = generateProfileList(result.resolved).find((p) => p.slug === id);
  const card = profile
    ? `<div class="form-group" id="kubespawner-profiles-list">${renderProfile(profile)}</div>`
    : '<p class="preview-note">The card appears once the profile has a name and its fields are valid.</p>';
  return `<div class="spawn-preview"><h1>Server Options</h1>${card}<h2>Checks</h2>${issueList(own)}</div>`;
}

/** Shows an image's reference as the registry will read it, and its validation state. */
export function imagePreviewHtml(props: PreviewProps): string {
  const { data, id } = dataOf(props);
  const reference = typeof data['image'] === 'string' ? data['image'].trim() : '';
  const parsed = parseImageReference(reference);
  const details = parsed.ok
    ? (() => {
        const full = normalizeImageReference(parsed.reference);
        return (
          `<dl><dt>Registry</dt><dd>${escapeHtml(full.domain)}</dd><dt>Repository</dt><dd>${escapeHtml(full.path)}</dd>` +
          `<dt>Tag</dt><dd>${escapeHtml(full.tag ?? '—')}</dd><dt>Digest</dt><dd>${escapeHtml(full.digest ?? '—')}</dd>` +
          `<dt>Full reference</dt><dd><code>${escapeHtml(formatImageReference(full))}</code></dd></dl>`
        );
      })()
    : '';
  const result = validateWith('images', id, data);
  const own = result.issues.filter((i) => i.file === `content/images/${id}.yaml`);
  return (
    `<div class="image-preview"><h2>${escapeHtml(String(data['display_name'] ?? ''))}</h2>` +
    `<p><code data-testid="image-reference">${escapeHtml(reference)}</code></p>${details}<h3>Checks</h3>${issueList(own)}</div>`
  );
}

/** Wraps an HTML-producing function as a Decap preview component. */
export function createPreview(
  { h, createClass }: DecapWindow,
  render: (props: PreviewProps) => string,
): unknown {
  return createClass({
    render(this: { props: PreviewProps }) {
      return h('div', { dangerouslySetInnerHTML: { __html: render(this.props) } });
    },
  });
}
