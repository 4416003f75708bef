import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { generateHubValues, renderHubValues, type HubValues } from '../../src/lib/helm/hub-values.ts';
import { LOADER_CACHE_PATH, LOADER_MOUNT_PATH } from '../../src/lib/helm/loader-config.ts';
import {
  resolveHubValuesOptions,
  type HubValuesInput,
  type HubValuesOptions,
} from '../../src/lib/helm/options.ts';
import { generateOutputs } from '../../src/lib/outputs.ts';
import { validateContent } from '../../src/lib/validate.ts';
import { projectRoot, sampleFiles, fixturesRoot } from '../helpers/content.ts';

const run = promisify(execFile);
const fixtures = path.join(fixturesRoot, 'z2jh');
const chartDefaults = parse(await readFile(path.join(fixtures, 'values.4.4.0.yaml'), 'utf8')) as HubValues;
const schema = parse(await readFile(path.join(fixtures, 'values.schema.4.4.0.yaml'), 'utf8')) as object;
const validateChartValues = new Ajv({ allErrors: true, strict: false }).compile(schema);
const loaderSource = await readFile(path.join(projectRoot, 'hub', 'z2jh_profile_loader.py'), 'utf8');
const sampleList = generateOutputs(validateContent(await sampleFiles()).resolved).profileList;

const IMAGE = 'registry.example.org/z2jh-configurator:0.1.0';
const SITE = 'https://example.github.io/hub-content/';

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: unknown;
}

interface Container {
  image: string;
  ports: unknown[];
  env: EnvVar[];
  volumeMounts: unknown[];
  livenessProbe: { exec: { command: string[] } };
  readinessProbe?: unknown;
  startupProbe?: unknown;
  resources: unknown;
  securityContext: unknown;
}

/** The parts of the merged values the assertions read. */
interface Values {
  hub: {
    services: Record<string, { url: string }>;
    service: { extraPorts: unknown[] };
    extraContainers: Container[];
    extraVolumes: unknown[];
    networkPolicy: { ingress: unknown[]; egressAllowRules: unknown };
    extraFiles: Record<string, { mountPath: string; stringData: string }>;
    extraConfig: Record<string, string>;
    loadRoles: Record<string, unknown>;
  };
  proxy: { chp: { networkPolicy: { egress: unknown[] } } };
  singleuser: { profileList: unknown };
}

function options(input: HubValuesInput): HubValuesOptions {
  const resolved = resolveHubValuesOptions(input);
  expect(resolved.issues).toEqual([]);
  return resolved.options!;
}

/** Helm's merge of user values onto the chart's: maps merge key by key, lists and scalars replace. */
function mergeValues(base: unknown, override: unknown): unknown {
  if (!isMap(base) || !isMap(override)) return structuredClone(override);
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override))
    out[key] = key in base ? mergeValues(base[key], value) : value;
  return out;
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The values as Helm would see them: the rendered YAML read back as YAML 1.1, merged onto the chart's defaults. */
function merged(values: HubValues, resolved: HubValuesOptions): Values {
  const readBack = parse(renderHubValues(values, resolved), { version: '1.1' }) as HubValues;
  expect(readBack).toEqual(values);
  return mergeValues(chartDefaults, readBack) as Values;
}

function envOf(container: Container): Record<string, unknown> {
  return Object.fromEntries(container.env.map((e) => [e.name, e.value ?? e.valueFrom]));
}

function schemaErrors(values: unknown): string[] {
  return validateChartValues(values)
    ? []
    : (validateChartValues.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

describe('helm-values --mode sidecar', () => {
  const sidecar = options({ mode: 'sidecar', image: IMAGE });
  const values = merged(generateHubValues(sidecar, loaderSource, sampleList), sidecar);
  const container = values.hub.extraContainers[0]!;
  const env = envOf(container);

  it("validates against the z2jh 4.4.0 chart's values schema once merged onto its defaults", () => {
    expect(schemaErrors(values)).toEqual([]);
  });

  it('registers the service at the sidecar through the hub Service, on the extra port', () => {
    expect(values.hub.services).toEqual({
      configurator: { url: 'http://hub:8080', display: true, oauth_no_confirm: true },
    });
    expect(values.hub.service.extraPorts).toEqual([{ name: 'configurator', port: 8080, targetPort: 8080 }]);
    expect(container.ports).toEqual([{ name: 'configurator', containerPort: 8080 }]);
  });

  it("grants the service's token exactly the scopes it reads the hub with (usage counts and groups)", () => {
    expect(values.hub.loadRoles).toEqual({
      'configurator-hub-reader': {
        description: expect.any(String),
        scopes: ['list:users', 'read:servers', 'list:groups'],
        services: ['configurator'],
      },
    });
  });

  it('gives the sidecar JupyterHub service environment, with the token from the chart Secret', () => {
    expect(container.image).toBe(IMAGE);
    expect(env).toMatchObject({
      HOST: '0.0.0.0',
      PORT: '8080',
      JUPYTERHUB_SERVICE_NAME: 'configurator',
      JUPYTERHUB_SERVICE_PREFIX: '/services/configurator/',
      JUPYTERHUB_CLIENT_ID: 'service-configurator',
      JUPYTERHUB_OAUTH_CALLBACK_URL: '/services/configurator/oauth_callback',
      JUPYTERHUB_API_URL: 'http://127.0.0.1:8081/hub/api',
      JUPYTERHUB_API_TOKEN: { secretKeyRef: { name: 'hub', key: 'hub.services.configurator.apiToken' } },
    });
  });

  it('keeps the content repository on a volume', () => {
    expect(values.hub.extraVolumes).toEqual([
      { name: 'configurator-content', persistentVolumeClaim: { claimName: 'z2jh-configurator-content' } },
    ]);
    expect(container.volumeMounts).toEqual([
      { name: 'configurator-content', mountPath: '/srv/configurator' },
    ]);
    expect(env['CONFIGURATOR_CONTENT_REPO']).toBe('/srv/configurator/content');
    const trial = options({ mode: 'sidecar', image: IMAGE, contentEmptyDir: true });
    expect(generateHubValues(trial, loaderSource)['hub']).toMatchObject({
      extraVolumes: [{ name: 'configurator-content', emptyDir: {} }],
    });
  });

  it('probes /healthz for liveness only, so the sidecar can never make the hub pod unready', () => {
    expect(container.livenessProbe.exec.command).toEqual(['node', '/app/scripts/healthcheck.mjs', '--live']);
    expect(container.readinessProbe).toBeUndefined();
    expect(container.startupProbe).toBeUndefined();
    expect(container.resources).toEqual({
      requests: { cpu: '50m', memory: '256Mi' },
      limits: { memory: '1Gi' },
    });
    expect(container.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000 });
  });

  it('opens the network policies between the proxy and the sidecar port, and nothing else', () => {
    const proxyPods = { 'app.kubernetes.io/name': 'jupyterhub', 'app.kubernetes.io/component': 'proxy' };
    const hubPods = { 'app.kubernetes.io/name': 'jupyterhub', 'app.kubernetes.io/component': 'hub' };
    expect(values.hub.networkPolicy.ingress).toEqual([
      { ports: [{ port: 8080 }], from: [{ podSelector: { matchLabels: proxyPods } }] },
    ]);
    expect(values.proxy.chp.networkPolicy.egress).toEqual([
      { to: [{ podSelector: { matchLabels: hubPods } }], ports: [{ port: 8080 }] },
    ]);
    expect(values.hub.networkPolicy.egressAllowRules).toEqual(
      (chartDefaults as unknown as Values).hub.networkPolicy.egressAllowRules,
    );
  });

  it('mounts the loader and points KubeSpawner at the sidecar over loopback', () => {
    expect(values.hub.extraFiles['z2jh-profile-loader']).toEqual({
      mountPath: LOADER_MOUNT_PATH,
      stringData: loaderSource,
    });
    const config = values.hub.extraConfig['z2jh-configurator']!;
    expect(config).toContain('"http://127.0.0.1:8080/services/configurator/profile_list.json"');
    expect(config).toContain('min_refresh_seconds=10.0');
    expect(config).toContain(`cache_path="${LOADER_CACHE_PATH}"`);
    expect(config).toContain('fallback=c.KubeSpawner.get("profile_list") or []');
  });

  it('bakes the current list in as singleuser.profileList, the last fallback', () => {
    expect(values.singleuser.profileList).toEqual(sampleList);
    expect(generateHubValues(sidecar, loaderSource)['singleuser']).toBeUndefined();
  });

  it('follows hub.baseUrl, the service name and the editor groups', () => {
    const custom = options({
      mode: 'sidecar',
      image: IMAGE,
      baseUrl: 'jupyter',
      serviceName: 'menu',
      port: '9000',
      hubName: 'jh-hub',
      adminGroups: 'content-admins, teachers',
    });
    const out = merged(generateHubValues(custom, loaderSource), custom);
    expect(schemaErrors(out)).toEqual([]);
    const customEnv = envOf(out.hub.extraContainers[0]!);
    expect(customEnv).toMatchObject({
      JUPYTERHUB_SERVICE_PREFIX: '/jupyter/services/menu/',
      JUPYTERHUB_API_URL: 'http://127.0.0.1:8081/jupyter/hub/api',
      JUPYTERHUB_API_TOKEN: { secretKeyRef: { name: 'jh-hub', key: 'hub.services.menu.apiToken' } },
      CONFIGURATOR_ADMIN_GROUPS: 'content-admins,teachers',
    });
    expect(out.hub.services['menu']?.url).toBe('http://jh-hub:9000');
    expect(out.hub.loadRoles['menu-editors']).toMatchObject({
      scopes: ['access:services!service=menu'],
      groups: ['content-admins', 'teachers'],
    });
    expect(out.hub.extraConfig['z2jh-configurator']).toContain(
      '"http://127.0.0.1:9000/jupyter/services/menu/profile_list.json"',
    );
  });
});

describe('README.md, "Deploying next to a z2jh hub"', () => {
  it("shows an excerpt of the sidecar values that matches the generator's", async () => {
    const doc = await readFile(path.join(projectRoot, 'README.md'), 'utf8');
    const block = /```yaml\n((?:\s*)hub:\n\s+services:[\s\S]*?)```/.exec(doc)?.[1];
    expect(block).toBeDefined();
    const excerpt = parse(block!.replace(/^ {3}/gm, ''), { version: '1.1' }) as object;
    const sidecar = options({ mode: 'sidecar', image: 'registry.example.org/z2jh-configurator:0.1.0' });
    expect(generateHubValues(sidecar, loaderSource)).toMatchObject(excerpt);
  });
});

describe('helm-values --mode static', () => {
  const staticMode = options({ mode: 'static', url: SITE });
  const values = merged(generateHubValues(staticMode, loaderSource, sampleList), staticMode);

  it("validates against the z2jh 4.4.0 chart's values schema once merged onto its defaults", () => {
    expect(schemaErrors(values)).toEqual([]);
  });

  it('only adds the loader, pointed at the published list, and the baked list', () => {
    expect(Object.keys(generateHubValues(staticMode, loaderSource, sampleList))).toEqual([
      'hub',
      'singleuser',
    ]);
    expect(Object.keys(generateHubValues(staticMode, loaderSource)['hub'] as object)).toEqual([
      'extraFiles',
      'extraConfig',
    ]);
    const config = values.hub.extraConfig['z2jh-configurator']!;
    expect(config).toContain(`"${SITE}profile_list.json"`);
    expect(config).toContain('min_refresh_seconds=60.0');
    expect(values.hub.extraContainers).toEqual([]);
  });
});

describe('the schema check', () => {
  it('does catch values the chart would refuse', () => {
    const broken = mergeValues(chartDefaults, {
      hub: { extraFiles: { loader: { stringData: 'x' } }, services: 1 },
    });
    expect(schemaErrors(broken)).toEqual(
      expect.arrayContaining([
        "/hub/extraFiles/loader must have required property 'mountPath'",
        '/hub/services must be object',
      ]),
    );
  });
});

describe('helm-values options', () => {
  const problems = (input: HubValuesInput) =>
    resolveHubValuesOptions(input).issues.map((i) => `${i.field} ${i.code}: ${i.message}`);

  it.each([
    [{ mode: 'kubernetes' }, '--mode HelmValuesMode: "kubernetes" is not a deployment.'],
    [
      { mode: 'static' },
      '--url HelmValuesUrl: The static deployment needs the address of the published site.',
    ],
    [{ mode: 'static', url: 'ftp://x/' }, '--url HelmValuesUrl: "ftp://x/" is not an http(s) URL.'],
    [{ mode: 'sidecar' }, '--image HelmValuesImage: The sidecar deployment needs the image'],
    [
      { mode: 'sidecar', image: 'Not An Image' },
      '--image HelmValuesImage: "Not An Image" is not an image reference.',
    ],
    [{ mode: 'sidecar', image: IMAGE, serviceName: 'My Menu' }, '--service-name HelmValuesServiceName'],
    [
      { mode: 'sidecar', image: IMAGE, port: '8081' },
      "--port HelmValuesPort: 8081 cannot be the sidecar's port.",
    ],
    [{ mode: 'sidecar', image: IMAGE, minRefresh: 'soon' }, '--min-refresh HelmValuesSeconds'],
  ])('refuses %j', (input, message) => {
    expect(problems(input).join('\n')).toContain(message);
  });

  it('takes a site address or the list itself as --url', () => {
    expect(options({ mode: 'static', url: SITE }).listUrl).toBe(`${SITE}profile_list.json`);
    expect(options({ mode: 'static', url: `${SITE}profile_list.json` }).listUrl).toBe(
      `${SITE}profile_list.json`,
    );
  });
});

describe('the extraConfig snippet in Python', () => {
  it('replaces the baked profile_list with the loader, which falls back to it', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'helm-snippet-'));
    try {
      // Nothing listens on port 9: the loader must fall back to the list z2jh set from singleuser.profileList.
      const resolved = options({
        mode: 'static',
        url: 'http://127.0.0.1:9/profile_list.json',
        timeout: '0.5',
      });
      const values = generateHubValues(resolved, loaderSource, sampleList) as unknown as Values;
      await writeFile(
        path.join(dir, 'z2jh_profile_loader.py'),
        values.hub.extraFiles['z2jh-profile-loader']!.stringData,
      );
      await writeFile(path.join(dir, 'snippet.py'), values.hub.extraConfig['z2jh-configurator']!);
      await writeFile(path.join(dir, 'baked.json'), JSON.stringify(values.singleuser.profileList));
      const { stdout } = await run('python3', ['-c', SNIPPET_HARNESS, dir], { cwd: dir });
      const result = JSON.parse(stdout) as { callable: boolean; slugs: string[]; source: string };
      expect(result).toEqual({ callable: true, slugs: ['data-science', 'rstudio'], source: 'fallback' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

/** Runs the snippet as z2jh does (exec with `c`), after setting c.KubeSpawner.profile_list as z2jh would. */
const SNIPPET_HARNESS = `
import asyncio, json, logging, sys
sys.path.insert(0, sys.argv[1])
try:
    from traitlets.config import Config
except ImportError:  # the same behaviour for what the snippet uses: sections, attributes, .get()
    class Config(dict):
        def __getattr__(self, name):
            return self.setdefault(name, Config()) if name[0].isupper() else self[name]
        def __setattr__(self, name, value):
            self[name] = value
logging.basicConfig(level=logging.CRITICAL)
c = Config()
c.KubeSpawner.profile_list = json.load(open(sys.argv[1] + "/baked.json"))
exec(open(sys.argv[1] + "/snippet.py").read(), {"c": c})
profile_list = c.KubeSpawner.profile_list
class User:
    name, admin, groups = "bob", False, []
class Spawner:
    user = User()
profiles = asyncio.run(profile_list(Spawner()))
print(json.dumps({"callable": callable(profile_list), "slugs": [p["slug"] for p in profiles],
                  "source": profile_list.loader.source}))
`;
