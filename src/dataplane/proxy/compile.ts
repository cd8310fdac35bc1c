/** Compiles a Service and its EndpointSlices into frozen `ServicePort`s. */
import type { EndpointSlice } from '../../api/kinds/endpointslice.js';
import type { Service } from '../../api/kinds/service-schema.js';
import { LABEL_SERVICE_PROXY_NAME } from '../../api/wellknown.js';
import type { Protocol } from '../../net/types.js';
import type { Distribution, Endpoint, ServicePort } from './model.js';

/** The default ClientIP affinity timeout (3 hours). */
export const DEFAULT_AFFINITY_SECONDS = 10800;

function protocolOf(v: string | undefined): Protocol {
  return v === 'UDP' || v === 'SCTP' ? v : 'TCP';
}

function distribution(v: string | undefined): Distribution {
  if (v === 'PreferSameNode') return 'PreferSameNode';
  if (v === 'PreferSameZone' || v === 'PreferClose') return 'PreferSameZone';
  return undefined;
}

function endpointsFor(slices: readonly EndpointSlice[], name: string, protocol: Protocol, families: Set<string>): Endpoint[] {
  const byAddr = new Map<string, Endpoint>();
  for (const s of slices) {
    if (!families.has(s.addressType ?? '')) continue;
    const sp = (s.ports ?? []).find((p) => (p.name ?? '') === name && (p.protocol ?? 'TCP') === protocol);
    if (!sp || typeof sp.port !== 'number') continue;
    for (const e of s.endpoints ?? []) {
      const ip = e.addresses?.[0];
      if (!ip) continue;
      const c = e.conditions ?? {};
      const ready = c.ready == null || c.ready;
      const ep: Endpoint = Object.freeze({
        addr: `${ip}:${sp.port}`, ip, port: sp.port, nodeName: e.nodeName, zone: e.zone, ready,
        serving: c.serving == null ? ready : c.serving, terminating: c.terminating === true,
        forZones: e.hints?.forZones?.map((z) => z.name), forNodes: e.hints?.forNodes?.map((n) => n.name),
      });
      const prev = byAddr.get(ep.addr);
      if (!prev || (!prev.ready && ep.ready)) byAddr.set(ep.addr, ep);
    }
  }
  return [...byAddr.values()].sort((a, b) => (a.addr < b.addr ? -1 : a.addr > b.addr ? 1 : 0));
}

/** The ServicePorts of one Service (none for ExternalName, headless or foreign-proxy Services). */
export function compileService(svc: Service, slices: readonly EndpointSlice[]): ServicePort[] {
  const spec = svc.spec ?? {};
  const type = spec.type ?? 'ClusterIP';
  if (type === 'ExternalName' || svc.metadata.labels?.[LABEL_SERVICE_PROXY_NAME] !== undefined) return [];
  const clusterIPs = (spec.clusterIPs?.length ? spec.clusterIPs : spec.clusterIP ? [spec.clusterIP] : []).filter((ip) => ip !== 'None' && ip !== '');
  if (!clusterIPs.length) return [];
  const families = new Set(clusterIPs.map((ip) => (ip.includes(':') ? 'IPv6' : 'IPv4')));
  const service = `${svc.metadata.namespace ?? ''}/${svc.metadata.name ?? ''}`;
  const external = type === 'NodePort' || type === 'LoadBalancer';
  const lbIPs = type === 'LoadBalancer' ? (svc.status?.loadBalancer?.ingress ?? []).flatMap((i) => (i.ip ? [i.ip] : [])) : [];
  const affinitySeconds = spec.sessionAffinity === 'ClientIP' ? spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? DEFAULT_AFFINITY_SECONDS : 0;
  return (spec.ports ?? []).flatMap((p): ServicePort[] => {
    if (typeof p.port !== 'number') return [];
    const portName = p.name ?? '';
    const protocol = protocolOf(p.protocol);
    const endpoints = Object.freeze(endpointsFor(slices, portName, protocol, families));
    return [Object.freeze({
      key: `${service}:${portName}`, service, portName, protocol, type, clusterIPs: Object.freeze([...clusterIPs]), port: p.port,
      nodePort: external && p.nodePort ? p.nodePort : undefined, loadBalancerIPs: Object.freeze([...lbIPs]), affinitySeconds,
      internalLocal: spec.internalTrafficPolicy === 'Local', externalLocal: external && spec.externalTrafficPolicy === 'Local',
      healthCheckNodePort: external && spec.externalTrafficPolicy === 'Local' ? spec.healthCheckNodePort : undefined,
      distribution: distribution(spec.trafficDistribution), endpoints,
      ready: Object.freeze(endpoints.filter((e) => e.ready)),
      fallback: Object.freeze(endpoints.filter((e) => !e.ready && e.serving && e.terminating)),
    })];
  });
}

/** The ports of the `kubernetes` Service with the API server endpoint filled in where its slices give none (loopback node addresses cannot be published in an EndpointSlice). */
export function withApiServerEndpoint(ports: readonly ServicePort[], node: { name: string; ip: string }, apiPort: number): readonly ServicePort[] {
  return ports.map((sp) => {
    if (sp.endpoints.length || sp.protocol !== 'TCP') return sp;
    const ep: Endpoint = Object.freeze({ addr: `${node.ip}:${apiPort}`, ip: node.ip, port: apiPort, nodeName: node.name, ready: true, serving: true, terminating: false });
    const eps = Object.freeze([ep]);
    return Object.freeze({ ...sp, endpoints: eps, ready: eps });
  });
}
