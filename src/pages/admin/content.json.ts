import type { APIRoute } from 'astro';
import { readSiteContentFiles } from '../../site/content.ts';

/** The content files at build time: what the editor checks against when the site is static (git back ends). */
export const GET: APIRoute = async () => Response.json(await readSiteContentFiles());
