/**
 * Upstreams from Services and their EndpointSlices: the ready endpoints of one Service port, dialled
 * directly as ingress-nginx does (notes §2.4). Missing Service, unknown port or no ready endpoint →
 * no endpoints and a `problem` (the proxy answers 503).
 */
import type { EndpointSlice } from '../../api/kinds/endpointslice.js';
import type { Service } from '../../api/kinds/service-schema.js';
import type { Ingress } from '../../api/kinds/ingress.js';
import { ingressBackends } from '../../client/indexers.js';
import type { Upstream, UpstreamEndpoint } from './model.js';

/** A backend as an Ingress names it. */
export interface BackendRef { namespace: string; service: string; port: number | string }

/** The upstream of one Service port from the Service and its slices (`service` undefined: missing). */
export function buildUpstream(ref: BackendRef, service: Service | undefined, slices: readonly EndpointSlice[]): Upstream {
  const base = { name: `${ref.namespace}-${ref.service}-${ref.port}`, namespace: ref.namespace, service: ref.service, port: ref.port };
  if (!service) return { ...base, endpoints: [], problem: `service ${ref.namespace}/${ref.service} not found` };
  const ports = service.spec?.ports ?? [];
  const sp = typeof ref.port === 'number' ? ports.find((p) => p.port === ref.port) : ports.find((p) => p.name === ref.port);
  if (!sp) return { ...base, endpoints: [], problem: `service ${ref.namespace}/${ref.service} does not have port ${ref.port}` };
  const endpoints: UpstreamEndpoint[] = [];
  const seen = new Set<string>();
  for (const slice of slices) {
    if (slice.addressType === 'FQDN') continue;
    const port = (slice.ports ?? []).find((p) => (p.name ?? '') === (sp.name ?? '') && (p.protocol ?? 'TCP') === 'TCP')?.port;
    if (port === undefined) continue;
    for (const ep of slice.endpoints) {
      // EndpointSlice semantics: an unset `ready` means ready.
      if (ep.conditions?.ready === false) continue;
      for (const ip of ep.addresses.slice(0, 1)) {
        const k = `${ip}:${port}`;
        if (seen.has(k)) continue;
        seen.add(k);
        endpoints.push({ ip, port });
      }
    }
  }
  endpoints.sort((a, b) => (a.ip < b.ip ? -1 : a.ip > b.ip ? 1 : a.port - b.port));
  return endpoints.length ? { ...base, endpoints } : { ...base, endpoints, problem: `service ${ref.namespace}/${ref.service} does not have any active endpoint` };
}

/** The first port of a Service (`default-backend` uses it), or undefined. */
export function firstPort(service: Service | undefined): number | undefined {
  return service?.spec?.ports?.[0]?.port;
}

/**
 * The Services an Ingress routes to (default backend and every path) that do not exist, as
 * `namespace/name`; `memo` keeps each Ingress version's backends (objects are immutable per version).
 */
export function missingServices(ing: Ingress, exists: (namespace: string, name: string) => boolean, memo: WeakMap<Ingress, string[]>): string[] {
  let keys = memo.get(ing);
  if (!keys) memo.set(ing, keys = ingressBackends(ing));
  const ns = ing.metadata.namespace ?? '';
  const missing: string[] = [];
  for (const key of keys) if (!exists(ns, key.slice(key.indexOf('/') + 1))) missing.push(key);
  return missing;
}
