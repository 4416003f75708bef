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

/** Decap's globals, present once decap-cms.js has run. */
export interface DecapWindow {
  CMS: DecapCms;
  initCMS(options: { config: unknown }): void;
  h: CreateElement;
  createClass(spec: Record<string, unknown>): unknown;
}

/** Returns Decap's globals, or throws a readable error when the bundle did not load. */
export function decapGlobals(): DecapWindow {
  const w = window as unknown as Partial<DecapWindow>;
  if (!w.CMS || !w.initCMS || !w.h || !w.createClass) {
    throw new Error(
      'Decap CMS did not load (decap-cms.js is missing); check that the site was built with its assets.',
    );
  }
  return w as DecapWindow;
}
