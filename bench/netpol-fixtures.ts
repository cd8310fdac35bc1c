/**
 * A synthetic cluster for the NetworkPolicy benchmark: `pods` pods over 20 namespaces (labels
 * app/tier/team, named ports), and `policies` policies mixing default-deny, pod and namespace
 * selectors (AND and OR), named ports, port ranges and IP blocks with exceptions, as real clusters do.
 */
import type { Namespace } from '../src/api/kinds/namespace.js';
import { defaultNetworkPolicy, type NetworkPolicy } from '../src/api/kinds/networkpolicy.js';
import type { Pod } from '../src/api/kinds/pod.js';

const NAMESPACES = 20;

/** The namespaces `ns0`… with the default name label and a team label. */
export function namespaces(): Namespace[] {
  return Array.from({ length: NAMESPACES }, (_, i) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: `ns${i}`, labels: { 'kubernetes.io/metadata.name': `ns${i}`, team: `t${i % 4}` } } }));
}

/** Pod `i`: namespace ns(i%20), app a(i%25), tier, an address 10.244.x.y, ports http 8080 and metrics 9090. */
export function pod(i: number): Pod {
  const ip = `10.244.${Math.floor(i / 250)}.${(i % 250) + 2}`;
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: `p${i}`, namespace: `ns${i % NAMESPACES}`, labels: { app: `a${i % 25}`, tier: ['web', 'api', 'db'][i % 3]!, 'pod-template-hash': `h${i % 7}` } },
    spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'agnhost', ports: [{ name: 'http', containerPort: 8080 }, { name: 'metrics', containerPort: 9090 }] }] },
    status: { phase: 'Running', podIP: ip, podIPs: [{ ip }] },
  };
}

/** Policy `i` in namespace ns(i%20), one of eight shapes. */
export function policy(i: number): NetworkPolicy {
  const ns = `ns${i % NAMESPACES}`;
  const app = { matchLabels: { app: `a${i % 25}` } };
  const shapes: NonNullable<NetworkPolicy['spec']>[] = [
    { podSelector: app, ingress: [{ from: [{ podSelector: { matchLabels: { tier: 'web' } } }], ports: [{ port: 'http' }] }] },
    { podSelector: app, ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: `t${i % 4}` } }, podSelector: { matchLabels: { tier: 'api' } } }] }] },
    { podSelector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['db'] }] }, ingress: [{ from: [{ podSelector: { matchLabels: { tier: 'api' } } }, { namespaceSelector: { matchLabels: { team: 't0' } } }], ports: [{ port: 5432 }, { port: 8000, endPort: 8100 }] }] },
    { podSelector: app, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '10.244.0.0/16', except: ['10.244.3.0/24'] } }], ports: [{ protocol: 'TCP', port: 8080 }] }, { ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }] }] },
    { podSelector: app, ingress: [{ ports: [{ port: 'metrics' }] }, { from: [{ namespaceSelector: {} }] }] },
    { podSelector: { matchLabels: { tier: 'web' } }, ingress: [{ from: [{ ipBlock: { cidr: '127.0.0.0/8' } }] }] },
    { podSelector: app, policyTypes: ['Ingress', 'Egress'], ingress: [{ from: [{ podSelector: app }] }], egress: [{ to: [{ podSelector: app }] }] },
    { podSelector: { matchLabels: { app: `a${(i + 3) % 25}`, tier: 'api' } }, ingress: [{ from: [{ namespaceSelector: { matchExpressions: [{ key: 'team', operator: 'NotIn', values: ['t3'] }] } }], ports: [{ port: 8080, endPort: 8090 }] }] },
  ];
  const np: NetworkPolicy = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: `np${i}`, namespace: ns }, spec: structuredClone(shapes[i % shapes.length]!) };
  defaultNetworkPolicy(np);
  return np;
}
