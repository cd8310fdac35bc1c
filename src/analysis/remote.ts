/**
 * A Snapshot of a live cluster read through a kubeconfig context: read-only GET list calls for
 * Namespaces, Pods, Services, EndpointSlices, NetworkPolicies and Nodes (any Kubernetes cluster:
 * a second knet, kind, a cloud cluster).
 */
import type { Namespace } from '../api/kinds/namespace.js';
import type { Pod } from '../api/kinds/pod.js';
import type { Service } from '../api/kinds/service-schema.js';
import type { EndpointSlice } from '../api/kinds/endpointslice.js';
import type { NetworkPolicy } from '../api/kinds/networkpolicy.js';
import type { Node } from '../api/kinds/node.js';
import { ApiStatusError, apiGet, apiList, type ExtraCredentials } from './apiclient.js';
import { execCredential } from './credentials.js';
import { resolveClusterAccess, type ClusterAccess, type KubeconfigOptions } from './kubeconfig.js';
import { makeSnapshot, workloadsOfPods, type Snapshot } from './snapshot.js';

/** Which cluster to read, and optionally only some namespaces. */
export interface RemoteOptions extends KubeconfigOptions {
  /**
   * Read only these namespaces (GET each Namespace, list objects inside each) instead of listing
   * cluster-wide: for accounts whose RBAC allows no cluster-wide list.
   */
  namespaces?: string[];
}

const NEEDED = 'read-only analysis needs get/list on namespaces, pods, services, endpointslices.discovery.k8s.io and networkpolicies.networking.k8s.io'
  + ' (or limit it to namespaces you may read)';

/** One namespaced resource: its API path prefix, apiVersion and kind. */
interface Resource { prefix: string; plural: string; apiVersion: string; kind: string }
const R = {
  pods: { prefix: '/api/v1', plural: 'pods', apiVersion: 'v1', kind: 'Pod' },
  services: { prefix: '/api/v1', plural: 'services', apiVersion: 'v1', kind: 'Service' },
  endpointSlices: { prefix: '/apis/discovery.k8s.io/v1', plural: 'endpointslices', apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice' },
  networkPolicies: { prefix: '/apis/networking.k8s.io/v1', plural: 'networkpolicies', apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy' },
} satisfies Record<string, Resource>;

function forbiddenHint(e: unknown): never {
  if (e instanceof ApiStatusError && e.status === 403) throw new ApiStatusError(`${e.message} - ${NEEDED}`, e.status, e.reason);
  throw e;
}

/** Reads a Snapshot from the cluster of an already resolved kubeconfig context. */
export async function readClusterSnapshot(access: ClusterAccess, namespaces?: string[]): Promise<Snapshot> {
  const extra: ExtraCredentials = access.exec ? await execCredential(access, access.exec) : {};
  const list = async <T>(r: Resource): Promise<T[]> => {
    if (!namespaces) return apiList<T>(access, `${r.prefix}/${r.plural}`, r.apiVersion, r.kind, extra).catch(forbiddenHint);
    const per = await Promise.all(namespaces.map((ns) =>
      apiList<T>(access, `${r.prefix}/namespaces/${encodeURIComponent(ns)}/${r.plural}`, r.apiVersion, r.kind, extra).catch(forbiddenHint)));
    return per.flat();
  };
  const nsList = namespaces
    ? Promise.all(namespaces.map(async (ns) => ({ apiVersion: 'v1', kind: 'Namespace', ...await apiGet(access, `/api/v1/namespaces/${encodeURIComponent(ns)}`, extra) as object }) as Namespace))
    : apiList<Namespace>(access, '/api/v1/namespaces', 'v1', 'Namespace', extra);
  // Nodes only name where pods run; an account that may not list them still gets an analysis.
  const nodes = apiList<Node>(access, '/api/v1/nodes', 'v1', 'Node', extra).catch((e: unknown) => {
    if (e instanceof ApiStatusError && e.status === 403) return [];
    throw e;
  });
  const [ns, pods, services, endpointSlices, networkPolicies, nodeList] = await Promise.all([
    nsList.catch(forbiddenHint), list<Pod>(R.pods), list<Service>(R.services), list<EndpointSlice>(R.endpointSlices),
    list<NetworkPolicy>(R.networkPolicies), nodes,
  ]);
  return makeSnapshot({ namespaces: ns, pods, services, endpointSlices, networkPolicies, nodes: nodeList, workloads: workloadsOfPods(pods) });
}

/** Loads a Snapshot from the cluster of a kubeconfig context (default: the current context; $KUBECONFIG honoured as kubectl does). */
export async function loadRemoteSnapshot(opts: RemoteOptions): Promise<Snapshot> {
  return readClusterSnapshot(resolveClusterAccess(opts), opts.namespaces);
}
