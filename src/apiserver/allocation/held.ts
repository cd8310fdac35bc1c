/** What a Service holds from the allocators, and the type rules that decide it. */
import type { Service, ServiceSpec } from '../../api/kinds/service-schema.js';

/** Addresses and node ports a Service owns. */
export interface Held { ips: string[]; ports: number[] }

/** True when every port gets a node port (NodePort, or LoadBalancer unless allocateLoadBalancerNodePorts is false). */
export function shouldAllocateNodePorts(spec: ServiceSpec): boolean {
  return spec.type === 'NodePort' || (spec.type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts !== false);
}

/** True for LoadBalancer Services with externalTrafficPolicy Local (they get a healthCheckNodePort). */
export function needsHealthCheck(spec: ServiceSpec): boolean {
  return spec.type === 'LoadBalancer' && spec.externalTrafficPolicy === 'Local';
}

/** True when the Service's first clusterIP is None. */
export function headless(spec: ServiceSpec): boolean {
  return spec.clusterIPs?.[0] === 'None' || spec.clusterIP === 'None';
}

/** The node ports of spec.ports (collectServiceNodePorts). */
export function portNodePorts(spec: ServiceSpec): number[] {
  return (spec.ports ?? []).map((p) => p.nodePort ?? 0).filter((p) => p > 0);
}

/** The cluster IPs and node ports (health-check port included) a stored Service holds. */
export function heldBy(svc: Service | undefined): Held {
  const spec = svc?.spec;
  if (!spec) return { ips: [], ports: [] };
  const ips = spec.type === 'ExternalName' || headless(spec) ? [] : (spec.clusterIPs?.length ? spec.clusterIPs : spec.clusterIP ? [spec.clusterIP] : []);
  const ports = new Set(portNodePorts(spec));
  if (needsHealthCheck(spec) && spec.healthCheckNodePort) ports.add(spec.healthCheckNodePort);
  return { ips: [...new Set(ips)], ports: [...ports] };
}

const specOrder = ['ports', 'selector', 'clusterIP', 'clusterIPs', 'type', 'externalIPs', 'sessionAffinity', 'loadBalancerIP',
  'loadBalancerSourceRanges', 'externalName', 'externalTrafficPolicy', 'healthCheckNodePort', 'publishNotReadyAddresses',
  'sessionAffinityConfig', 'ipFamilies', 'ipFamilyPolicy', 'allocateLoadBalancerNodePorts', 'loadBalancerClass',
  'internalTrafficPolicy', 'trafficDistribution'];

/** Puts spec keys back in Go struct order after fields were added. */
export function reorderSpec(spec: ServiceSpec): void {
  const rec = spec as Record<string, unknown>;
  const entries = Object.entries(rec);
  for (const k of Object.keys(rec)) delete rec[k];
  const rank = (k: string) => { const i = specOrder.indexOf(k); return i < 0 ? specOrder.length : i; };
  for (const [k, v] of entries.sort((a, b) => rank(a[0]) - rank(b[0]))) rec[k] = v;
}
