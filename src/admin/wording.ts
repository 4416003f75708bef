import type { DecapCms } from './decap.ts';

/**
 * Decap's English phrases that hub admins read differently: a refusal is shown as the sentence the checks or
 * the server wrote (no "Failed to persist entry: Error:"), and notices say what happened in plain words.
 */
const PHRASES = {
  // Decap writes "＋ Image" with a full-width plus that Debian's Chromium fonts lack (an empty box).
  collection: { collectionTop: { newButton: 'New %{collectionLabel}' } },
  // There is no deploy preview (the spawn-page preview is in the editor), but Decap still draws "Check for
  // Preview" once its lookup finds none; with no label, the admin page's style hides that button.
  editor: { editorToolbar: { deployPreviewPendingButtonLabel: '' } },
  ui: {
    toast: {
      onFailToPersist: '%{details}',
      onFailToDelete: '%{details}',
      onFailToPublishEntry: '%{details}',
      onFailToUnpublishEntry: '%{details}',
      onFailToUpdateStatus: '%{details}',
      onFailToDeleteNote: '%{details}',
      missingRequiredField: 'A required field is empty: fill it in, then save again. Nothing was saved.',
      entrySaved: 'Saved.',
      entryPublished: 'Published: the hub offers it from now on.',
      entryUpdated: 'Status updated.',
      onDeleteUnpublishedChanges: 'Your unpublished changes were discarded.',
    },
  },
};

/** Registers the project's wording over Decap's English locale (the rest stays Decap's). */
export function registerWording(cms: DecapCms): void {
  cms.registerLocale('en', merge(cms.getLocale('en') ?? {}, PHRASES));
}

function merge(base: unknown, over: unknown): unknown {
  if (!isObject(base) || !isObject(over)) return over;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) out[key] = merge(base[key], value);
  return out;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
