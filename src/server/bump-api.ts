import type { Issue } from '../lib/issues.ts';
import type { SourceFile } from '../lib/catalog.ts';
import type { ValidateOptions } from '../lib/validate.ts';
import { planBump } from '../registry/bump.ts';
import type { ImageChecker } from '../registry/checker.ts';
import { contentImagesOf } from '../registry/content-freshness.ts';
import type { WriteQueue } from './content-api.ts';
import type { Author, ContentStore, WorkflowStore } from './store.ts';

/** What "Update to <tag>" needs: the content, the queue every write goes through, and the save's checks. */
export interface BumpApiOptions {
  checker: ImageChecker;
  store: ContentStore;
  workflow?: WorkflowStore;
  queue: WriteQueue;
  validate: ValidateOptions;
  authorOf: (request: Request) => Author;
  beforeWrite?: (change: { files: SourceFile[]; current: SourceFile[] }) => Promise<Issue[]>;
}

/**
 * `POST api/bump {id, tag, expected}`: moves one image to another tag as a normal save does, through the write
 * queue: refused (409) when the image changed since the editor showed `expected`, or when a draft of it is in
 * review; the tag must exist, the file changes in its `image` line only, the whole content is validated with
 * the change and the save's registry gate runs; then one commit, or a draft for review under the editorial
 * workflow (never published here).
 */
export function createBumpApi(options: BumpApiOptions): (request: Request) => Promise<Response> {
  const { store, workflow, queue } = options;
  return async (request) => {
    const body = (await request.json().catch(() => ({}))) as {
      id?: unknown;
      tag?: unknown;
      expected?: unknown;
    };
    const id = typeof body.id === 'string' && /^[a-z0-9]+(-[a-z0-9]+)*$/.test(body.id) ? body.id : undefined;
    const tag = typeof body.tag === 'string' && /^[\w][\w.-]{0,127}$/.test(body.tag) ? body.tag : undefined;
    if (!id || !tag)
      return Response.json({ error: 'Name the image (id) and the tag to update it to.' }, { status: 422 });
    try {
      return Response.json(
        await queue(async () => {
          const files = await store.readAll();
          const image = contentImagesOf(files).find((i) => i.id === id);
          if (!image) throw new Refusal(404, `There is no image "${id}". Nothing was saved.`);
          if (typeof body.expected === 'string' && body.expected.trim() !== image.reference) {
            throw new Refusal(
              409,
              `Image "${id}" changed since you opened it (it is now ${image.reference}). Nothing was saved; reload to see the change.`,
            );
          }
          if (workflow && (await workflow.getDraft('images', id))) {
            throw new Refusal(
              409,
              `A draft of image "${id}" is waiting for review; change it there. Nothing was saved.`,
            );
          }
          const planned = await planBump(options.checker, files, image, tag, options.validate);
          if (!planned.ok) throw new Refusal(422, `${planned.reason} Nothing was saved.`);
          const written = { path: planned.plan.file, text: planned.plan.text };
          const refused = (await options.beforeWrite?.({ files: [written], current: files })) ?? [];
          if (refused.length > 0)
            throw new Refusal(422, `${refused.map((i) => i.message).join(' ')} Nothing was saved.`);
          const message = `Update image ${id} to ${planned.plan.to}`;
          const author = options.authorOf(request);
          if (workflow) {
            await workflow.saveDraft('images', id, [written], { message, author, status: 'draft' });
            return { id, from: planned.plan.from, to: planned.plan.to, draft: true };
          }
          await store.write({ files: [written], deletes: [], message, author });
          return { id, from: planned.plan.from, to: planned.plan.to, draft: false };
        }),
      );
    } catch (problem) {
      if (problem instanceof Refusal)
        return Response.json({ error: problem.message }, { status: problem.status });
      throw problem;
    }
  };
}

class Refusal extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}
