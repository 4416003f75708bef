import type { APIRoute } from 'astro';
import { NODE_CHECKS } from '../../lib/node-checks.ts';
import { createContentApi } from '../../server/content-api.ts';
import { createFsStore } from '../../server/fs-store.ts';
import { projectDir } from '../../site/content.ts';

/** Decap's proxy back end over the local content folder (npm run dev / npm start on one's own machine). */
export const prerender = false;

const api = createContentApi({
  store: createFsStore(projectDir),
  validate: { ...NODE_CHECKS },
});

export const POST: APIRoute = ({ request }) => api(request);
