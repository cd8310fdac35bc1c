/**
 * Where a proxy subresource request goes, as kube-apiserver's ResourceLocation decides it
 * (k8s.io/kubernetes pkg/registry/core/service/storage/storage.go, pkg/registry/core/pod/strategy.go,
 * and apimachinery's util/net SplitSchemeNamePort): the name segment is `name`, `name:port` or
 * `scheme:name:port`; a Service's port is matched by name among its Endpoints' ports (a number is
 * first turned into the name of the Service port with that number); a pod's port is taken as given.
 */
import { StatusError, errors } from '../../api/errors.js';
import type { Endpoints } from '../../api/kinds/endpoints.js';
import type { Pod } from '../../api/kinds/pod-types.js';
import type { Service } from '../../api/kinds/service-schema.js';

/** What a proxy request dials: scheme (http or https), address and port. */
export interface ProxyLocation { scheme: 'http' | 'https'; ip: string; port: number }

/** The objects a location is computed from (absent: not found). */
export interface ProxyLookup {
  service(ns: string, name: string): Service | undefined;
  endpoints(ns: string, name: string): Endpoints | undefined;
  pod(ns: string, name: string): Pod | undefined;
}

/** The parts of a `[scheme:]name[:port]` segment, or undefined when invalid (SplitSchemeNamePort). */
export function splitSchemeNamePort(id: string): { scheme: string; name: string; port: string } | undefined {
  const parts = id.split(':');
  let scheme = '';
  let name: string;
  let port = '';
  if (parts.length === 1) name = parts[0]!;
  else if (parts.length === 2) [name, port] = [parts[0]!, parts[1]!];
  else if (parts.length === 3) [scheme, name, port] = [parts[0]!, parts[1]!, parts[2]!];
  else return undefined;
  if (!name || !['', 'http', 'https'].includes(scheme)) return undefined;
  return { scheme, name, port };
}

/** kube-apiserver's 503 ServiceUnavailable Status. */
export function serviceUnavailable(message: string): StatusError {
  return new StatusError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: 'ServiceUnavailable', code: 503 });
}

/** A random index below n (the `random` source is replaceable in tests). */
function pick(n: number, random: () => number): number {
  return Math.min(n - 1, Math.floor(random() * n));
}

/**
 * The endpoint a `services/ID/proxy` request goes to: a ready address (whose pod still exists and
 * has that IP) of a subset carrying the named port, starting at a random subset and address.
 */
export function serviceLocation(lookup: ProxyLookup, ns: string, id: string, random: () => number = Math.random): ProxyLocation {
  const p = splitSchemeNamePort(id);
  if (!p) throw errors.badRequest(`invalid service request "${id}"`);
  let portName = p.port;
  if (/^[+-]?\d+$/.test(p.port)) {
    const svc = lookup.service(ns, p.name);
    if (!svc) throw errors.notFound('services', p.name);
    const n = Number(p.port);
    const sp = (svc.spec?.ports ?? []).find((x) => x.port === n);
    if (!sp) throw serviceUnavailable(`no service port ${n} found for service "${p.name}"`);
    portName = sp.name ?? '';
  }
  // Upstream reads the Endpoints next: without a port number a missing Service shows as missing Endpoints.
  const eps = lookup.endpoints(ns, p.name);
  if (!eps) throw errors.notFound('endpoints', p.name);
  const subsets = eps.subsets ?? [];
  if (subsets.length === 0) throw serviceUnavailable(`no endpoints available for service "${p.name}"`);
  const s0 = pick(subsets.length, random);
  for (let i = 0; i < subsets.length; i++) {
    const ss = subsets[(s0 + i) % subsets.length]!;
    const addrs = ss.addresses ?? [];
    if (addrs.length === 0) continue;
    for (const port of ss.ports ?? []) {
      if ((port.name ?? '') !== portName) continue;
      const a0 = pick(addrs.length, random);
      for (let j = 0; j < addrs.length; j++) {
        const a = addrs[(a0 + j) % addrs.length]!;
        if (!validAddress(lookup, ns, a)) continue;
        return { scheme: p.scheme === 'https' ? 'https' : 'http', ip: a.ip, port: port.port };
      }
    }
  }
  throw serviceUnavailable(`no endpoints available for service "${id}"`);
}

/**
 * Whether an endpoint address points at an existing pod of the request's namespace that has that IP
 * (isValidAddress): addresses without a pod (the `kubernetes` Service, selector-less Services) are never proxied.
 */
function validAddress(lookup: ProxyLookup, ns: string, a: { ip: string; targetRef?: { kind?: string; name?: string; namespace?: string } }): boolean {
  const ref = a.targetRef;
  if (!ref || ref.kind !== 'Pod' || !ref.name || ref.namespace !== ns) return false;
  const pod = lookup.pod(ns, ref.name);
  if (!pod) return false;
  return (pod.status?.podIPs ?? []).some((x) => x.ip === a.ip) || pod.status?.podIP === a.ip;
}

/**
 * The address a `pods/ID/proxy` request goes to: the pod's IP and the given port, else the first
 * declared container port, else the scheme's default port; a pod without an IP is refused.
 */
export function podLocation(lookup: ProxyLookup, ns: string, id: string): ProxyLocation {
  const p = splitSchemeNamePort(id);
  if (!p) throw errors.badRequest(`invalid pod request "${id}"`);
  const pod = lookup.pod(ns, p.name);
  if (!pod) throw errors.notFound('pods', p.name);
  let port = p.port;
  if (!port) {
    for (const c of pod.spec?.containers ?? []) {
      const first = c.ports?.[0];
      if (first) { port = String(first.containerPort); break; }
    }
  }
  const ip = pod.status?.podIPs?.[0]?.ip ?? pod.status?.podIP ?? '';
  if (!/^\d+\.\d+\.\d+\.\d+$/.test(ip) || ip.startsWith('127.') || ip === '0.0.0.0') throw errors.badRequest('address not allowed');
  const scheme = p.scheme === 'https' ? 'https' : 'http';
  const n = port ? Number(port) : scheme === 'https' ? 443 : 80;
  // Go's dial of a non-numeric port fails to resolve it as a service name.
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw serviceUnavailable(`error trying to reach service: dial tcp: lookup tcp/${port}: unknown port`);
  return { scheme, ip, port: n };
}
