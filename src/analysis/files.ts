/**
 * A Snapshot from manifests on disk (`-f DIR_OR_FILE`), with no cluster: the objects are decoded
 * as the API server would store them, workloads stand in for their pods, and what the cluster
 * would add (namespaces, a node, IPs, readiness, EndpointSlices) is synthesized deterministically.
 */
import type { KObject } from '../api/meta.js';
import type { Namespace } from '../api/kinds/namespace.js';
import type { Pod } from '../api/kinds/pod.js';
import type { Service } from '../api/kinds/service-schema.js';
import type { EndpointSlice } from '../api/kinds/endpointslice.js';
import type { NetworkPolicy } from '../api/kinds/networkpolicy.js';
import type { Node } from '../api/kinds/node.js';
import { decodeStored, decodeWorkload, KNOWN_KINDS, servedVersion } from './decode.js';
import { readManifests } from './manifests.js';
import { completeSnapshot } from './synthesize.js';
import { SnapshotError, type Snapshot } from './snapshot.js';
import { keyOf } from '../client/informer.js';

/** A Snapshot read from files, with what was read and what was left aside. */
export interface FileSnapshot {
  snapshot: Snapshot;
  /** Manifest files read. */
  files: number;
  /** Objects used (workloads count once). */
  objects: number;
  /** Objects of kinds the analysis does not use (Ingress, ConfigMap, CRDs…), ignored silently, by `apiVersion/kind`. */
  ignored: Map<string, number>;
}

/** Loads a Snapshot from a manifest file or a folder of them (recursively). */
export function loadFileSnapshot(path: string): FileSnapshot {
  const { manifests, files } = readManifests(path);
  if (manifests.length === 0) throw new SnapshotError(`no objects found in ${path} (manifest files end in .yaml, .yml or .json)`);
  // Re-applying the same object replaces it, as `kubectl apply` would (later files win).
  const stored = new Map<string, KObject>();
  const workloadPods = new Map<string, { pod: Pod; workload: string }>();
  const ignored = new Map<string, number>();
  for (const m of manifests) {
    const d = decodeStored(m);
    if (d) { stored.set(`${String(d.obj.kind)}/${keyOf(d.obj)}`, d.obj); continue; }
    const w = decodeWorkload(m);
    if (w) { workloadPods.set(`${w.obj.metadata.namespace!}/${w.workload}`, { pod: w.obj, workload: w.workload }); continue; }
    if (w === null) continue; // scaled to zero: no pods
    const kind = String(m.obj['kind']), k = `${String(m.obj['apiVersion'])}/${kind}`;
    // A policy or workload in a version no cluster serves would silently change the answer: refuse it as the API server does.
    if (KNOWN_KINDS.has(kind)) throw new SnapshotError(`${m.where}: no matches for kind "${kind}" in version "${String(m.obj['apiVersion'])}" (use ${servedVersion(kind)!})`);
    ignored.set(k, (ignored.get(k) ?? 0) + 1);
  }
  const of = <T>(kind: string): T[] => [...stored.values()].filter((o) => o.kind === kind) as T[];
  const pods = of<Pod>('Pod');
  const taken = new Set(pods.map(keyOf));
  const workloads = new Map<string, string>();
  for (const { pod, workload } of workloadPods.values()) {
    // A workload whose representative's name is taken (by a Pod or another kind of workload) is told apart by its kind.
    if (taken.has(keyOf(pod))) pod.metadata.name = `${pod.metadata.name!}-${workload.split('/')[0]!}`;
    taken.add(keyOf(pod));
    workloads.set(keyOf(pod), workload);
    pods.push(pod);
  }
  const snapshot = completeSnapshot({
    namespaces: of<Namespace>('Namespace'), pods, services: of<Service>('Service'), endpointSlices: of<EndpointSlice>('EndpointSlice'),
    networkPolicies: of<NetworkPolicy>('NetworkPolicy'), nodes: of<Node>('Node'), workloads,
  });
  return { snapshot, files, objects: stored.size + workloadPods.size, ignored };
}
