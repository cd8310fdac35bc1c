/**
 * The service router: DNAT of ClusterIP and NodePort flows to an endpoint chosen from the current
 * table, with ClientIP session affinity, UDP flow stickiness (conntrack) and hairpin masquerade.
 */
import type { Addr, Flow, RouteDecision, Router, StackIdentity } from '../../net/types.js';
import { nodePortKey, vipKey, type Endpoint, type ProxyNode, type ServicePort } from './model.js';
import { externalCandidates, internalCandidates, type Candidates, type Locality } from './select.js';
import { ProxyTable } from './table.js';

/** How long an idle UDP flow keeps its endpoint (nf_conntrack_udp_timeout_stream is 120 s; plain is 30 s). */
export const UDP_FLOW_TIMEOUT_MS = 30_000;

interface Sticky { addr: string; last: number; ttl: number }

/** The outcome of choosing an endpoint for traffic arriving from outside. */
export type ExternalChoice =
  | { ok: true; endpoint: Endpoint; node: ProxyNode | undefined; keepSource: boolean }
  | { ok: false; action: 'reject' | 'drop'; reason: string };

/** The service proxy's Router. */
export class ServiceRouter implements Router {
  readonly name = 'service-proxy';
  /** Clock and random source (replaceable in tests). */
  now: () => number = Date.now;
  random: () => number = Math.random;
  private tbl: ProxyTable;
  private readonly affinity = new Map<string, Sticky>();
  private readonly udpFlows = new Map<string, Sticky>();
  private pending?: { node: string; dst: Addr; decision: RouteDecision };
  private ops = 0;

  constructor(nodes: readonly ProxyNode[] = []) {
    this.tbl = ProxyTable.empty(nodes);
  }

  /** The table in use. */
  get table(): ProxyTable {
    return this.tbl;
  }

  /** Swaps in a new table (atomically: the next flow sees all of it). */
  setTable(t: ProxyTable): void {
    this.tbl = t;
  }

  route(flow: Flow): RouteDecision {
    const p = this.pending;
    if (p && flow.from.kind === 'node' && flow.from.name === p.node && flow.dst.ip === p.dst.ip && flow.dst.port === p.dst.port) return p.decision;
    const t = this.tbl;
    const sp = t.vips.get(vipKey(flow.dst.ip, flow.dst.port, flow.protocol));
    if (sp) return this.internal(sp, flow);
    const node = t.nodeByIp.get(flow.dst.ip);
    const np = node && t.nodePorts.get(nodePortKey(flow.dst.port, flow.protocol));
    if (node && np) return this.decide(np, externalCandidates(np, { node: node.name, zone: node.zone }), 'e', flow, np.externalLocal ? undefined : node.ip);
    const lb = t.loadBalancers.get(vipKey(flow.dst.ip, flow.dst.port, flow.protocol));
    if (lb) return this.decide(lb, externalCandidates(lb, this.locality(flow.from), true), 'e', flow, undefined);
    return { action: 'next' };
  }

  /** Where a stack is: its node and that node's zone. */
  locality(from: StackIdentity): Locality {
    const node = from.nodeName ?? (from.kind === 'node' ? from.name : undefined);
    return { node, zone: node ? this.tbl.nodes.get(node)?.zone : undefined };
  }

  private internal(sp: ServicePort, flow: Flow): RouteDecision {
    const at = this.locality(flow.from);
    const d = this.decide(sp, internalCandidates(sp, at), 'i', flow, undefined);
    if (d.action === 'deliver' && d.dst.ip === flow.src.ip) {
      const nodeIp = at.node ? this.tbl.nodes.get(at.node)?.ip : undefined;
      if (nodeIp) return { ...d, srcRewrite: { ip: nodeIp, port: flow.src.port }, reason: `${d.reason ?? ''} (hairpin)` };
    }
    return d;
  }

  private decide(sp: ServicePort, c: Candidates, scope: string, flow: Flow, snatIp: string | undefined): RouteDecision {
    if (!c.ok) return { action: c.action, reason: c.reason };
    const ep = this.pick(sp, c.endpoints, scope, flow.src, flow.protocol === 'UDP' ? `${flow.src.ip}:${flow.src.port}>${flow.dst.ip}:${flow.dst.port}` : undefined);
    const d: RouteDecision = { action: 'deliver', dst: { ip: ep.ip, port: ep.port }, reason: `${sp.key} -> ${ep.addr}` };
    return snatIp ? { ...d, srcRewrite: { ip: snatIp, port: flow.src.port } } : d;
  }

  /** Chooses one endpoint: the flow's UDP conntrack entry, then the client's affinity, then at random. */
  pick(sp: ServicePort, eps: readonly Endpoint[], scope: string, client: Addr, udpKey?: string): Endpoint {
    const now = this.now();
    if (++this.ops % 4096 === 0) this.sweep(now);
    const alive = (s: Sticky | undefined): Endpoint | undefined => (s && now - s.last <= s.ttl ? eps.find((e) => e.addr === s.addr) : undefined);
    const flow = udpKey ? this.udpFlows.get(udpKey) : undefined;
    const affKey = sp.affinitySeconds > 0 ? `${sp.key}|${scope}|${client.ip}` : undefined;
    const aff = affKey ? this.affinity.get(affKey) : undefined;
    const ep = alive(flow) ?? alive(aff) ?? eps[Math.min(eps.length - 1, Math.floor(this.random() * eps.length))]!;
    if (affKey) this.affinity.set(affKey, { addr: ep.addr, last: now, ttl: sp.affinitySeconds * 1000 });
    if (udpKey) this.udpFlows.set(udpKey, { addr: ep.addr, last: now, ttl: UDP_FLOW_TIMEOUT_MS });
    return ep;
  }

  /** Chooses the endpoint for a connection or datagram received from outside on a node (or load balancer) listener. */
  external(sp: ServicePort, node: ProxyNode | undefined, client: Addr, loadBalancer: boolean): ExternalChoice {
    const c = externalCandidates(sp, { node: node?.name, zone: node?.zone }, loadBalancer);
    if (!c.ok) return c;
    const endpoint = this.pick(sp, c.endpoints, 'e', client);
    const via = node ?? (sp.externalLocal && endpoint.nodeName ? this.tbl.nodes.get(endpoint.nodeName) : undefined) ?? this.tbl.nodes.values().next().value;
    return { ok: true, endpoint, node: via, keepSource: sp.externalLocal };
  }

  /** Runs `open`, which must start one flow from node `node` to `dst` synchronously, with `decision` forced for it. */
  forced<T>(node: string, dst: Addr, decision: RouteDecision, open: () => T): T {
    this.pending = { node, dst, decision };
    try {
      return open();
    } finally {
      this.pending = undefined;
    }
  }

  private sweep(now: number): void {
    for (const m of [this.affinity, this.udpFlows]) for (const [k, s] of m) if (now - s.last > s.ttl) m.delete(k);
  }
}
