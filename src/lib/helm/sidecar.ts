import { SERVICE_SCOPES } from '../hub-scopes.ts';
import { servicePrefix, type HubValuesOptions } from './options.ts';

/** Where the content volume is mounted in the sidecar; the git repository is a folder inside it. */
export const CONTENT_MOUNT_PATH = '/srv/configurator';
export const CONTENT_VOLUME_NAME = 'configurator-content';
/** The container's port name (at most 15 characters, so not derived from the service name). */
export const SIDECAR_PORT_NAME = 'configurator';

type Values = Record<string, unknown>;

/** The labels z2jh puts on its pods (app.kubernetes.io/component: hub | proxy). */
function podSelector(component: 'hub' | 'proxy'): Values {
  return {
    podSelector: {
      matchLabels: { 'app.kubernetes.io/name': 'jupyterhub', 'app.kubernetes.io/component': component },
    },
  };
}

/**
 * The sidecar container for `hub.extraContainers`: JupyterHub's service environment (the API token from the
 * chart's own Secret), the content volume, modest resources and a liveness probe.
 *
 * There is deliberately no readiness probe: a pod is ready only when all its containers are, and the hub's
 * Service sends traffic only to a ready pod, so a sidecar reporting "not ready" would take the hub offline.
 * The liveness probe runs the image's health check with `--live`: it restarts a sidecar that stopped
 * answering, not one that answers 503 because its content is invalid (that one keeps serving the last valid list).
 */
export function sidecarContainer(options: HubValuesOptions): Values {
  const prefix = servicePrefix(options);
  const env: Values[] = [
    { name: 'HOST', value: '0.0.0.0' },
    { name: 'PORT', value: String(options.port) },
    { name: 'CONFIGURATOR_CONTENT_REPO', value: `${CONTENT_MOUNT_PATH}/content` },
    { name: 'JUPYTERHUB_SERVICE_NAME', value: options.serviceName },
    { name: 'JUPYTERHUB_SERVICE_PREFIX', value: prefix },
    { name: 'JUPYTERHUB_BASE_URL', value: options.baseUrl },
    { name: 'JUPYTERHUB_HOST', value: '' },
    { name: 'JUPYTERHUB_CLIENT_ID', value: `service-${options.serviceName}` },
    { name: 'JUPYTERHUB_OAUTH_CALLBACK_URL', value: `${prefix}oauth_callback` },
    // The hub listens on 8081 in the same pod (z2jh: hub_bind_url http://:8081).
    { name: 'JUPYTERHUB_API_URL', value: `http://127.0.0.1:8081${options.baseUrl}hub/api` },
    {
      name: 'JUPYTERHUB_API_TOKEN',
      valueFrom: {
        secretKeyRef: { name: options.hubName, key: `hub.services.${options.serviceName}.apiToken` },
      },
    },
    // Keeps the heap under the memory limit: V8 then fails inside the server (restarted by the image's
    // entry point) instead of the kernel killing the container, which would leave the pod unready.
    { name: 'NODE_OPTIONS', value: '--max-old-space-size=640' },
  ];
  if (options.adminGroups.length > 0) {
    env.push({ name: 'CONFIGURATOR_ADMIN_GROUPS', value: options.adminGroups.join(',') });
  }
  return {
    name: 'z2jh-configurator',
    image: options.image,
    ports: [{ name: SIDECAR_PORT_NAME, containerPort: options.port }],
    env,
    volumeMounts: [{ name: CONTENT_VOLUME_NAME, mountPath: CONTENT_MOUNT_PATH }],
    resources: { requests: { cpu: '50m', memory: '256Mi' }, limits: { memory: '1Gi' } },
    securityContext: {
      runAsNonRoot: true,
      runAsUser: 1000,
      runAsGroup: 1000,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
    },
    livenessProbe: {
      exec: { command: ['node', '/app/scripts/healthcheck.mjs', '--live'] },
      initialDelaySeconds: 30,
      periodSeconds: 30,
      timeoutSeconds: 10,
      failureThreshold: 5,
    },
  };
}

/** The volume holding the content repository: a claim the infrastructure admin creates, or an emptyDir for a trial. */
export function contentVolume(options: HubValuesOptions): Values {
  return 'claimName' in options.contentVolume
    ? { name: CONTENT_VOLUME_NAME, persistentVolumeClaim: { claimName: options.contentVolume.claimName } }
    : { name: CONTENT_VOLUME_NAME, emptyDir: {} };
}

/** `hub.services.<name>`: the proxy routes `<prefix>` to the sidecar through the hub's Service. */
export function serviceRegistration(options: HubValuesOptions): Values {
  return {
    url: `http://${options.hubName}:${options.port}`,
    display: true,
    oauth_no_confirm: true,
  };
}

/** The hub's NetworkPolicy: let the proxy pod reach the sidecar's port (the loader uses loopback). */
export function hubIngressRule(options: HubValuesOptions): Values {
  return { ports: [{ port: options.port }], from: [podSelector('proxy')] };
}

/** The proxy's NetworkPolicy: allow it to reach the sidecar's port on the hub pod. */
export function proxyEgressRule(options: HubValuesOptions): Values {
  return { to: [podSelector('hub')], ports: [{ port: options.port }] };
}

/** `hub.loadRoles` entry letting the non-admin editor groups through the hub's OAuth check for the service. */
export function editorRole(options: HubValuesOptions): Values {
  return {
    description: `Use the z2jh-configurator editor (service "${options.serviceName}")`,
    scopes: [`access:services!service=${options.serviceName}`],
    groups: options.adminGroups,
  };
}

/**
 * `hub.loadRoles` entry giving the service's own token exactly the scopes it reads the hub with: users' saved
 * `user_options` for the usage counts (`list:users`, `read:servers`) and the group names (`list:groups`).
 */
export function serviceRole(options: HubValuesOptions): Values {
  return {
    description: `Let the z2jh-configurator (service "${options.serviceName}") count saved profile choices and list groups`,
    scopes: [...SERVICE_SCOPES],
    services: [options.serviceName],
  };
}
