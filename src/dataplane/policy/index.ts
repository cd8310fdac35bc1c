/**
 * NetworkPolicy enforcement for a live cluster: the cluster view's policies, namespaces and pods
 * feed one engine as they change, and its filter judges every new flow in the network.
 */
import type { ClusterView } from '../../client/view.js';
import type { FlowPlan, Peer } from '../../net/flow.js';
import type { Network } from '../../net/types.js';
import { PolicyEngine } from './engine.js';
import { isPolicyHop, NetworkPolicyFilter } from './filter.js';

/** A running enforcement. */
export interface NetworkPolicyEnforcement {
  readonly engine: PolicyEngine;
  stop(): void;
}

/** Feeds an engine from the view and installs its filter in the network's flow pipeline. */
export function startNetworkPolicy(view: ClusterView, network: Network): NetworkPolicyEnforcement {
  const engine = new PolicyEngine();
  const ns = (o: { metadata: { namespace?: string } }): string => o.metadata.namespace ?? 'default';
  const stops = [
    view.namespaces.subscribe({ add: (n) => engine.setNamespace(n), update: (_p, n) => engine.setNamespace(n), delete: (n) => engine.deleteNamespace(n.metadata.name ?? '') }),
    view.pods.subscribe({ add: (p) => engine.setPod(p), update: (_p, p) => engine.setPod(p), delete: (p) => engine.deletePod(ns(p), p.metadata.name ?? '') }),
    view.networkPolicies.subscribe({ add: (p) => engine.setPolicy(p), update: (_p, p) => engine.setPolicy(p), delete: (p) => engine.deletePolicy(ns(p), p.metadata.name ?? '') }),
    network.addFilter(new NetworkPolicyFilter(engine)),
  ];
  return { engine, stop: () => { for (const s of stops) s(); } };
}

/** The drop log's line for a flow the policy filter dropped: who, where, and the deciding policies. */
export function formatDrop(plan: FlowPlan): string {
  const end = (a: { ip: string; port: number }, p?: Peer): string => `${a.ip}:${a.port}${p?.kind === 'pod' ? ` (${p.namespace}/${p.name})` : ''}`;
  const via = plan.translated && (plan.flow.dst.ip !== plan.dst.ip || plan.flow.dst.port !== plan.dst.port) ? ` via ${plan.flow.dst.ip}:${plan.flow.dst.port}` : '';
  const hop = plan.trace.find(isPolicyHop);
  return `network-policy: dropped ${plan.flow.protocol} ${end(plan.src, plan.from)} -> ${end(plan.dst, plan.to)}${via}: ${hop?.summary ?? 'dropped'}`;
}
