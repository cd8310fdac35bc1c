/**
 * The service translator: DNAT of ClusterIP, NodePort and LoadBalancer flows to an endpoint chosen
 * from the current table (with the flow's seed, or ClientIP session affinity), with masquerade for
 * hairpin and externalTrafficPolicy Cluster. Planning reads; `commit` records affinity.
 */
import type { Flow, Hop, Translation, Translator } from '../../net/flow.js';
import type { Addr } from '../../net/types.js';
import { isServiceHop, SERVICE_PROXY, ServiceHopRecord, type ServiceVia } from './hop.js';
import { nodePortKey, vipKey, type Endpoint, type ProxyNode, type ServicePort } from './model.js';
import { externalCandidates, internalCandidates, type Candidates, type Locality } from './select.js';
import { ProxyTable } from './table.js';

interface Sticky { addr: string; last: number; ttl: number }

type Masquerade = (ep: Endpoint) => { ip: string; why: string } | undefined;

/** The service proxy's translator. */
export class ServiceTranslator implements Translator {
  readonly name = SERVICE_PROXY;
  private tbl: ProxyTable;
  private readonly affinity = new Map<string, Sticky>();
  private commits = 0;

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

  translate(flow: Flow, dst: Addr): Translation | undefined {
    const t = this.tbl;
    const sp = t.vips.get(vipKey(dst.ip, dst.port, flow.protocol));
    if (sp) {
      const hairpin = this.nodeIp(flow.node);
      return this.choose(sp, 'ClusterIP', flow, dst, (ep) => (hairpin && ep.ip === flow.src.ip ? { ip: hairpin, why: 'hairpin: the client is its own endpoint' } : undefined));
    }
    const node = t.nodeByIp.get(dst.ip);
    const np = node && t.nodePorts.get(nodePortKey(dst.port, flow.protocol));
    if (node && np) return this.choose(np, 'NodePort', flow, dst, () => (np.externalLocal ? undefined : { ip: node.ip, why: 'externalTrafficPolicy: Cluster' }));
    const lb = t.loadBalancers.get(vipKey(dst.ip, dst.port, flow.protocol));
    if (lb) {
      const via = flow.from.kind === 'outside' && !lb.externalLocal ? this.nodeIp(flow.node) ?? t.nodes.values().next().value?.ip : undefined;
      return this.choose(lb, 'LoadBalancer', flow, dst, () => (via ? { ip: via, why: 'externalTrafficPolicy: Cluster' } : undefined));
    }
    return undefined;
  }

  commit(hop: Hop, flow: Flow): void {
    if (!isServiceHop(hop)) return;
    const d = hop.detail;
    if (!d?.affinity || !d.chosen) return;
    if (++this.commits % 4096 === 0) this.sweep(flow.at);
    this.affinity.set(d.affinity.key, { addr: d.chosen.addr, last: flow.at, ttl: d.affinity.seconds * 1000 });
  }

  /** An established UDP flow keeps its endpoint while that endpoint still serves the port (kube-proxy clears conntrack only for endpoints that stopped serving, whatever traffic policy or topology would pick now). */
  holds(hop: Hop): boolean {
    if (!isServiceHop(hop) || !hop.detail?.chosen) return false;
    const { service, port, chosen } = hop.detail;
    const sp = this.tbl.services.get(service)?.find((p) => p.key === port);
    return !!sp && sp.endpoints.some((e) => e.addr === chosen.addr && e.serving);
  }

  /** Where a node is: its name and zone. */
  private locality(node: string | undefined): Locality {
    return { node, zone: node ? this.tbl.nodes.get(node)?.zone : undefined };
  }

  private nodeIp(node: string | undefined): string | undefined {
    return node ? this.tbl.nodes.get(node)?.ip : undefined;
  }

  private candidates(sp: ServicePort, via: ServiceVia, flow: Flow, dst: Addr): Candidates {
    if (via === 'ClusterIP') return internalCandidates(sp, this.locality(flow.node));
    if (via === 'NodePort') {
      const at = this.tbl.nodeByIp.get(dst.ip);
      return externalCandidates(sp, { node: at?.name, zone: at?.zone });
    }
    return externalCandidates(sp, this.locality(flow.node), true);
  }

  private choose(sp: ServicePort, via: ServiceVia, flow: Flow, dst: Addr, masq: Masquerade): Translation {
    const c = this.candidates(sp, via, flow, dst);
    if (!c.ok) {
      const detail = { service: sp.service, port: sp.key, via, eligible: [], rule: c.reason, chosen: undefined, choice: undefined, affinity: undefined, masquerade: undefined };
      return { action: c.action, hop: new ServiceHopRecord(c.action, detail, dst, flow.protocol) };
    }
    const affKey = sp.affinitySeconds > 0 ? `${sp.key}|${via === 'ClusterIP' ? 'i' : 'e'}|${flow.src.ip}` : undefined;
    const sticky = affKey ? this.affinity.get(affKey) : undefined;
    const held = sticky && flow.at - sticky.last <= sticky.ttl ? c.endpoints.find((e) => e.addr === sticky.addr) : undefined;
    const ep = held ?? c.endpoints[Math.min(c.endpoints.length - 1, Math.floor(flow.seed * c.endpoints.length))]!;
    const m = masq(ep);
    const detail = {
      service: sp.service, port: sp.key, via, eligible: c.endpoints, rule: c.rule, chosen: ep, choice: held ? 'affinity' as const : 'seed' as const,
      affinity: affKey ? { key: affKey, seconds: sp.affinitySeconds } : undefined, masquerade: m,
    };
    const hop = new ServiceHopRecord('translate', detail, dst, flow.protocol);
    return m ? { action: 'translate', dst: { ip: ep.ip, port: ep.port }, src: { ip: m.ip, port: flow.src.port }, hop } : { action: 'translate', dst: { ip: ep.ip, port: ep.port }, hop };
  }

  private sweep(now: number): void {
    for (const [k, s] of this.affinity) if (now - s.last > s.ttl) this.affinity.delete(k);
  }
}

export { isServiceHop, SERVICE_PROXY, type ServiceHop, type ServiceHopDetail, type ServiceVia } from './hop.js';
