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
import { usageHtml } from './hub-facts.ts';
import { issueInFormWords } from './labels.ts';

function dataOf(props: PreviewProps): { data: Record<string, unknown>; id: string; isNew: boolean } {
  const data = (props.entry.get('data') as { toJS(): Record<string, unknown> } | undefined)?.toJS() ?? {};
  const isNew = Boolean(props.entry.get('newRecord'));
  return { data, isNew, id: entryId({ slug: props.entry.get('slug'), isNew, data }) || 'new-entry' };
}

/** The checks of one entry, in the form's words (labels, not YAML keys); the check's code stays as a tooltip. */
function issueList(collection: string, issues: Issue[]): string {
  if (issues.length === 0)
    return '<p class="preview-state preview-ok" data-state="valid">\u2714 No problems found.</p>';
  return (
    '<ul class="preview-issues" data-state="invalid">' +
    issues
      .map((issue) => {
        const { where, message, hint } = issueInFormWords(collection, issue);
        return (
          `<li class="preview-${issue.severity}" title="${escapeHtml(issue.code)}">` +
          `${where ? `<strong>${escapeHtml(where)}</strong>: ` : ''}${escapeHtml(message)}` +
          `${hint ? ` <em>Hint: ${escapeHtml(hint)}</em>` : ''}</li>`
        );
      })
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
  // The generated list is in the order of resolved.profiles; the slug may differ from the id (`slug:`).
  const index = result.resolved.profiles.findIndex((p) => p.id === id);
  const profile = index < 0 ? undefined : generateProfileList(result.resolved)[index];
  const card = profile
    ? `<div class="form-group" id="kubespawner-profiles-list">${renderProfile(profile)}</div>`
    : '<p class="preview-note">The card appears once the profile has a name and its fields are valid.</p>';
  const fixed = profile ? fixedSettingsHtml(profile.kubespawner_override) : '';
  const counts = usageHtml(
    id,
    result.resolved.profiles.find((p) => p.id === id),
  );
  return `<div class="spawn-preview"><h1>Server Options</h1>${card}${fixed}<h2>Checks</h2>${issueList('profiles', own)}${counts}</div>`;
}

/** Labels of the spawner settings a profile fixes, in the order an admin reads them. */
const FIXED_SETTINGS: [string, string][] = [
  ['image', 'Image'],
  ['cpu_guarantee', 'CPU guaranteed'],
  ['cpu_limit', 'CPU limit'],
  ['mem_guarantee', 'Memory guaranteed'],
  ['mem_limit', 'Memory limit'],
  ['extra_resource_limits', 'Other resources'],
  ['node_selector', 'Nodes'],
];

/**
 * What a profile starts whatever the user picks (its `kubespawner_override`): the spawn page does not show it,
 * so a profile with a fixed image and size would otherwise preview as a bare name.
 */
function fixedSettingsHtml(override: Record<string, unknown> | undefined): string {
  const rows = FIXED_SETTINGS.filter(([key]) => override?.[key] !== undefined).map(([key, label]) => {
    const value = override![key];
    const text =
      typeof value === 'object' && value !== null
        ? Object.entries(value)
            .map(([k, v]) => `${k}: ${String(v)}`)
            .join(', ')
        : String(value);
    return `<dt>${escapeHtml(label)}</dt><dd><code>${escapeHtml(text)}</code></dd>`;
  });
  if (rows.length === 0) return '';
  return `<h2>Always started with</h2><dl class="preview-fixed" data-testid="fixed-settings">${rows.join('')}</dl>`;
}

/** Shows an image's reference as the registry will read it, and its validation state. */
export function imagePreviewHtml(props: PreviewProps, registry = ''): string {
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
    `<p><code data-testid="image-reference">${escapeHtml(reference)}</code></p>${details}<h3>Checks</h3>${issueList('images', own)}${registry}</div>`
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

/** What the registry said about a reference, as the image preview shows it. */
type RegistryState =
  | { state: 'pending' }
  | { state: 'done'; status: string; message: string; digest?: string }
  | { state: 'unavailable' };

const registryResults = new Map<string, RegistryState>();

/**
 * The image preview, with the registry's answer for the reference (asked of this server's `api/check-image`
 * a moment after typing stops; a static site without the server says that CI checks images instead).
 */
export function createImagePreview({ h, createClass }: DecapWindow, base: string): unknown {
  return createClass({
    getInitialState() {
      return { tick: 0 };
    },
    componentWillUnmount(this: { timer?: ReturnType<typeof setTimeout> }) {
      if (this.timer) clearTimeout(this.timer);
    },
    render(this: {
      props: PreviewProps;
      timer?: ReturnType<typeof setTimeout>;
      setState(s: unknown): void;
      state: { tick: number };
    }) {
      const data =
        (this.props.entry.get('data') as { toJS(): Record<string, unknown> } | undefined)?.toJS() ?? {};
      const reference = typeof data['image'] === 'string' ? data['image'].trim() : '';
      const parsed = parseImageReference(reference);
      const checkable =
        parsed.ok && (parsed.reference.tag !== undefined || parsed.reference.digest !== undefined);
      const known = registryResults.get(reference);
      if (checkable && !known) {
        if (this.timer) clearTimeout(this.timer);
        this.timer = setTimeout(() => {
          registryResults.set(reference, { state: 'pending' });
          void askRegistry(base, reference).then((state) => {
            registryResults.set(reference, state);
            this.setState({ tick: this.state.tick + 1 });
          });
        }, 600);
      }
      return h('div', {
        dangerouslySetInnerHTML: {
          __html: imagePreviewHtml(this.props, checkable ? registryHtml(known) : ''),
        },
      });
    },
  });
}

async function askRegistry(base: string, reference: string): Promise<RegistryState> {
  try {
    const response = await fetch(`${base}api/check-image?reference=${encodeURIComponent(reference)}`, {
      credentials: 'same-origin',
      // Lets the server tell its own editor from other sites in browsers without Fetch Metadata.
      headers: { 'X-Requested-With': 'z2jh-configurator' },
    });
    if (!response.ok) return { state: 'unavailable' };
    const result = (await response.json()) as { status: string; message: string; digest?: string };
    return {
      state: 'done',
      status: result.status,
      message: result.message,
      ...(result.digest ? { digest: result.digest } : {}),
    };
  } catch {
    return { state: 'unavailable' };
  }
}

function registryHtml(known: RegistryState | undefined): string {
  if (!known || known.state === 'pending')
    return '<h3>Registry</h3><p data-registry-status="pending">Checking the registry\u2026</p>';
  if (known.state === 'unavailable') {
    return '<h3>Registry</h3><p data-registry-status="unavailable">Not checked here: CI checks images before the site is built.</p>';
  }
  const mark = known.status === 'exists' ? '\u2714' : known.status === 'not-found' ? '\u2716' : '\u26a0';
  const digest =
    known.digest && !known.message.includes(known.digest) ? ` <code>${escapeHtml(known.digest)}</code>` : '';
  return (
    `<h3>Registry</h3><p data-registry-status="${escapeHtml(known.status)}" class="${known.status === 'exists' ? 'preview-ok' : known.status === 'not-found' ? 'preview-error' : 'preview-warning'}">` +
    `${mark} ${escapeHtml(known.status)}: ${escapeHtml(known.message)}${digest}</p>`
  );
}
