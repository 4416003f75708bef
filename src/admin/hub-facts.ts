import { escapeHtml } from '../lib/html.ts';
import type { ResolvedProfile } from '../lib/model.ts';
import { NO_HUB_REASON, UNLISTED_CHOICE, type ProfileUsage, type Usage } from '../lib/usage.ts';

/** What the server says about the hub: usage counts and group names, each possibly unknown. */
type UsageAnswer = (Usage & { as_of: string }) | { unknown: true; reason: string };
type GroupsAnswer = { groups: string[] } | { unknown: true; reason: string };

let usage: UsageAnswer | undefined;
let groups: string[] | undefined;

/**
 * Reads `api/usage` and `api/groups` from the server beside the hub (a static site has neither: both stay
 * undefined and the editor shows no counts). Never throws.
 */
export async function loadHubFacts(base: string): Promise<{ groups?: string[] }> {
  const read = async <T>(route: string): Promise<T | undefined> => {
    try {
      const response = await fetch(`${base}${route}`, {
        credentials: 'same-origin',
        cache: 'no-store',
        signal: AbortSignal.timeout(5000),
      });
      const type = response.headers.get('content-type') ?? '';
      return response.ok && type.includes('json') ? ((await response.json()) as T) : undefined;
    } catch {
      return undefined;
    }
  };
  const [usageAnswer, groupsAnswer] = await Promise.all([
    read<UsageAnswer>('api/usage'),
    read<GroupsAnswer>('api/groups'),
  ]);
  usage = usageAnswer;
  groups = groupsAnswer && 'groups' in groupsAnswer ? groupsAnswer.groups : undefined;
  return groups ? { groups } : {};
}

/** The usage of one profile slug, when the hub answered (zero when nobody saved it). */
export function profileUsage(slug: string): ProfileUsage | undefined {
  if (!usage || 'unknown' in usage) return undefined;
  return usage.profiles[slug] ?? { users: 0, servers: 0, options: {} };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * The counts for the profile preview: users who last started this profile, each choice's users beside it, and
 * saved choices this version of the profile no longer offers (those users will have to choose again).
 */
export function usageHtml(slug: string, profile: ResolvedProfile | undefined): string {
  if (!usage || ('unknown' in usage && usage.reason === NO_HUB_REASON)) return '';
  if ('unknown' in usage) {
    return `<h2>Saved by users</h2><p class="preview-note" data-usage="unknown">Unknown: ${escapeHtml(usage.reason)}</p>`;
  }
  const own = profileUsage(slug)!;
  const rows: string[] = [];
  const gone: string[] = [];
  const options = new Map(profile?.options.map((o) => [o.key, o]) ?? []);
  const keys = new Set([...options.keys(), ...Object.keys(own.options)]);
  for (const key of keys) {
    const option = options.get(key);
    const saved = own.options[key] ?? {};
    const cells = (option?.choices ?? []).map(
      (c) =>
        `<span data-choice="${escapeHtml(key)}/${escapeHtml(c.key)}">${escapeHtml(c.key)}: <strong>${saved[c.key] ?? 0}</strong></span>`,
    );
    if (option?.customImage) {
      cells.push(
        `<span data-choice="${escapeHtml(key)}/${UNLISTED_CHOICE}">${escapeHtml(option.customImage.choiceLabel)}: <strong>${saved[UNLISTED_CHOICE] ?? 0}</strong></span>`,
      );
    }
    if (cells.length > 0) rows.push(`<li><code>${escapeHtml(key)}</code> ${cells.join(' · ')}</li>`);
    for (const [choice, users] of Object.entries(saved)) {
      const offered =
        choice === UNLISTED_CHOICE ? option?.customImage : option?.choices.some((c) => c.key === choice);
      if (!offered)
        gone.push(`${key}: ${choice === UNLISTED_CHOICE ? 'Other...' : choice} (${plural(users, 'user')})`);
    }
  }
  const warning =
    gone.length > 0
      ? `<p class="preview-warning" data-usage="gone">Saved by users but not offered here: ${escapeHtml(gone.join(', '))}. They will be asked to choose again.</p>`
      : '';
  return (
    `<h2>Saved by users</h2><p data-usage="profile" data-users="${own.users}">${plural(own.users, 'user')} last started this profile ` +
    `(${plural(own.servers, 'server')}; as of ${escapeHtml(new Date(usage.as_of).toLocaleString())}).</p>` +
    (rows.length > 0 ? `<ul class="preview-usage">${rows.join('')}</ul>` : '') +
    warning
  );
}

/**
 * Turns every `allowed_groups` list in the editor's configuration into a picker of the hub's groups (plus any
 * group the content already names, so nothing is dropped; the checks flag those the hub lacks).
 */
export function addGroupPicker(
  config: Record<string, unknown>,
  hubGroups: readonly string[],
  used: readonly string[],
): void {
  const options = [...new Set([...hubGroups, ...used])].sort((a, b) => a.localeCompare(b));
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    const field = node as Record<string, unknown>;
    if (field['name'] === 'allowed_groups' && field['widget'] === 'list') {
      delete field['field'];
      delete field['fields'];
      Object.assign(field, { widget: 'select', multiple: true, options, required: false });
      field['hint'] = `${String(field['hint'] ?? '')} Pick from the hub's groups.`.trim();
      return;
    }
    Object.values(field).forEach(visit);
  };
  visit(config['collections']);
}

/** Every group the content's profiles and choices name in `allowed_groups`. */
export function groupsInContent(profiles: readonly Record<string, unknown>[]): string[] {
  const out = new Set<string>();
  const add = (value: unknown) => {
    if (Array.isArray(value)) value.forEach((g) => typeof g === 'string' && out.add(g));
  };
  for (const profile of profiles) {
    add(profile['allowed_groups']);
    for (const option of (profile['options'] as { choices?: { allowed_groups?: unknown }[] }[] | undefined) ??
      [])
      for (const choice of option.choices ?? []) add(choice.allowed_groups);
  }
  return [...out];
}

/**
 * Adds "N users" beside each profile in Decap's list of profiles (Decap renders the list itself, so the counts
 * are placed on its entry links as they appear).
 */
export function showCountsInLists(): void {
  if (!usage || 'unknown' in usage) return;
  const decorate = () => {
    for (const link of document.querySelectorAll<HTMLAnchorElement>(
      'a[href*="/collections/profiles/entries/"]',
    )) {
      if (link.querySelector('[data-usage-badge]')) continue;
      const slug = decodeURIComponent(link.getAttribute('href')!.split('/entries/')[1] ?? '');
      const own = profileUsage(slug);
      if (!own) continue;
      const badge = document.createElement('span');
      badge.dataset['usageBadge'] = slug;
      badge.textContent = `${plural(own.users, 'user')} saved this`;
      badge.style.cssText = 'margin-left:8px;font-size:12px;color:#555;font-weight:normal';
      (link.querySelector('h2') ?? link).append(badge);
    }
  };
  new MutationObserver(decorate).observe(document.body, { childList: true, subtree: true });
  decorate();
}
