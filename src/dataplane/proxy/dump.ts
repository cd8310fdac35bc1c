/** Renders a proxy table as stable text (what iptables-save is to kube-proxy), for tests and debugging. */
import type { Endpoint, ServicePort } from './model.js';
import type { ProxyTable } from './table.js';

function endpointLine(e: Endpoint): string {
  const conds = [e.ready ? 'ready' : '', e.serving ? 'serving' : '', e.terminating ? 'terminating' : ''].filter(Boolean).join(',') || 'not-serving';
  const parts = [`  -> ${e.addr}`, `node=${e.nodeName ?? '-'}`, `zone=${e.zone ?? '-'}`, conds];
  if (e.forZones) parts.push(`forZones=${e.forZones.join(',')}`);
  if (e.forNodes) parts.push(`forNodes=${e.forNodes.join(',')}`);
  return parts.join(' ');
}

function portLine(sp: ServicePort): string {
  const parts = [`${sp.key}`, sp.protocol, sp.clusterIPs.map((ip) => `${ip}:${sp.port}`).join(','), `type=${sp.type}`];
  if (sp.nodePort) parts.push(`nodePort=${sp.nodePort}`);
  if (sp.loadBalancerIPs.length) parts.push(`loadBalancer=${sp.loadBalancerIPs.join(',')}`);
  if (sp.affinitySeconds) parts.push(`affinity=ClientIP/${sp.affinitySeconds}s`);
  if (sp.internalLocal) parts.push('internalTrafficPolicy=Local');
  if (sp.externalLocal) parts.push('externalTrafficPolicy=Local');
  if (sp.distribution) parts.push(`trafficDistribution=${sp.distribution}`);
  return parts.join(' ');
}

/** The table as text: nodes, then each Service port with its endpoints and verdict, then host sockets. */
export function dumpProxyTable(t: ProxyTable): string {
  const lines = ['*nodes'];
  for (const n of [...t.nodes.values()].sort((a, b) => a.name.localeCompare(b.name))) lines.push(`${n.name} ${n.ip}${n.zone ? ` zone=${n.zone}` : ''}`);
  lines.push('*services');
  for (const sp of t.ports()) {
    lines.push(portLine(sp));
    for (const e of sp.endpoints) lines.push(endpointLine(e));
    if (!sp.ready.length && !sp.fallback.length) lines.push('  !! no serving endpoints: REJECT');
    else if (!sp.ready.length) lines.push('  !! no ready endpoints: terminating fallback');
  }
  lines.push('*listeners');
  for (const [key, b] of [...t.binds()].sort(([a], [b]) => a.localeCompare(b))) lines.push(`${key} ${b.kind} ${b.sp.key}`);
  return lines.join('\n') + '\n';
}
