/** A small cluster snapshot for the analysis tests: namespaces x and y, pods a and b, a Service per pod. */
import type { Pod } from '../api/kinds/pod.js';
import { defaultNetworkPolicy, type NetworkPolicy } from '../api/kinds/networkpolicy.js';
import { slice, svc } from '../dataplane/proxy/testdata.js';
import { makeSnapshot, type Snapshot } from './snapshot.js';

const NS = ['x', 'y'];
const PODS = ['a', 'b'];

/** Pod `ns/name` at 10.244.<ns>.<10+pod> serving 80 (`serve-80-tcp`) and 81 on node n1. */
export function pod(ns: string, name: string, labels: Record<string, string> = { pod: name }): Pod {
  const ip = `10.244.${NS.indexOf(ns)}.${PODS.indexOf(name) + 10}`;
  return {
    apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns, labels },
    spec: { nodeName: 'n1', containers: [80, 81].map((p) => ({ name: `cont-${p}-tcp`, image: 'agnhost', ports: [{ name: `serve-${p}-tcp`, containerPort: p, protocol: 'TCP' }] })) },
    status: { phase: 'Running', podIP: ip, podIPs: [{ ip }] },
  };
}

/** A defaulted policy. */
export function policy(ns: string, name: string, spec: NetworkPolicy['spec']): NetworkPolicy {
  const np: NetworkPolicy = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace: ns }, spec };
  defaultNetworkPolicy(np);
  return np;
}

/** The snapshot with the given policies. */
export function snapshot(policies: NetworkPolicy[]): Snapshot {
  const pods = NS.flatMap((ns) => PODS.map((p) => pod(ns, p)));
  const services = pods.map((p, i) => svc(`s-${p.metadata.namespace}-${p.metadata.name}`, { ns: p.metadata.namespace, clusterIP: `10.96.1.${i + 10}`, ports: [{ name: 'http', port: 80 }] }));
  const slices = pods.map((p) => slice(`s-${p.metadata.namespace}-${p.metadata.name}`, `s-${p.metadata.name}-1`, [{ ip: p.status!.podIP!, node: 'n1' }], [{ name: 'http', port: 80 }], p.metadata.namespace));
  return makeSnapshot({
    namespaces: NS.map((n) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: n, labels: { 'kubernetes.io/metadata.name': n } } })),
    pods, services, endpointSlices: slices, networkPolicies: policies,
    nodes: [{ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' }, status: { addresses: [{ type: 'InternalIP', address: '127.1.0.1' }] } }],
  });
}
