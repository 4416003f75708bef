import type { APIRoute } from 'astro';
import { loadSiteContent } from '../site/content.ts';

/** The list KubeSpawner fetches (`c.KubeSpawner.profile_list`). */
export const GET: APIRoute = async () =>
  new Response((await loadSiteContent()).outputs.profileListJson, {
    headers: { 'Content-Type': 'application/json; charset=utf-8' },
  });
