/**
 * A Snapshot: the objects NetworkPolicy analysis computes from, whatever their origin (the running
 * knet cluster, a folder of manifests, or a real cluster read through a kubeconfig).
 */
import type { Namespace } from '../api/kinds/namespace.js';
import type { Pod } from '../api/kinds/pod.js';
import type { Service } from '../api/kinds/service-schema.js';
import type { EndpointSlice } from '../api/kinds/endpointslice.js';
import type { NetworkPolicy } from '../api/kinds/networkpolicy.js';
import type { Node } from '../api/kinds/node.js';
import type { KObject } from '../api/meta.js';
import { keyOf } from '../client/informer.js';

/** The objects one analysis computes from; every list is sorted by namespace then name. */
export interface Snapshot {
  namespaces: Namespace[];
  pods: Pod[];
  services: Service[];
  endpointSlices: EndpointSlice[];
  networkPolicies: NetworkPolicy[];
  nodes: Node[];
  /** Pod key `ns/name` → the workload it stands for, for display (`deployment/web`); absent for pods without one. */
  workloads: Map<string, string>;
}

/** A problem with the input of a snapshot (file, kubeconfig, cluster access); the CLI prints `error: <message>`. */
export class SnapshotError extends Error {
  override readonly name = 'SnapshotError';
}


function byKey(a: KObject, b: KObject): number {
  const ka = [a.metadata.namespace ?? '', a.metadata.name ?? ''], kb = [b.metadata.namespace ?? '', b.metadata.name ?? ''];
  return ka[0]! < kb[0]! ? -1 : ka[0]! > kb[0]! ? 1 : ka[1]! < kb[1]! ? -1 : ka[1]! > kb[1]! ? 1 : 0;
}

/** Builds a Snapshot from unsorted lists, sorting each by namespace then name (and the workloads by pod key). */
export function makeSnapshot(parts: Omit<Snapshot, 'workloads'> & { workloads?: Map<string, string> }): Snapshot {
  return {
    namespaces: [...parts.namespaces].sort(byKey),
    pods: [...parts.pods].sort(byKey),
    services: [...parts.services].sort(byKey),
    endpointSlices: [...parts.endpointSlices].sort(byKey),
    networkPolicies: [...parts.networkPolicies].sort(byKey),
    nodes: [...parts.nodes].sort(byKey),
    workloads: new Map([...parts.workloads ?? []].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
  };
}

/**
 * The workload a live pod belongs to, from its controller reference: a ReplicaSet named
 * `<deployment>-<pod-template-hash>` stands for its Deployment (the hash is the pod's
 * `pod-template-hash` label, as the Deployment controller names them); undefined without an owner.
 */
export function workloadOfPod(pod: Pod): string | undefined {
  const owner = pod.metadata.ownerReferences?.find((r) => r.controller) ?? pod.metadata.ownerReferences?.[0];
  if (!owner) return undefined;
  const hash = pod.metadata.labels?.['pod-template-hash'];
  if (owner.kind === 'ReplicaSet' && hash && owner.name.endsWith(`-${hash}`)) {
    return `deployment/${owner.name.slice(0, -hash.length - 1)}`;
  }
  return `${owner.kind.toLowerCase()}/${owner.name}`;
}

/** The workloads of live pods (pods without an owner are left out). */
export function workloadsOfPods(pods: Pod[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const p of pods) {
    const w = workloadOfPod(p);
    if (w) out.set(keyOf(p), w);
  }
  return out;
}
