import type { APIRoute } from 'astro';
import { readSiteContentFiles } from '../../site/content.ts';

/** The content files as they are now, so the editor validates a change against the live tree. */
export const prerender = false;

export const GET: APIRoute = async () =>
  Response.json(await readSiteContentFiles(), { headers: { 'Cache-Control': 'no-store' } });
