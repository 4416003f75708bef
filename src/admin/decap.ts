/** The parts of Decap CMS's browser globals (window.CMS, h, createClass) this project uses. */

/** An Immutable.js value as Decap hands it out. */
export interface ImmutableValue {
  get(key: string): unknown;
  getIn(path: string[]): unknown;
  toJS(): unknown;
}

/** React's createElement, as Decap exposes it (`window.h`). */
export type CreateElement = (
  type: unknown,
  props?: Record<string, unknown> | null,
  ...children: unknown[]
) => unknown;

/** Props Decap passes to a widget control. */
export interface ControlProps {
  value: unknown;
  onChange(value: unknown): void;
  forID: string;
  classNameWrapper: string;
  entry: ImmutableValue;
  field: ImmutableValue;
}

/** Props Decap passes to a preview template. */
export interface PreviewProps {
  entry: ImmutableValue;
}

/** The registry object Decap puts on `window.CMS`. */
export interface DecapCms {
  registerCustomFormat(name: string, extension: string, formatter: unknown): void;
  registerWidget(name: string, control: unknown, preview?: unknown): void;
  registerPreviewTemplate(name: string, component: unknown): void;
  registerPreviewStyle(style: string, options?: { raw: boolean }): void;
  registerBackend(name: string, backend: unknown): void;
  registerMediaLibrary(library: { name: string; init: (options?: unknown) => unknown }): void;
  getBackend(name: string): { init(...args: unknown[]): unknown } | undefined;
  registerLocale(locale: string, phrases: unknown): void;
  getLocale(locale: string): unknown;
  registerEventListener(listener: {
    name: string;
    handler: (event: { entry: ImmutableValue }) => unknown;
  }): void;
}

/** Decap's globals, as src/admin/decap-app.ts sets them. */
export interface DecapWindow {
  CMS: DecapCms;
  /** Starts Decap with `config`; Decap's own config check waits for the first save (`checkDecapConfig`). */
  startDecap(config: Record<string, unknown>): void;
  /** Decap's config check, run once: undefined when the config passes, else Decap's message (and its error page). */
  checkDecapConfig(): string | undefined;
  h: CreateElement;
  createClass(spec: Record<string, unknown>): unknown;
  /** Shows a saved entry in its collection's list at once, and makes every picker load its options again. */
  showSaved(collection: string, entry: unknown): void;
  /** Makes every picker (image, node group) load its options again, after a deletion. */
  forgetPickerOptions(): void;
}

const LOADED = 'z2jh:decap-loaded';

/** Called by src/admin/decap-app.ts: Decap's globals are (being) set. */
export function announceDecap(loaded: Promise<DecapWindow>): void {
  (window as { z2jhDecap?: Promise<DecapWindow> }).z2jhDecap = loaded;
  window.dispatchEvent(new Event(LOADED));
}

/** Decap's globals, once the page's Decap script has run (it may run before or after this project's code). */
export function whenDecapLoaded(): Promise<DecapWindow> {
  const w = window as { z2jhDecap?: Promise<DecapWindow> };
  if (w.z2jhDecap) return w.z2jhDecap;
  return new Promise((resolve) => {
    window.addEventListener(LOADED, () => void resolve(w.z2jhDecap!), { once: true });
  });
}
