// Decap CMS's packages other than decap-cms-core ship no type declarations; these are the parts
// src/admin/decap-app.ts uses.
declare module 'decap-cms-locales' {
  export const en: Record<string, unknown>;
}
declare module 'decap-cms-backend-proxy' {
  export const ProxyBackend: unknown;
}
declare module 'decap-cms-backend-github' {
  export const GitHubBackend: unknown;
}
declare module 'decap-cms-backend-gitlab' {
  export const GitLabBackend: unknown;
}
declare module 'decap-cms-widget-markdown/dist/esm/schema.js' {
  const schema: Record<string, unknown>;
  export default schema;
}
declare module 'decap-cms-widget-*' {
  import type { ComponentType } from 'react';
  const widget: {
    Widget(): unknown;
    controlComponent: ComponentType<Record<string, unknown>>;
    previewComponent: ComponentType<Record<string, unknown>>;
  };
  export default widget;
}
declare module 'create-react-class' {
  const createReactClass: (spec: Record<string, unknown>) => unknown;
  export default createReactClass;
}
declare module 'decap-cms-core/dist/esm/redux/index.js' {
  export const store: {
    dispatch(action: unknown): unknown;
    subscribe(listener: () => void): () => void;
    getState(): { entries: { get(key: string): unknown } };
  };
}
declare module 'decap-cms-core/dist/esm/actions/config.js' {
  /** What Decap's loadConfig does to a checked config (immer: returns a new object). */
  export function normalizeConfig<T>(config: T): T;
  export function applyDefaults<T>(config: T): T;
  export function configFailed(error: Error): { type: string; payload: unknown };
}
declare module 'decap-cms-core/dist/esm/constants/configSchema.js' {
  /** Decap's config check (ajv, with every registered widget's schema); throws a ConfigError. */
  export function validateConfig(config: unknown): void;
}
declare module 'decap-cms-core/dist/esm/actions/auth.js' {
  export function authenticateUser(): unknown;
}
declare module 'decap-cms-widget-relation/dist/esm/RelationCache.js' {
  const relationCache: { clear(): void };
  export default relationCache;
}
