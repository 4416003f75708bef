import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach } from 'vitest';
import { readServerConfig } from '../../src/server/config.ts';
import { startServer, type RunningServer } from '../../src/server/main.ts';
import { projectRoot } from './content.ts';

/** Runs git in a repository (for tests that act as "someone else" pushing to main). */
export async function git(dir: string, ...args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)('git', args, {
    cwd: dir,
    env: {
      PATH: process.env['PATH'] ?? '',
      HOME: process.env['HOME'] ?? '/root',
      GIT_AUTHOR_NAME: 'someone',
      GIT_AUTHOR_EMAIL: 's@x',
      GIT_COMMITTER_NAME: 'someone',
      GIT_COMMITTER_EMAIL: 's@x',
    },
  });
  return stdout;
}

/** A fresh folder for a content repository (the server creates the repository on start). */
export async function freshRepoDir(): Promise<string> {
  return path.join(await mkdtemp(path.join(tmpdir(), 'z2jh-repo-')), 'content-repo');
}

/** An empty built site (the API tests need no static files). */
export async function emptyDist(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'z2jh-dist-'));
  await mkdir(path.join(dir, 'client'), { recursive: true });
  return dir;
}

/** Starts the real server in this process, in local mode, over a new content repository. */
export async function startLocalSidecar(
  env: Record<string, string> = {},
): Promise<RunningServer & { repo: string; origin: string }> {
  const repo = await freshRepoDir();
  const config = readServerConfig(
    { PORT: '0', CONFIGURATOR_CONTENT_REPO: repo, ...env },
    { projectDir: projectRoot },
  );
  const server = await startServer({
    distDir: await emptyDist(),
    config,
    sampleContent: path.join(projectRoot, 'content'),
    log: () => undefined,
  });
  return { ...server, repo, origin: new URL(server.url).origin };
}

export type LocalSidecar = Awaited<ReturnType<typeof startLocalSidecar>>;

/** A `start` for a test file's local servers, each closed after the test that started it. */
export function localSidecars(): (env?: Record<string, string>) => Promise<LocalSidecar> {
  const running: LocalSidecar[] = [];
  afterEach(async () => {
    while (running.length) await running.pop()!.close();
  });
  return async (env = {}) => {
    const server = await startLocalSidecar(env);
    running.push(server);
    return server;
  };
}

/** Copies the sample content into a folder (for tests that need files around). */
export async function copySampleContent(dir: string): Promise<void> {
  await cp(path.join(projectRoot, 'content'), path.join(dir, 'content'), { recursive: true });
}

/** Posts one Decap proxy call as the editor does (same-origin JSON). */
export async function callApi(
  server: { url: string; origin: string },
  action: string,
  params: Record<string, unknown> = {},
) {
  const response = await fetch(`${server.url}api/v1`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: server.origin },
    body: JSON.stringify({ branch: 'main', action, params: { branch: 'main', ...params } }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> & unknown[] };
}

/**
 * Saves an entry file through the API (simple or workflow mode), starting from the revision it has now (its
 * draft's in workflow mode), as an editor that just opened it would.
 */
export async function saveFile(
  server: { url: string; origin: string },
  file: string,
  raw: string,
  useWorkflow = false,
) {
  return callApi(server, 'persistEntry', {
    dataFiles: [{ slug: path.basename(file, '.yaml'), path: file, raw }],
    assets: [],
    options: { commitMessage: `Update ${file}`, useWorkflow, status: 'draft' },
    base: { [file]: await currentRevision(server, file, useWorkflow) },
  });
}

/** The revision an editor opening `file` now would start from (null: no such file). */
export async function currentRevision(
  server: { url: string; origin: string },
  file: string,
  useWorkflow = false,
): Promise<string | null> {
  if (useWorkflow) {
    const collection = file.split('/')[1] ?? '';
    const draft = await callApi(server, 'unpublishedEntryDataFile', {
      collection,
      slug: path.basename(file, '.yaml'),
      path: file,
      id: file,
    });
    if (draft.status === 200) return draft.body['id'] as string;
  }
  const entry = await callApi(server, 'getEntry', { path: file });
  return ((entry.body['file'] as { id: string | null } | undefined)?.id ?? null) as string | null;
}
