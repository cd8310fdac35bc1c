/**
 * A cluster model built from a snapshot of objects: the same virtual network, service translator
 * and NetworkPolicy filter as a running cluster, so `plan(flow)` gives the same trace offline, for
 * a running knet, and for any real cluster's objects.
 */
import type { EndpointSlice } from '../api/kinds/endpointslice.js';
import type { Pod } from '../api/kinds/pod.js';
import { LABEL_SERVICE_NAME } from '../api/wellknown.js';
import { isActive } from '../controllers/util/pods.js';
import { compileService } from '../dataplane/proxy/compile.js';
import type { ProxyNode, ServicePort } from '../dataplane/proxy/model.js';
import { ProxyTable } from '../dataplane/proxy/table.js';
import { isServiceHop, ServiceTranslator } from '../dataplane/proxy/translator.js';
import { PolicyEngine } from '../dataplane/policy/engine.js';
import { NetworkPolicyFilter } from '../dataplane/policy/filter.js';
import type { Flow, FlowPlan, Peer } from '../net/flow.js';
import { createNetwork } from '../net/network.js';
import type { Addr, Network, Protocol } from '../net/types.js';
import type { Snapshot } from './snapshot.js';

/** A snapshot's network with its proxy and policy engine. */
export interface Model {
  readonly snapshot: Snapshot;
  readonly network: Network;
  readonly engine: PolicyEngine;
  /** Pods by `ns/name` (running ones with an address). */
  readonly pods: ReadonlyMap<string, Pod>;
  /** The flow identity of a pod. */
  peerOf(pod: Pod): Peer;
  /** Plans a flow from a peer to an address: `seed` picks among a Service's endpoints. */
  plan(from: Peer, dst: Addr, protocol: Protocol, seed?: number): FlowPlan;
  /** One plan per endpoint a Service address may choose (one plan when the address is not a Service's). */
  planEvery(from: Peer, dst: Addr, protocol: Protocol): FlowPlan[];
}

const key = (o: { metadata: { namespace?: string; name?: string } }): string => `${o.metadata.namespace ?? 'default'}/${o.metadata.name ?? ''}`;

function nodesOf(s: Snapshot): ProxyNode[] {
  return s.nodes.map((n) => ({
    name: n.metadata.name ?? '',
    ip: n.status?.addresses?.find((a) => a.type === 'InternalIP')?.address ?? '',
    zone: n.metadata.labels?.['topology.kubernetes.io/zone'],
  })).filter((n) => n.ip);
}

/** Builds the model of a snapshot. */
export function buildModel(snapshot: Snapshot): Model {
  const pods = new Map<string, Pod>();
  for (const p of snapshot.pods) if (p.status?.podIP && isActive(p)) pods.set(key(p), p);
  const network = createNetwork({ pods: { labels: (ns, name) => pods.get(`${ns}/${name}`)?.metadata.labels, version: 0 }, random: () => 0, now: () => 0 });
  const nodes = nodesOf(snapshot);
  for (const n of nodes) if (!network.stackFor(n.ip)) network.addStack([n.ip], { kind: 'node', name: n.name });
  for (const p of pods.values()) {
    if (p.spec?.hostNetwork) continue;
    const ips = (p.status?.podIPs?.map((i) => i.ip) ?? [p.status!.podIP!]).filter((ip): ip is string => !!ip && !network.stackFor(ip));
    if (ips.length) network.addStack(ips, { kind: 'pod', namespace: p.metadata.namespace ?? 'default', name: p.metadata.name ?? '', nodeName: p.spec?.nodeName });
  }
  const slices = new Map<string, EndpointSlice[]>();
  for (const s of snapshot.endpointSlices) {
    const svc = `${s.metadata.namespace ?? 'default'}/${s.metadata.labels?.[LABEL_SERVICE_NAME] ?? ''}`;
    slices.set(svc, [...(slices.get(svc) ?? []), s]);
  }
  const compiled = new Map<string, readonly ServicePort[]>();
  for (const svc of snapshot.services) compiled.set(key(svc), compileService(svc, slices.get(key(svc)) ?? []));
  const translator = new ServiceTranslator(nodes);
  translator.setTable(ProxyTable.empty(nodes).with(compiled, nodes));
  network.addTranslator(translator);
  const engine = new PolicyEngine();
  for (const ns of snapshot.namespaces) engine.setNamespace(ns);
  for (const p of pods.values()) engine.setPod(p);
  for (const np of snapshot.networkPolicies) engine.setPolicy(np);
  network.addFilter(new NetworkPolicyFilter(engine));

  const peerOf = (p: Pod): Peer => {
    const ip = p.status?.podIP ?? '';
    if (p.spec?.hostNetwork) return { kind: 'node', ip, name: p.spec.nodeName, node: p.spec.nodeName };
    return { kind: 'pod', ip, namespace: p.metadata.namespace ?? 'default', name: p.metadata.name, node: p.spec?.nodeName, labels: p.metadata.labels };
  };
  const plan = (from: Peer, dst: Addr, protocol: Protocol, seed = 0): FlowPlan => {
    const flow: Flow = { protocol, src: { ip: from.ip, port: 40000 }, dst, from, node: from.node, seed, at: 0 };
    return network.plan(flow);
  };
  const planEvery = (from: Peer, dst: Addr, protocol: Protocol): FlowPlan[] => {
    const first = plan(from, dst, protocol);
    const n = first.trace.find(isServiceHop)?.detail?.eligible.length ?? 0;
    if (n <= 1) return [first];
    return Array.from({ length: n }, (_, i) => plan(from, dst, protocol, (i + 0.5) / n));
  };
  return { snapshot, network, engine, pods, peerOf, plan, planEvery };
}
