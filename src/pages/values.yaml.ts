import type { APIRoute } from 'astro';
import { loadSiteContent } from '../site/content.ts';

/** The z2jh Helm values fragment. */
export const GET: APIRoute = async () =>
  new Response((await loadSiteContent()).outputs.valuesYaml, {
    headers: { 'Content-Type': 'application/yaml; charset=utf-8' },
  });
