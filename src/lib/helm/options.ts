import { parseImageReference } from '../image-reference.ts';
import { error, type Issue } from '../issues.ts';

/** The two ways to run the configurator next to a z2jh hub. */
export type Deployment = 'sidecar' | 'static';

/** `helm-values` options as given on the command line (strings, nothing checked yet). */
export interface HubValuesInput {
  mode?: string;
  url?: string;
  image?: string;
  serviceName?: string;
  port?: string;
  baseUrl?: string;
  hubName?: string;
  contentClaim?: string;
  contentEmptyDir?: boolean;
  adminGroups?: string;
  minRefresh?: string;
  timeout?: string;
}

/** Checked settings with defaults applied: everything `generateHubValues` needs besides the two files. */
export interface HubValuesOptions {
  mode: Deployment;
  /** The URL the hub's loader fetches `profile_list.json` from. */
  listUrl: string;
  /** JupyterHub service name; its routes live under `<baseUrl>services/<serviceName>/`. */
  serviceName: string;
  /** The sidecar image (sidecar mode; '' in static mode). */
  image: string;
  /** The port the sidecar listens on in the hub pod. */
  port: number;
  /** The chart's `hub.baseUrl`, with slashes on both ends. */
  baseUrl: string;
  /** The hub's k8s Service and Secret name (`jupyterhub.hub.fullname`): `hub` unless fullnameOverride is set. */
  hubName: string;
  /** Where the content git repository lives: a PersistentVolumeClaim, or an emptyDir for a trial. */
  contentVolume: { claimName: string } | { emptyDir: true };
  /** Non-admin JupyterHub groups that may use the editor (they get the service's access scope). */
  adminGroups: string[];
  /** Seconds the loader answers from memory before it revalidates. */
  minRefreshSeconds: number;
  /** Seconds the loader waits for the configurator in all. */
  timeout: number;
}

export const DEFAULT_SERVICE_NAME = 'configurator';
export const DEFAULT_PORT = 8080;
/** The PersistentVolumeClaim README.md, "Deploying next to a z2jh hub" has the infrastructure admin create. */
export const DEFAULT_CONTENT_CLAIM = 'z2jh-configurator-content';

const WHERE = { file: 'helm-values' };
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const GROUP = /^[^,\s][^,]*$/;

/**
 * Checks the command-line options and applies the defaults. Every problem is reported (as issues), and no
 * options are returned when there is one.
 */
export function resolveHubValuesOptions(input: HubValuesInput): {
  options?: HubValuesOptions;
  issues: Issue[];
} {
  const issues: Issue[] = [];
  const problem = (code: string, field: string, message: string, hint?: string) =>
    issues.push(error(code, { ...WHERE, field }, message, hint));

  const mode = input.mode;
  if (mode !== 'sidecar' && mode !== 'static') {
    problem(
      'HelmValuesMode',
      '--mode',
      mode === undefined ? 'No deployment was chosen.' : `"${mode}" is not a deployment.`,
      'pass --mode sidecar (the configurator runs in the hub pod) or --mode static (the hub reads a published site).',
    );
  }
  const serviceName = input.serviceName ?? DEFAULT_SERVICE_NAME;
  if (!DNS_LABEL.test(serviceName)) {
    problem(
      'HelmValuesServiceName',
      '--service-name',
      `"${serviceName}" cannot name a JupyterHub service here: it is also part of URLs, a Secret key and a port name.`,
      'use lower-case letters, digits and dashes, e.g. "configurator".',
    );
  }
  const hubName = input.hubName ?? 'hub';
  if (!DNS_LABEL.test(hubName)) {
    problem('HelmValuesHubName', '--hub-name', `"${hubName}" is not a Kubernetes Service name.`);
  }
  const port = Number(input.port ?? DEFAULT_PORT);
  if (!Number.isInteger(port) || port < 1024 || port > 65535 || port === 8081) {
    problem(
      'HelmValuesPort',
      '--port',
      `${input.port} cannot be the sidecar's port.`,
      "pick an unprivileged port other than the hub's own 8081, e.g. 8080.",
    );
  }
  if (input.image !== undefined && !parseImageReference(input.image.trim()).ok) {
    problem('HelmValuesImage', '--image', `"${input.image}" is not an image reference.`);
  }
  const baseUrl = withSlashes(input.baseUrl ?? '/');
  const minRefreshSeconds = seconds(input.minRefresh, mode === 'static' ? 60 : 10, '--min-refresh', problem);
  const timeout = seconds(input.timeout, 2, '--timeout', problem);
  if (timeout === 0)
    problem('HelmValuesSeconds', '--timeout', 'The loader needs some time to get an answer.');
  const adminGroups = (input.adminGroups ?? '')
    .split(',')
    .map((group) => group.trim())
    .filter(Boolean);
  for (const group of adminGroups) {
    if (!GROUP.test(group)) problem('HelmValuesGroup', '--admin-groups', `"${group}" is not a group name.`);
  }
  const claim = input.contentClaim ?? DEFAULT_CONTENT_CLAIM;
  if (!DNS_LABEL.test(claim)) {
    problem('HelmValuesClaim', '--content-claim', `"${claim}" is not a PersistentVolumeClaim name.`);
  }

  const prefix = `${baseUrl}services/${serviceName}/`;
  let listUrl = `http://127.0.0.1:${port}${prefix}profile_list.json`;
  if (input.url !== undefined) {
    const url = parseHttpUrl(input.url);
    if (!url) {
      problem('HelmValuesUrl', '--url', `"${input.url}" is not an http(s) URL.`);
    } else {
      listUrl = url.pathname.endsWith('/') ? `${url.href}profile_list.json` : url.href;
    }
  } else if (mode === 'static') {
    problem(
      'HelmValuesUrl',
      '--url',
      'The static deployment needs the address of the published site.',
      'pass --url https://<owner>.github.io/<repository>/ (or the full URL of its profile_list.json).',
    );
  }
  if (mode === 'sidecar' && input.image === undefined) {
    // No default: a sidecar whose image cannot be pulled leaves the whole hub pod unready, so out of service.
    problem(
      'HelmValuesImage',
      '--image',
      "The sidecar deployment needs the image built from this project's Dockerfile, as your cluster pulls it.",
      'build and push it (README.md, "Deploying next to a z2jh hub"), then pass --image registry.example.org/z2jh-configurator:0.1.0.',
    );
  }
  if (issues.length > 0 || (mode !== 'sidecar' && mode !== 'static')) return { issues };
  return {
    options: {
      mode,
      listUrl,
      serviceName,
      image: input.image?.trim() ?? '',
      port,
      baseUrl,
      hubName,
      contentVolume: input.contentEmptyDir ? { emptyDir: true } : { claimName: claim },
      adminGroups,
      minRefreshSeconds,
      timeout,
    },
    issues,
  };
}

/** `/services/<name>/` under the hub's base URL: JupyterHub's `JUPYTERHUB_SERVICE_PREFIX` for the service. */
export function servicePrefix(options: Pick<HubValuesOptions, 'baseUrl' | 'serviceName'>): string {
  return `${options.baseUrl}services/${options.serviceName}/`;
}

function seconds(
  value: string | undefined,
  fallback: number,
  field: string,
  problem: (code: string, field: string, message: string) => void,
): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (value.trim() === '' || !Number.isFinite(number) || number < 0 || number > 86_400) {
    problem('HelmValuesSeconds', field, `"${value}" is not a number of seconds (0 to 86400).`);
    return fallback;
  }
  return number;
}

function parseHttpUrl(value: string): URL | undefined {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
  } catch {
    return undefined;
  }
}

function withSlashes(value: string): string {
  const start = value.startsWith('/') ? value : `/${value}`;
  return start.endsWith('/') ? start : `${start}/`;
}
