// The scene the hub tests share: who started which server with which options, and what usage must say.
import { startJupyterHub, startServer, stopServer, type RunningHub } from '../helpers/jupyterhub.ts';

export const USERS = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank'];
export const GROUPS = { 'ml-research': ['carol'], 'content-admins': [], 'workshop-2026': ['frank'] };

type Start = (hub: RunningHub, user: string, options: Record<string, string>, name?: string) => Promise<void>;
type Stop = (hub: RunningHub, user: string, name?: string) => Promise<void>;

/**
 * bob runs data-science (scipy, small node, small size); carol started the GPU profile and stopped it; dave
 * started data-science with pangeo and a large size (stopped) and a named server with a typed image (running);
 * erin sent both a choice and a typed image (KubeSpawner uses the typed one); alice stopped an RStudio server;
 * frank never started anything.
 */
export async function startScene(
  hub: RunningHub,
  { startServer, stopServer }: { startServer: Start; stopServer: Stop },
) {
  await startServer(hub, 'bob', { profile: 'data-science', image: 'scipy', node: 'small', size: 'small' });
  await startServer(hub, 'carol', { profile: 'gpu' });
  await stopServer(hub, 'carol');
  await startServer(hub, 'dave', { profile: 'data-science', image: 'pangeo', size: 'large' });
  await stopServer(hub, 'dave');
  await startServer(
    hub,
    'dave',
    { profile: 'data-science', 'image--unlisted-choice': 'quay.io/dave/lab:1', size: 'large' },
    'second',
  );
  await startServer(hub, 'erin', {
    profile: 'data-science',
    image: 'scipy',
    'image--unlisted-choice': 'quay.io/erin/x:2',
  });
  await startServer(hub, 'alice', { profile: 'rstudio' });
  await stopServer(hub, 'alice');
}

/** A real JupyterHub 3.0 with the scene's users and groups (alice an admin), the scene played on it. */
export async function startSceneHub(serviceUrl?: string): Promise<RunningHub> {
  const hub = await startJupyterHub({
    users: USERS,
    admins: ['alice'],
    groups: GROUPS,
    ...(serviceUrl ? { serviceUrl } : {}),
  });
  await startScene(hub, { startServer, stopServer });
  return hub;
}

/** What usage must count for that scene. */
export const EXPECTED_USAGE = {
  users: 6,
  servers: 6,
  profiles: {
    'data-science': {
      users: 3,
      servers: 4,
      options: {
        image: { scipy: 1, pangeo: 1, 'unlisted-choice': 2 },
        node: { small: 1 },
        size: { small: 1, large: 1 },
      },
    },
    gpu: { users: 1, servers: 1, options: {} },
    rstudio: { users: 1, servers: 1, options: {} },
  },
};
