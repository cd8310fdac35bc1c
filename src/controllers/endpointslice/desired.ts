/** The endpoints a Service should have, grouped by port mapping (the desired state of the EndpointSlice reconciler). */
import { LABEL_TOPOLOGY_ZONE } from '../../api/wellknown.js';
import type { Pod } from '../../api/kinds/pod.js';
import type { Node } from '../../api/kinds/node.js';
import type { Service } from '../../api/kinds/service-schema.js';
import type { EndpointSlice } from '../../api/kinds/endpointslice.js';
import { findPort, isPodReady, podIPs, shouldPodBeInEndpoints, shouldSetHostname } from './podutil.js';
import { portMapKey } from './gohash.js';

/** One endpoint of a slice. */
export type SliceEndpoint = EndpointSlice['endpoints'][number];
/** One port of a slice. */
export type SlicePort = NonNullable<EndpointSlice['ports']>[number];

/** Endpoints sharing one port mapping, keyed by endpointKey. */
export interface DesiredGroup { key: string; ports: SlicePort[]; endpoints: Map<string, SliceEndpoint> }

/** The identity of an endpoint within a slice (addresses, hostname and target). */
export function endpointKey(e: SliceEndpoint): string {
  return JSON.stringify([[...e.addresses].sort(), e.hostname ?? '', e.targetRef?.namespace ?? '', e.targetRef?.name ?? '']);
}

/** Whether two endpoints with the same key differ in anything else that is stored. */
export function endpointChanged(a: SliceEndpoint, b: SliceEndpoint): boolean {
  const c = (e: SliceEndpoint) => JSON.stringify([e.nodeName, e.zone, e.conditions?.ready, e.conditions?.serving, e.conditions?.terminating,
    e.targetRef?.kind, e.targetRef?.uid, e.targetRef?.apiVersion, e.targetRef?.fieldPath, e.hints ?? null]);
  return c(a) !== c(b);
}

/** The slice ports for a pod: each Service port with its target resolved on the pod (getEndpointPorts). */
export function endpointPorts(svc: Service, pod: Pod): SlicePort[] {
  const out: SlicePort[] = [];
  if (!svc.spec?.ports?.length && svc.spec?.clusterIP === 'None') return out;
  for (const sp of svc.spec?.ports ?? []) {
    const port = findPort(pod, sp);
    if (port === undefined) continue;
    const p: SlicePort = { name: sp.name ?? '', protocol: sp.protocol ?? 'TCP', port };
    if (sp.appProtocol !== undefined) p.appProtocol = sp.appProtocol;
    out.push(p);
  }
  return out;
}

/** podToEndpoint: addresses of the family, conditions, hostname, target, node and zone. */
export function podToEndpoint(pod: Pod, node: Node | undefined, svc: Service, family: 'IPv4' | 'IPv6'): SliceEndpoint {
  const serving = isPodReady(pod);
  const terminating = !!pod.metadata.deletionTimestamp;
  const ready = !!svc.spec?.publishNotReadyAddresses || (serving && !terminating);
  const ep: SliceEndpoint = {
    addresses: podIPs(pod).filter((ip) => ip.includes(':') === (family === 'IPv6')),
    conditions: { ready, serving, terminating },
  };
  if (shouldSetHostname(pod, svc)) ep.hostname = pod.spec!.hostname!;
  ep.targetRef = { kind: 'Pod', namespace: pod.metadata.namespace ?? '', name: pod.metadata.name ?? '', uid: pod.metadata.uid ?? '' };
  if (pod.spec?.nodeName) ep.nodeName = pod.spec.nodeName;
  const zone = node?.metadata.labels?.[LABEL_TOPOLOGY_ZONE];
  if (zone) ep.zone = zone;
  return ep;
}

/** Groups the endpoints of the Service's pods by port mapping; `skipped` counts pods left out for a missing node. */
export function desiredGroups(svc: Service, pods: Pod[], nodeOf: (name: string) => Node | undefined, family: 'IPv4' | 'IPv6'): { groups: Map<string, DesiredGroup>; skipped: string[] } {
  const groups = new Map<string, DesiredGroup>();
  const skipped: string[] = [];
  const sorted = [...pods].sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : 1));
  for (const pod of sorted) {
    if (!shouldPodBeInEndpoints(pod, true)) continue;
    const node = pod.spec?.nodeName ? nodeOf(pod.spec.nodeName) : undefined;
    if (pod.spec?.nodeName && !node && !svc.spec?.publishNotReadyAddresses) { skipped.push(pod.metadata.name!); continue; }
    const ports = endpointPorts(svc, pod);
    const key = portMapKey(ports);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { key, ports, endpoints: new Map() }));
    const ep = podToEndpoint(pod, node, svc, family);
    if (ep.addresses.length > 0) g.endpoints.set(endpointKey(ep), ep);
  }
  return { groups, skipped };
}
