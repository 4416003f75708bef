import { posix } from 'node:path';
import { CONTENT_FOLDERS, SETTINGS_FILE, type SourceFile } from '../lib/catalog.ts';
import { checkDeletion, checkEntryChange, compareTrees, type ChangeCheck } from '../lib/cms/check-change.ts';
import type { Issue } from '../lib/issues.ts';
import type { ValidateOptions } from '../lib/validate.ts';
import { removeYamlKey } from '../lib/yaml-edit.ts';
import { refuseUnlessLive } from './publish-check.ts';
import { entryDataOf, objectParam, pathsParam, singleDataFile, stringParam } from './request-params.ts';
import { conflictMessage, describeEntry, readBases, revisionOf, type Conflict } from './revisions.ts';
import { SavedNotServedError, type Author, type ContentStore, type WorkflowStore } from './store.ts';

/** How the content API is set up. */
export interface ContentApiOptions {
  store: ContentStore;
  contentRoot?: string;
  validate?: ValidateOptions;
  /** The author of a request's changes (the logged-in user, or the local user). */
  authorOf?: (request: Request) => Author | Promise<Author>;
  /** Largest request body accepted, in bytes. */
  maxBodyBytes?: number;
  /** Drafts and review (Decap's editorial workflow); without it only direct saves are offered. */
  workflow?: WorkflowStore;
  /** Runs writes one at a time; pass a shared one when other writers (restore) use the same store. */
  queue?: WriteQueue;
  /** Extra checks on a change before it is written (the image registry check), returning refusals. */
  beforeWrite?: (change: { files: SourceFile[]; current: SourceFile[] }) => Promise<Issue[]>;
}

/** Runs async work one piece at a time, in order. */
export type WriteQueue = <T>(work: () => Promise<T>) => Promise<T>;

/** Creates a queue: every write to the content goes through one, so no save overtakes another. */
export function createWriteQueue(): WriteQueue {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(work: () => Promise<T>): Promise<T> => {
    const next = tail.then(work, work);
    tail = next.catch(() => undefined);
    return next;
  };
}

/** A refusal the client sees as `{error}` with a status, plus the issues behind it. */
export class ApiError extends Error {
  readonly status: number;
  readonly issues: { errors: Issue[]; warnings: Issue[] };
  /** More fields for the answer (a conflict's details). */
  readonly extra: Record<string, unknown>;

  constructor(
    status: number,
    message: string,
    issues: ApiError['issues'] = { errors: [], warnings: [] },
    extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.status = status;
    this.issues = issues;
    this.extra = extra;
  }
}

type Params = Record<string, unknown>;
type Handler = (params: Params, request: Request) => Promise<unknown>;

const LOCAL_AUTHOR: Author = { name: 'Local admin', email: 'admin@localhost' };

/**
 * Decap CMS's `proxy` back-end protocol (one POST `{action, params}` per call, JSON answers) over a content
 * store. Every write is validated on the whole content tree before it is applied, and writes run one at a time.
 * Node groups, paths outside the content folders and media uploads are refused.
 */
export function createContentApi(options: ContentApiOptions): (request: Request) => Promise<Response> {
  const { store, workflow, contentRoot = 'content', maxBodyBytes = 1024 * 1024 } = options;
  const validateOptions: ValidateOptions = { ...options.validate, contentRoot };
  const authorOf = options.authorOf ?? (() => LOCAL_AUTHOR);
  const serialized = options.queue ?? createWriteQueue();

  const readable = (file: unknown) => checkPath(file, contentRoot, 'read');
  const entryOf = async (file: string) => {
    const text = await store.read(file);
    return { data: text ?? null, file: { path: file, id: revisionOf(text) } };
  };

  const handlers: Record<string, Handler> = {
    info: async () => ({
      repo: store.name,
      publish_modes: workflow ? ['simple', 'editorial_workflow'] : ['simple'],
      type: 'z2jh_configurator',
    }),
    entriesByFolder: async (params) => {
      const folder = checkPath(params['folder'], contentRoot, 'read');
      const extension = String(params['extension'] ?? '');
      const files = (await store.readAll()).filter(
        (f) => posix.dirname(f.path) === folder && hasExtension(f.path, extension),
      );
      return files.map((f) => ({ data: f.text, file: { path: f.path, id: revisionOf(f.text) } }));
    },
    entriesByFiles: async (params) => {
      const files = Array.isArray(params['files'])
        ? (params['files'] as { path: unknown; label?: string }[])
        : [];
      return Promise.all(
        files.map(async (f) => {
          const entry = await entryOf(readable(f.path));
          return { ...entry, file: { ...entry.file, ...(f.label ? { label: f.label } : {}) } };
        }),
      );
    },
    getEntry: async (params) => entryOf(readable(params['path'])),
    getMedia: async () => [],
    getMediaFile: async () => {
      throw new ApiError(404, 'This hub has no media files.');
    },
    getDeployPreview: async () => null,
    getNotes: async () => [],
    unpublishedEntries: async () =>
      workflow ? (await workflow.listDrafts()).map((d) => `${d.collection}/${d.slug}`) : [],
    unpublishedEntry: async (params) => {
      const { collection, slug } = draftKey(params);
      const draft = await workflow?.getDraft(collection, slug);
      if (!draft) throw new ApiError(404, 'Not Found');
      const current = await store.readAll();
      return {
        collection,
        slug,
        status: draft.status,
        diffs: [
          ...draft.files.map((f) => {
            const isNew = !current.some((c) => c.path === f.path);
            return {
              oldPath: isNew ? '' : f.path,
              newPath: f.path,
              status: isNew ? 'added' : 'modified',
              newFile: isNew,
              path: f.path,
              id: f.path,
              binary: false,
            };
          }),
          ...draft.deletes.map((p) => ({
            oldPath: p,
            newPath: '',
            status: 'deleted',
            newFile: false,
            path: p,
            id: p,
            binary: false,
          })),
        ],
        updatedAt: draft.updatedAt,
      };
    },
    unpublishedEntryDataFile: async (params) => {
      const { collection, slug } = draftKey(params);
      const draft = await workflow?.getDraft(collection, slug);
      const file = draft?.files.find((f) => f.path === readable(params['path']));
      if (!file) throw new ApiError(404, 'Not Found');
      // The revision lets the editor name the draft it started from when it saves again.
      return { data: file.text, id: revisionOf(file.text) };
    },
    unpublishedEntryMediaFile: async () => {
      throw new ApiError(404, 'This hub has no media files.');
    },
    updateUnpublishedEntryStatus: async (params) => {
      const { collection, slug } = draftKey(params);
      const status = String(params['newStatus'] ?? '');
      if (!['draft', 'pending_review', 'pending_publish'].includes(status))
        throw new ApiError(422, `Unknown status "${status}".`);
      return serialized(async () => {
        if (!(await workflow?.getDraft(collection, slug))) throw new ApiError(404, 'Not Found');
        await workflow?.setStatus(collection, slug, status);
        return { message: `${collection}/${slug} is now ${status}` };
      });
    },
    publishUnpublishedEntry: async (params, request) => {
      const { collection, slug } = draftKey(params);
      const author = await authorOf(request);
      return serialized(async () => {
        const draft = await workflow?.getDraft(collection, slug);
        if (!draft || !workflow) throw new ApiError(404, 'Not Found');
        const current = await store.readAll();
        await refuseIfPublishedMoved(draft, current);
        const changed = new Set([...draft.files.map((f) => f.path), ...draft.deletes]);
        const next = [...current.filter((f) => !changed.has(f.path)), ...draft.files];
        refuseIfInvalid(compareTrees(current, next, validateOptions));
        refuseUnlessLive(next, validateOptions);
        await workflow.publishDraft(collection, slug, {
          message: `Publish ${collection} \u201c${slug}\u201d (proposed by ${draft.author}, approved by ${author.name})`,
          author,
        });
        return { message: `published ${collection}/${slug}` };
      });
    },
    deleteUnpublishedEntry: async (params) => {
      const { collection, slug } = draftKey(params);
      return serialized(async () => {
        await workflow?.deleteDraft(collection, slug);
        return { message: `deleted draft ${collection}/${slug}` };
      });
    },
    /**
     * Asks, before saving, whether the files changed since the editor loaded them (this project's extension
     * of the protocol): the editor can say so without a failed request. The save itself checks again.
     */
    checkRevisions: async (params) => {
      const given = params['base'];
      const paths = given && typeof given === 'object' ? Object.keys(given).map(readable) : [];
      const bases = readBases(params, paths);
      const current = await store.readAll();
      const useWorkflow = params['useWorkflow'] === true && workflow !== undefined;
      const conflicts: Conflict[] = [];
      for (const path of paths) {
        const published = current.find((f) => f.path === path)?.text;
        const entry = collectionOf(path, contentRoot);
        const drafted = useWorkflow
          ? (await workflow.getDraft(entry.collection, entry.slug))?.files.find((f) => f.path === path)?.text
          : undefined;
        const where = drafted === undefined ? 'published' : 'draft';
        const conflict = await findConflict(
          path,
          bases.get(path) ?? null,
          drafted ?? published,
          where,
          entry,
        );
        if (conflict) conflicts.push(conflict);
      }
      return { conflicts };
    },
    persistMedia: async () => {
      throw new ApiError(422, 'Uploading media is not supported: the profile list has no images or files.');
    },
    persistEntry: async (params, request) => {
      const dataFile = singleDataFile(params);
      if (Array.isArray(params['assets']) && params['assets'].length > 0) {
        throw new ApiError(422, 'Uploading media is not supported: the profile list has no images or files.');
      }
      const file = checkPath(dataFile['path'], contentRoot, 'write');
      if (dataFile['newPath'] !== undefined && dataFile['newPath'] !== file) {
        throw new ApiError(
          422,
          'Entries cannot be renamed: their ids are stored in users\u2019 saved choices.',
        );
      }
      const author = await authorOf(request);
      const settings = objectParam(params, 'options');
      const message = stringParam(settings, 'commitMessage') ?? `Update ${file}`;
      const raw = stringParam(dataFile, 'raw') ?? '';
      const useWorkflow = settings['useWorkflow'] === true && workflow !== undefined;
      // Making this profile the default instead of another one: both files change in one commit, so the hub
      // never has two defaults or none in between.
      const moveFromParam = stringParam(params, 'moveDefaultFrom');
      const moveFrom =
        moveFromParam === undefined ? undefined : checkPath(moveFromParam, contentRoot, 'write');
      if (moveFrom !== undefined) {
        if (useWorkflow)
          throw new ApiError(
            422,
            'With review, a draft changes one profile: take the default from the other profile in a draft of its own first. Nothing was saved.',
          );
        if (moveFrom === file || collectionOf(moveFrom, contentRoot).collection !== 'profiles')
          throw new ApiError(422, 'moveDefaultFrom must name another profile. Nothing was saved.');
      }
      const bases = requireBases(params, moveFrom ? [file, moveFrom] : [file]);
      return serialized(async () => {
        let current = await store.readAll();
        const before = current;
        const moved: SourceFile[] = [];
        if (moveFrom !== undefined) {
          const text = current.find((f) => f.path === moveFrom)?.text;
          await refuseIfStale(moveFrom, bases.get(moveFrom) ?? null, text, 'published');
          if (text === undefined)
            throw new ApiError(422, 'moveDefaultFrom names no profile. Nothing was saved.');
          moved.push({ path: moveFrom, text: removeYamlKey(text, 'default') });
          current = [...current.filter((f) => f.path !== moveFrom), ...moved];
        }
        const entry = collectionOf(file, contentRoot);
        const published = current.find((f) => f.path === file)?.text;
        const draft = useWorkflow ? await workflow.getDraft(entry.collection, entry.slug) : undefined;
        const drafted = draft?.files.find((f) => f.path === file)?.text;
        await refuseIfStale(
          file,
          bases.get(file) ?? null,
          drafted ?? published,
          drafted === undefined ? 'published' : 'draft',
          entry,
        );
        const check = checkEntryChange(
          current,
          {
            ...entry,
            data: entryDataOf(raw, file),
            isNew: !current.some((f) => f.path === file),
          },
          validateOptions,
          // Checked against the tree before both changes: the pair may not add an error either.
          before,
        );
        refuseIfInvalid(check);
        const written = check.file as SourceFile;
        if (options.beforeWrite) {
          refuseIfInvalid({
            errors: await options.beforeWrite({ files: [written, ...moved], current: before }),
            warnings: [],
          });
        }
        if (useWorkflow) {
          // The draft remembers the published revision it started from, so publishing can tell if it moved.
          const startedFrom =
            (draft ? baseTrailerOf(draft.message) : undefined) ?? revisionOf(published) ?? 'none';
          await workflow.saveDraft(entry.collection, entry.slug, [written], {
            message: `${message}\n\n${BASE_TRAILER}: ${startedFrom}`,
            author,
            status: String(settings['status'] || 'draft'),
          });
        } else {
          refuseUnlessLive([...current.filter((f) => f.path !== written.path), written], validateOptions);
          await store.write({ files: [written, ...moved], deletes: [], message, author });
        }
        return {
          message: 'entry persisted',
          id: revisionOf(written.text),
          ...(moved[0] ? { moved: { path: moved[0].path, id: revisionOf(moved[0].text) } } : {}),
        };
      });
    },
    deleteFiles: async (params, request) => {
      const paths = pathsParam(params).map((p) => checkPath(p, contentRoot, 'write'));
      if (paths.length === 0) throw new ApiError(422, 'Nothing to delete.');
      const author = await authorOf(request);
      const message =
        stringParam(objectParam(params, 'options'), 'commitMessage') ?? `Delete ${paths.join(', ')}`;
      const bases = requireBases(params, paths);
      return serialized(async () => {
        const current = await store.readAll();
        refuseMissing(paths, current);
        for (const file of paths) {
          const text = current.find((f) => f.path === file)?.text;
          await refuseIfStale(file, bases.get(file) ?? null, text, 'published');
        }
        refuseIfInvalid(checkDeletion(current, paths, validateOptions));
        refuseUnlessLive(
          current.filter((f) => !paths.includes(f.path)),
          validateOptions,
        );
        await store.write({ files: [], deletes: paths, message, author });
        return { message: `deleted files ${paths.join(', ')}` };
      });
    },
  };
  handlers['deleteFile'] = (params, request) =>
    handlers['deleteFiles']!({ ...params, paths: [params['path']] }, request);

  /** Refuses a write whose base revision is not the file's revision now, naming who changed it and when. */
  async function refuseIfStale(
    path: string,
    base: string | null,
    text: string | undefined,
    where: Conflict['where'],
    draft?: { collection: string; slug: string },
  ): Promise<void> {
    const conflict = await findConflict(path, base, text, where, draft);
    if (conflict) throw new ApiError(409, conflictMessage(conflict), undefined, { conflict });
  }

  /** The conflict of a write starting from `base` with the file as it is now, if any. */
  async function findConflict(
    path: string,
    base: string | null,
    text: string | undefined,
    where: Conflict['where'],
    draft?: { collection: string; slug: string },
  ): Promise<Conflict | undefined> {
    const current = revisionOf(text);
    if (current === base) return undefined;
    const last = await store.lastChange?.(path, where === 'draft' ? draft : undefined);
    const conflict: Conflict = {
      path,
      entry: describeEntry(path, text ?? null),
      base,
      current,
      currentText: text ?? null,
      where,
      ...(last ? { author: last.author, date: last.date } : {}),
    };
    return conflict;
  }

  /** Refuses publishing a draft when the published entry changed after the draft was started. */
  async function refuseIfPublishedMoved(
    draft: { files: SourceFile[]; message?: string },
    current: SourceFile[],
  ): Promise<void> {
    const startedFrom = baseTrailerOf(draft.message);
    if (startedFrom === undefined) return;
    for (const file of draft.files) {
      await refuseIfStale(
        file.path,
        startedFrom === 'none' ? null : startedFrom,
        current.find((f) => f.path === file.path)?.text,
        'published',
      );
    }
  }

  return async (request: Request): Promise<Response> => {
    try {
      if (request.method !== 'POST') throw new ApiError(405, 'Use POST with a JSON body {action, params}.');
      const body = await readJson(request, maxBodyBytes);
      const action = String(body['action'] ?? '');
      const handler = Object.hasOwn(handlers, action) ? handlers[action] : undefined;
      if (!handler) throw new ApiError(422, `Unknown action "${action}".`);
      const result = await handler((body['params'] as Params | undefined) ?? {}, request);
      return Response.json(result ?? null);
    } catch (problem) {
      if (problem instanceof ApiError) {
        return Response.json(
          { error: problem.message, ...problem.issues, ...problem.extra },
          { status: problem.status },
        );
      }
      if (problem instanceof SavedNotServedError) {
        return Response.json({ error: problem.message, commit: problem.commit }, { status: 500 });
      }
      console.error('content API failed:', problem);
      return Response.json(
        { error: 'The server failed to handle this request; nothing was saved.' },
        { status: 500 },
      );
    }
  };
}

const BASE_TRAILER = 'Base-Revision';

/** The published revision a draft started from, from its newest commit message. */
function baseTrailerOf(message: string | undefined): string | undefined {
  return new RegExp(`^${BASE_TRAILER}: (\\S+)$`, 'm').exec(message ?? '')?.[1];
}

/** The base revisions of a write, refused (428) when any is missing. */
function requireBases(params: Params, paths: string[]): Map<string, string | null> {
  const bases = readBases(params, paths);
  if (paths.every((p) => bases.has(p))) return bases;
  throw new ApiError(
    428,
    'This save does not say which version of the entry it started from, so it could undo someone else\u2019s ' +
      'change. Nothing was saved. Reload the editor and make the change again.',
  );
}

/** The collection and slug a workflow call names, as `id` ("collection/slug") or as separate params. */
function draftKey(params: Params): { collection: string; slug: string } {
  // unpublishedEntryDataFile also sends `id`, but there it is the file's id: collection and slug win.
  const [collection, slug] =
    typeof params['collection'] === 'string'
      ? [params['collection'], params['slug']]
      : typeof params['id'] === 'string'
        ? params['id'].split('/')
        : [undefined, undefined];
  if (
    typeof collection !== 'string' ||
    typeof slug !== 'string' ||
    !/^[a-z_]+$/.test(collection) ||
    !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(slug)
  ) {
    throw new ApiError(422, 'The draft is named by a collection and an id.');
  }
  return { collection, slug };
}

/** Whether a file has the collection's extension; `.yml` counts as `yaml` (hand-written entries use both). */
function hasExtension(file: string, extension: string): boolean {
  return file.endsWith(extension) || (extension.replace(/^\./, '') === 'yaml' && file.endsWith('.yml'));
}

/** Refuses deleting a path that is not a content file (a typo, a glob): no empty commit is ever made. */
function refuseMissing(paths: readonly string[], current: readonly SourceFile[]): void {
  const missing = paths.filter((p) => !current.some((f) => f.path === p));
  if (missing.length === 0) return;
  throw new ApiError(
    404,
    `Not deleted: ${missing.map((p) => `"${p}"`).join(', ')} ${missing.length === 1 ? 'is' : 'are'} not a content file (paths are exact, without wildcards). Nothing was deleted.`,
  );
}

/** Refuses a change that adds errors, with every message and hint in the text the CMS shows. */
function refuseIfInvalid(check: Pick<ChangeCheck, 'errors' | 'warnings'>): void {
  if (check.errors.length === 0) return;
  const text = check.errors
    .map(
      (e) =>
        `${e.message}${e.hint ? ` Hint: ${e.hint}` : ''} (${e.code}, ${e.file}${e.line ? `:${e.line}` : ''})`,
    )
    .join('\n');
  throw new ApiError(422, `${text}\nNothing was saved.`, { errors: check.errors, warnings: check.warnings });
}

function collectionOf(file: string, contentRoot: string): { collection: string; slug: string } {
  const relative = file.slice(contentRoot.length + 1);
  if (relative === SETTINGS_FILE) return { collection: 'settings', slug: 'settings' };
  const [folder = '', name = ''] = relative.split('/');
  const slug = name.replace(/\.ya?ml$/, '');
  if (folder === CONTENT_FOLDERS.images) return { collection: 'images', slug };
  if (folder === CONTENT_FOLDERS.profiles) return { collection: 'profiles', slug };
  return { collection: 'node_groups', slug };
}

/**
 * Resolves a client-given path inside the content root. Reads may touch any content folder; writes only the
 * folders hub admins own (never node groups). Anything else, `..` tricks and sibling prefixes included, is refused.
 */
export function checkPath(value: unknown, contentRoot: string, mode: 'read' | 'write'): string {
  if (typeof value !== 'string' || value === '' || value.includes('\0') || value.includes('\\')) {
    throw new ApiError(422, 'The path is missing or not allowed.');
  }
  const normalized = posix.normalize(value);
  if (normalized.startsWith('/') || normalized.startsWith('..') || normalized !== value.replace(/\/$/, '')) {
    throw new ApiError(422, `The path "${value}" must stay inside ${contentRoot}/.`);
  }
  const inside = normalized === contentRoot || normalized.startsWith(`${contentRoot}/`);
  if (!inside) throw new ApiError(422, `The path "${value}" must stay inside ${contentRoot}/.`);
  if (mode === 'read') return normalized;
  const relative = normalized.slice(contentRoot.length + 1);
  if (relative.startsWith(`${CONTENT_FOLDERS.nodeGroups}/`)) {
    throw new ApiError(
      403,
      'Node groups are read-only here: they come from the infrastructure admins. Nothing was saved.',
    );
  }
  const writable = relative === SETTINGS_FILE || /^(images|profiles)\/[^/]+\.ya?ml$/.test(relative);
  if (!writable) throw new ApiError(422, `"${value}" is not a content file hub admins can write.`);
  return normalized;
}

async function readJson(request: Request, limit: number): Promise<Params> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > limit) throw new ApiError(413, `The request is larger than ${limit} bytes.`);
  const reader = request.body?.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (reader) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw new ApiError(413, `The request is larger than ${limit} bytes.`);
    }
    chunks.push(value);
  }
  try {
    const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Params;
  } catch {
    // fall through
  }
  throw new ApiError(400, 'The request body must be a JSON object {action, params}.');
}
