/**
 * Plans the mirrored EndpointSlices of a hand-written Endpoints object: one slice per port set and
 * address type, at most maxEndpointsPerSubset addresses from each subset.
 */
import type { Endpoints } from '../../api/kinds/endpoints.js';
import type { EndpointSlice } from '../../api/kinds/endpointslice.js';
import { clone } from '../../apiserver/storage/meta.js';
import { isIP } from 'node:net';
import type { SliceEndpoint, SlicePort } from '../endpointslice/desired.js';
import { portMapKey } from '../endpointslice/gohash.js';
import { ANNOTATION_ENDPOINTS_TRIGGER_TIME, LABEL_MANAGED_BY, LABEL_SERVICE_NAME } from '../../api/wellknown.js';
import { repackSubsets, type Address } from '../endpoints/repack.js';
import { canonical } from '../endpoints/canonical.js';

/** The managed-by value of mirrored slices. */
export const MIRRORING_CONTROLLER = 'endpointslicemirroring-controller.k8s.io';

interface Group { key: string; ports: SlicePort[]; addressType: 'IPv4' | 'IPv6'; endpoints: SliceEndpoint[] }

/** Writes to make, and how many addresses were invalid or skipped. */
export interface MirrorPlan { create: EndpointSlice[]; update: EndpointSlice[]; remove: EndpointSlice[]; invalid: number; skipped: number }

function addressToEndpoint(a: Address, ready: boolean): SliceEndpoint {
  const ep: SliceEndpoint = { addresses: [a.ip], conditions: { ready } };
  if (a.hostname) ep.hostname = a.hostname;
  if (a.targetRef) ep.targetRef = clone(a.targetRef);
  if (a.nodeName !== undefined) ep.nodeName = a.nodeName;
  return ep;
}

/** The labels and annotations a mirrored slice copies from its Endpoints. */
function mirroredMeta(ep: Endpoints): { labels: Record<string, string>; annotations: Record<string, string> } {
  const labels = { ...(ep.metadata.labels ?? {}), [LABEL_SERVICE_NAME]: ep.metadata.name!, [LABEL_MANAGED_BY]: MIRRORING_CONTROLLER };
  const annotations: Record<string, string> = {};
  for (const [k, v] of Object.entries(ep.metadata.annotations ?? {})) {
    if (k !== ANNOTATION_ENDPOINTS_TRIGGER_TIME && k !== 'kubectl.kubernetes.io/last-applied-configuration') annotations[k] = v;
  }
  return { labels, annotations };
}

function newSlice(ep: Endpoints, g: Group, name: string | undefined): EndpointSlice {
  const { labels, annotations } = mirroredMeta(ep);
  const metadata: EndpointSlice['metadata'] = name ? { name } : { generateName: `${ep.metadata.name}-` };
  Object.assign(metadata, {
    namespace: ep.metadata.namespace, labels,
    ownerReferences: [{ apiVersion: 'v1', kind: 'Endpoints', name: ep.metadata.name!, uid: ep.metadata.uid!, controller: true, blockOwnerDeletion: true }],
  });
  if (Object.keys(annotations).length) metadata.annotations = annotations;
  return { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata, addressType: g.addressType, endpoints: g.endpoints, ports: clone(g.ports) };
}

const sortedEndpoints = (eps: SliceEndpoint[]) => eps.map((e) => canonical(e)).sort();

/** Whether a stored slice already has the content (and labels) of the desired one. */
function sameSlice(a: EndpointSlice, b: EndpointSlice): boolean {
  return a.addressType === b.addressType && canonical(a.ports ?? []) === canonical(b.ports ?? [])
    && canonical(sortedEndpoints(a.endpoints ?? [])) === canonical(sortedEndpoints(b.endpoints ?? []))
    && canonical(a.metadata.annotations ?? {}) === canonical(b.metadata.annotations ?? {})
    && canonical(a.metadata.labels ?? {}) === canonical(b.metadata.labels ?? {});
}

/** Plans the slices for `ep` given the mirrored slices that exist. */
export function planMirror(ep: Endpoints, existing: EndpointSlice[], maxPerSubset = 1000): MirrorPlan {
  const plan: MirrorPlan = { create: [], update: [], remove: [], invalid: 0, skipped: 0 };
  const groups = new Map<string, Group>();
  for (const ss of repackSubsets(ep.subsets ?? [])) {
    const ports: SlicePort[] = (ss.ports ?? []).map((p) => ({ name: p.name ?? '', port: p.port, protocol: p.protocol ?? 'TCP', ...(p.appProtocol !== undefined ? { appProtocol: p.appProtocol } : {}) }));
    const pk = portMapKey(ports);
    const total = (ss.addresses?.length ?? 0) + (ss.notReadyAddresses?.length ?? 0);
    let added = 0;
    const add = (a: Address, ready: boolean) => {
      if (added >= maxPerSubset) return;
      const fam = isIP(a.ip);
      if (fam === 0) { plan.invalid++; return; }
      const addressType = fam === 6 ? 'IPv6' : 'IPv4';
      const key = `${pk}/${addressType}`;
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { key, ports, addressType, endpoints: [] }));
      g.endpoints.push(addressToEndpoint(a, ready));
      added++;
    };
    for (const a of ss.addresses ?? []) add(a, true);
    for (const a of ss.notReadyAddresses ?? []) add(a, false);
    plan.skipped += total - added;
  }
  const byKey = new Map<string, EndpointSlice[]>();
  for (const s of existing) {
    const k = `${portMapKey(clone(s.ports ?? []))}/${s.addressType}`;
    byKey.set(k, [...(byKey.get(k) ?? []), s]);
  }
  for (const [k, slices] of byKey) if (!groups.has(k)) plan.remove.push(...slices);
  for (const [k, g] of groups) {
    const have = byKey.get(k) ?? [];
    plan.remove.push(...have.slice(1));
    const first = have[0];
    const want = newSlice(ep, g, first?.metadata.name);
    if (!first) plan.create.push(want);
    else if (!sameSlice(want, first)) plan.update.push({ ...want, metadata: { ...want.metadata, resourceVersion: first.metadata.resourceVersion } });
  }
  // recycleSlices: creates become updates of slices of the same address type that would be deleted.
  for (const c of [...plan.create]) {
    const i = plan.remove.findIndex((r) => r.addressType === c.addressType);
    if (i < 0) continue;
    const [old] = plan.remove.splice(i, 1);
    plan.create.splice(plan.create.indexOf(c), 1);
    const { generateName: _g, ...meta } = c.metadata;
    void _g;
    plan.update.push({ ...c, metadata: { ...meta, name: old!.metadata.name, resourceVersion: old!.metadata.resourceVersion } });
  }
  return plan;
}
