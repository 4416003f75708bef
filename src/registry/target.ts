import {
  formatImageReference,
  manifestReference,
  normalizeImageReference,
  parseImageReference,
  registryApiHost,
  type ImageReferenceProblem,
} from '../lib/image-reference.ts';

/** Where and what to ask for one image reference. */
export interface RegistryTarget {
  /** The reference as given. */
  input: string;
  /** Normalised reference for people: `docker.io/library/ubuntu:22.04`, tag and digest kept. */
  canonical: string;
  /** What is actually asked for, the cache key: `domain/repository:tag`, or `domain/repository@digest` (a digest wins). */
  key: string;
  /** Registry as Docker names it (`docker.io`, `quay.io`, `127.0.0.1:5000`): credentials and insecure lists use it. */
  domain: string;
  /** host[:port] the API is reached at (`registry-1.docker.io` for docker.io). */
  apiHost: string;
  /** Repository path, `library/ubuntu`. */
  repository: string;
  /** The tag or digest to ask for (the digest when both are given). */
  reference: string;
  /** The digest asked for, if any. */
  digest?: string;
}

/** Parses and normalises a reference with Docker's rules (linear time); a problem when it is not a reference. */
export function resolveTarget(
  input: string,
): { ok: true; target: RegistryTarget } | { ok: false; problem: ImageReferenceProblem } {
  const parsed = parseImageReference(input);
  if (!parsed.ok) return parsed;
  const normalized = normalizeImageReference(parsed.reference);
  const reference = manifestReference(normalized);
  const separator = normalized.digest === undefined ? ':' : '@';
  const target: RegistryTarget = {
    input,
    canonical: formatImageReference(normalized),
    key: `${normalized.domain}/${normalized.path}${separator}${reference}`,
    domain: normalized.domain,
    apiHost: registryApiHost(normalized.domain),
    repository: normalized.path,
    reference,
  };
  if (normalized.digest !== undefined) target.digest = normalized.digest;
  return { ok: true, target };
}

/** The host of a `host[:port]` (IPv6 brackets kept), lower-cased. */
export function hostOf(hostAndPort: string): string {
  if (hostAndPort.startsWith('[')) return hostAndPort.slice(0, hostAndPort.indexOf(']') + 1).toLowerCase();
  const colon = hostAndPort.indexOf(':');
  return (colon === -1 ? hostAndPort : hostAndPort.slice(0, colon)).toLowerCase();
}

/** Docker's default insecure registries: localhost, 127.0.0.0/8 and ::1. */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase();
  return h === 'localhost' || h === '[::1]' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/**
 * Whether plain HTTP may be used for a registry, as Docker decides: loopback registries, and registries listed as
 * insecure (an entry `host:port` matches that port, an entry `host` every port).
 */
export function allowsPlainHttp(hostAndPort: string, insecureRegistries: readonly string[]): boolean {
  const host = hostOf(hostAndPort);
  if (isLoopbackHost(host)) return true;
  const lower = hostAndPort.toLowerCase();
  return insecureRegistries.some((entry) => {
    const e = entry.toLowerCase();
    return e === lower || e === host;
  });
}
