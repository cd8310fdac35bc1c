/**
 * The immutable proxy table: compiled Service ports indexed by ClusterIP, NodePort and
 * LoadBalancer address. A sync builds a new table from the previous one plus the changed
 * Services, and the router swaps it in at once, so a flow never sees half an update.
 */
import { nodePortKey, vipKey, type ProxyNode, type ServicePort } from './model.js';
import { ShardMap, type ShardMapEditor } from './shardmap.js';

/** A host socket the proxy keeps open. */
export interface Bind { protocol: 'TCP' | 'UDP'; ip: string; port: number; kind: 'nodePort' | 'loadBalancer'; sp: ServicePort }

/** The identity of a host socket. */
export function bindKey(protocol: string, ip: string, port: number): string {
  return `${protocol} ${ip}:${port}`;
}

/** One compiled state of the proxy. */
export class ProxyTable {
  private constructor(
    /** Compiled ports by Service key (`namespace/name`). */
    readonly services: ShardMap<readonly ServicePort[]>,
    /** By `clusterIP:port/protocol`. */
    readonly vips: ShardMap<ServicePort>,
    /** By `nodePort/protocol`. */
    readonly nodePorts: ShardMap<ServicePort>,
    /** By `ingressIP:port/protocol`. */
    readonly loadBalancers: ShardMap<ServicePort>,
    /** Nodes by name and by IP. */
    readonly nodes: ReadonlyMap<string, ProxyNode>,
    readonly nodeByIp: ReadonlyMap<string, ProxyNode>,
  ) {}

  /** An empty table for a set of nodes. */
  static empty(nodes: readonly ProxyNode[]): ProxyTable {
    return new ProxyTable(ShardMap.empty(), ShardMap.empty(), ShardMap.empty(), ShardMap.empty(), new Map(nodes.map((n) => [n.name, n])), new Map(nodes.map((n) => [n.ip, n])));
  }

  /** A new table with some Services replaced (undefined: removed) and optionally new nodes. */
  with(changed: ReadonlyMap<string, readonly ServicePort[] | undefined>, nodes?: readonly ProxyNode[]): ProxyTable {
    const services = this.services.edit();
    const vips = this.vips.edit();
    const nodePorts = this.nodePorts.edit();
    const lbs = this.loadBalancers.edit();
    const del = (m: ShardMapEditor<ServicePort>, k: string, svc: string): void => { if (m.get(k)?.service === svc) m.delete(k); };
    for (const [svc] of changed) {
      for (const sp of this.services.get(svc) ?? []) {
        for (const ip of sp.clusterIPs) del(vips, vipKey(ip, sp.port, sp.protocol), svc);
        if (sp.nodePort) del(nodePorts, nodePortKey(sp.nodePort, sp.protocol), svc);
        for (const ip of sp.loadBalancerIPs) del(lbs, vipKey(ip, sp.port, sp.protocol), svc);
      }
      services.delete(svc);
    }
    for (const [svc, ports] of changed) {
      if (!ports?.length) continue;
      services.set(svc, ports);
      for (const sp of ports) {
        for (const ip of sp.clusterIPs) vips.set(vipKey(ip, sp.port, sp.protocol), sp);
        if (sp.nodePort) nodePorts.set(nodePortKey(sp.nodePort, sp.protocol), sp);
        for (const ip of sp.loadBalancerIPs) lbs.set(vipKey(ip, sp.port, sp.protocol), sp);
      }
    }
    const n = nodes ? new Map(nodes.map((x) => [x.name, x])) : this.nodes;
    const byIp = nodes ? new Map(nodes.map((x) => [x.ip, x])) : this.nodeByIp;
    return new ProxyTable(services.done(), vips.done(), nodePorts.done(), lbs.done(), n, byIp);
  }

  /** The host sockets this table needs: NodePorts on every node IP and 127.0.0.1, load balancers on their ingress IPs. */
  binds(): Map<string, Bind> {
    const out = new Map<string, Bind>();
    const add = (b: Bind): void => { out.set(bindKey(b.protocol, b.ip, b.port), b); };
    for (const sp of this.ports()) {
      if (sp.protocol === 'SCTP') continue;
      if (sp.nodePort) for (const ip of ['127.0.0.1', ...[...this.nodes.values()].map((n) => n.ip)]) add({ protocol: sp.protocol, ip, port: sp.nodePort, kind: 'nodePort', sp });
      for (const ip of sp.loadBalancerIPs) add({ protocol: sp.protocol, ip, port: sp.port, kind: 'loadBalancer', sp });
    }
    return out;
  }

  /** Every compiled port, sorted by key. */
  ports(): ServicePort[] {
    return [...this.services.values()].flat().sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }
}
