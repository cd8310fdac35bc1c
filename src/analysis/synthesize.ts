/**
 * What a cluster adds to applied manifests, synthesized deterministically for offline analysis:
 * uids, the Namespaces objects name, a node, pod placement, IPs and readiness, Service ClusterIPs
 * and node ports, and the EndpointSlices the EndpointSlice controller would write.
 */
import { createHash } from 'node:crypto';
import type { KObject } from '../api/meta.js';
import { namespaceDef, type Namespace } from '../api/kinds/namespace.js';
import type { Pod } from '../api/kinds/pod.js';
import type { Service } from '../api/kinds/service-schema.js';
import type { EndpointSlice } from '../api/kinds/endpointslice.js';
import type { Node } from '../api/kinds/node.js';
import { LABEL_ARCH, LABEL_HOSTNAME, LABEL_MANAGED_BY, LABEL_OS } from '../api/wellknown.js';
import { IPAllocator } from '../net/ip.js';
import { desiredGroups } from '../controllers/endpointslice/desired.js';
import { planSlices } from '../controllers/endpointslice/reconciler.js';
import { SLICE_CONTROLLER } from '../controllers/endpointslice/labels.js';
import { selectorMatches, serviceFamily } from '../controllers/endpointslice/podutil.js';
import { makeSnapshot, type Snapshot } from './snapshot.js';
import { keyOf } from '../client/informer.js';

/** The addresses offline analysis gives: node `node-1`, nodes, pods and Services from these ranges (in order). */
export const OFFLINE = {
  nodeName: 'node-1', nodeCIDR: '172.18.0.0/16', podCIDR: '10.244.0.0/16', serviceCIDR: '10.96.0.0/12',
  /** The gateway of the pod range, and the `kubernetes` and kube-dns Service addresses, are never handed out. */
  reserved: ['172.18.0.1', '10.244.0.1', '10.96.0.1', '10.96.0.10'],
  firstNodePort: 30000,
} as const;

/** Decoded objects of every kind a Snapshot holds, before completion. */
export type SnapshotParts = Omit<Snapshot, 'workloads'> & { workloads: Map<string, string> };

/** A stable uid for an object that has none (a UUID-shaped hash of kind, namespace and name). */
function uidOf(o: KObject): string {
  const h = createHash('sha1').update(`${String(o.kind)}/${keyOf(o)}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** An allocator over `cidr` that never hands out the reserved or the `taken` addresses. */
function allocator(cidr: string, taken: (string | undefined)[]): IPAllocator {
  const a = new IPAllocator(cidr, OFFLINE.reserved);
  for (const ip of taken) if (ip && !a.has(ip)) { try { a.allocate(ip); } catch { /* outside the range or reserved */ } }
  return a;
}

function nodeObject(name: string, ip: string): Node {
  return {
    apiVersion: 'v1', kind: 'Node',
    metadata: { name, labels: { [LABEL_ARCH]: 'amd64', [LABEL_HOSTNAME]: name, [LABEL_OS]: 'linux' } },
    status: {
      addresses: [{ type: 'InternalIP', address: ip }, { type: 'Hostname', address: name }],
      conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' }],
    },
  } as Node;
}

const internalIP = (n: Node): string | undefined => n.status?.addresses?.find((a) => a.type === 'InternalIP')?.address;

/** Nodes: those given, those pods name, or `node-1`; returns the default node's name. */
function completeNodes(nodes: Node[], pods: Pod[]): string {
  const names = new Set(nodes.map((n) => n.metadata.name!));
  const wanted = [...new Set(pods.map((p) => p.spec?.nodeName).filter((n): n is string => !!n && !names.has(n)))];
  if (nodes.length === 0 && !wanted.includes(OFFLINE.nodeName)) wanted.unshift(OFFLINE.nodeName);
  const ips = allocator(OFFLINE.nodeCIDR, nodes.map(internalIP));
  for (const n of nodes) if (!internalIP(n)) ((n.status ??= {}).addresses ??= []).push({ type: 'InternalIP', address: ips.allocate() });
  for (const name of wanted) nodes.push(nodeObject(name, ips.allocate()));
  return [...nodes].map((n) => n.metadata.name!).sort()[0]!;
}

/** Places, addresses and readies the pods (terminal pods and pods given an IP keep theirs). */
function completePods(pods: Pod[], nodes: Node[], defaultNode: string): void {
  const nodeIP = new Map(nodes.map((n) => [n.metadata.name!, internalIP(n)]));
  const ips = allocator(OFFLINE.podCIDR, pods.map((p) => p.status?.podIP));
  for (const p of pods) {
    const spec = (p.spec ??= { containers: [] } as never);
    spec.nodeName ||= defaultNode;
    const st = (p.status ??= {});
    if (st.phase === 'Succeeded' || st.phase === 'Failed') continue;
    st.phase ??= 'Running';
    st.hostIP ??= nodeIP.get(spec.nodeName);
    if (st.hostIP) st.hostIPs ??= [{ ip: st.hostIP }];
    st.podIP ??= spec.hostNetwork ? st.hostIP : ips.allocate();
    if (st.podIP) st.podIPs ??= [{ ip: st.podIP }];
    if (!st.conditions?.length) st.conditions = ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map((type) => ({ type, status: 'True' }));
  }
}

const needsNodePorts = (svc: Service): boolean =>
  svc.spec?.type === 'NodePort' || (svc.spec?.type === 'LoadBalancer' && svc.spec.allocateLoadBalancerNodePorts !== false);

/** ClusterIPs (headless and ExternalName Services keep none) and node ports, in order. */
function completeServices(services: Service[]): void {
  const ips = allocator(OFFLINE.serviceCIDR, services.map((s) => s.spec?.clusterIP));
  const usedPorts = new Set(services.flatMap((s) => (s.spec?.ports ?? []).map((p) => p.nodePort)));
  let next = OFFLINE.firstNodePort;
  for (const s of services) {
    const spec = (s.spec ??= {});
    // `selector: {}` is not kept: the field is `omitempty`, so a stored Service has no selector and
    // its endpoints are left to the user (kubernetes#25836: empty and absent selectors are one).
    if (spec.selector && Object.keys(spec.selector).length === 0) delete spec.selector;
    if (spec.type !== 'ExternalName' && !spec.clusterIP) {
      spec.clusterIP = ips.allocate();
      spec.clusterIPs = [spec.clusterIP];
    }
    if (!needsNodePorts(s)) continue;
    for (const p of spec.ports ?? []) {
      if (p.nodePort) continue;
      while (usedPorts.has(next)) next++;
      p.nodePort = next;
      usedPorts.add(next);
    }
  }
}

/** The slices the EndpointSlice controller would create for a Service with a selector. */
function slicesFor(svc: Service, pods: Pod[], nodes: Map<string, Node>): EndpointSlice[] {
  const sel = svc.spec?.selector;
  if (!sel || svc.spec?.type === 'ExternalName') return [];
  const selected = pods.filter((p) => p.metadata.namespace === svc.metadata.namespace && selectorMatches(sel, p.metadata.labels));
  const family = serviceFamily(svc);
  const { groups } = desiredGroups(svc, selected, (n) => nodes.get(n), family);
  return planSlices(svc, [], groups, family, 100, SLICE_CONTROLLER).create.map((s, i) => {
    const { generateName, ...meta } = s.metadata;
    const suffix = createHash('sha1').update(`${keyOf(svc)}/${i}`).digest('hex').slice(0, 5);
    return { ...s, metadata: { ...meta, name: `${generateName ?? ''}${suffix}` } };
  });
}

/** Completes decoded objects into the Snapshot a cluster would hold after applying them. */
export function completeSnapshot(parts: SnapshotParts): Snapshot {
  const namespaced = [...parts.pods, ...parts.services, ...parts.endpointSlices, ...parts.networkPolicies];
  const given = new Set(parts.namespaces.map((n) => n.metadata.name));
  const namespaces = [...parts.namespaces];
  for (const ns of [...new Set(namespaced.map((o) => o.metadata.namespace!))].sort()) {
    if (given.has(ns)) continue;
    const n = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } } as Namespace;
    namespaceDef.default!(n);
    namespaces.push(n);
  }
  const pods = [...parts.pods].sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : 1));
  const services = [...parts.services].sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : 1));
  const nodes = [...parts.nodes];
  const all: KObject[] = [...namespaces, ...pods, ...services, ...parts.endpointSlices, ...parts.networkPolicies, ...nodes];
  for (const o of all) o.metadata.uid ??= uidOf(o);
  completePods(pods, nodes, completeNodes(nodes, pods));
  for (const n of nodes) n.metadata.uid ??= uidOf(n);
  completeServices(services);
  const byName = new Map(nodes.map((n) => [n.metadata.name!, n]));
  // Slices the controller manages are recomputed; others (for Services without selectors) are kept.
  const endpointSlices = parts.endpointSlices.filter((s) => s.metadata.labels?.[LABEL_MANAGED_BY] !== SLICE_CONTROLLER);
  for (const s of services) endpointSlices.push(...slicesFor(s, pods, byName));
  return makeSnapshot({ namespaces, pods, services, endpointSlices, networkPolicies: parts.networkPolicies, nodes, workloads: parts.workloads });
}
