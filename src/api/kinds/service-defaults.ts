/**
 * Service defaulting and the write-time normalisation kube-apiserver applies (SetDefaults_Service,
 * IP-family initialisation, and the update-time patching of allocated values). IP and node-port
 * allocation themselves happen elsewhere.
 */
import type { Service, ServiceSpec } from './service-schema.js';
import { parseIP } from './netval.js';

const specOrder = ['ports', 'selector', 'clusterIP', 'clusterIPs', 'type', 'externalIPs', 'sessionAffinity', 'loadBalancerIP',
  'loadBalancerSourceRanges', 'externalName', 'externalTrafficPolicy', 'healthCheckNodePort', 'publishNotReadyAddresses',
  'sessionAffinityConfig', 'ipFamilies', 'ipFamilyPolicy', 'allocateLoadBalancerNodePorts', 'loadBalancerClass',
  'internalTrafficPolicy', 'trafficDistribution'];
const portOrder = ['name', 'protocol', 'appProtocol', 'port', 'targetPort', 'nodePort'];

/** Rewrites `o`'s keys in Go struct order (kube-apiserver's JSON field order); unknown keys go last. */
export function orderKeys<T extends object>(o: T, order: string[]): T {
  const rec = o as Record<string, unknown>;
  const entries = Object.entries(rec);
  for (const k of Object.keys(rec)) delete rec[k];
  for (const k of order) { const e = entries.find(([n]) => n === k); if (e) rec[k] = e[1]; }
  for (const [k, v] of entries) if (!order.includes(k)) rec[k] = v;
  return o;
}

/** True for NodePort, LoadBalancer, and ClusterIP with externalIPs (service.ExternallyAccessible). */
export function externallyAccessible(spec: ServiceSpec): boolean {
  return spec.type === 'LoadBalancer' || spec.type === 'NodePort' || (spec.type === 'ClusterIP' && (spec.externalIPs?.length ?? 0) > 0);
}

/** True when the Service has clusterIPs ["None"]. */
export function isHeadless(spec: ServiceSpec): boolean {
  return spec.clusterIPs?.length === 1 && spec.clusterIPs[0] === 'None';
}

function dropEmpty(rec: Record<string, unknown>, keys: string[]): void {
  for (const k of keys) if (rec[k] === '' || rec[k] === 0 || rec[k] === null) delete rec[k];
}

function defaultIPFamilies(spec: ServiceSpec): void {
  if (spec.type === 'ExternalName') return;
  if (isHeadless(spec) && Object.keys(spec.selector ?? {}).length === 0) {
    spec.ipFamilyPolicy ??= 'RequireDualStack';
    if (!spec.ipFamilies?.length) spec.ipFamilies = ['IPv4'];
    if (spec.ipFamilies.length < 2 && spec.ipFamilyPolicy === 'RequireDualStack') {
      spec.ipFamilies.push(spec.ipFamilies[0] === 'IPv6' ? 'IPv4' : 'IPv6');
    }
    return;
  }
  spec.ipFamilyPolicy ??= 'SingleStack';
  if (!spec.ipFamilies?.length) {
    const fams = (isHeadless(spec) ? [] : spec.clusterIPs ?? []).map((ip) => (parseIP(ip)?.length === 16 ? 'IPv6' : 'IPv4'));
    spec.ipFamilies = fams.length ? fams : ['IPv4'];
  }
}

/** SetDefaults_Service plus IP-family defaulting, in place; empty strings and zeros count as unset. */
export function defaultService(svc: Service): void {
  const spec = (svc.spec ??= {});
  dropEmpty(spec as Record<string, unknown>, ['type', 'sessionAffinity', 'externalTrafficPolicy', 'clusterIP', 'externalName',
    'loadBalancerIP', 'healthCheckNodePort', 'loadBalancerClass', 'ipFamilyPolicy', 'internalTrafficPolicy']);
  // `selector` is an omitempty map: `{}` is not stored, so such a Service selects no pods (kubernetes#25836).
  if (spec.selector && Object.keys(spec.selector).length === 0) delete spec.selector;
  if (!spec.sessionAffinity) spec.sessionAffinity = 'None';
  if (spec.sessionAffinity === 'None') delete spec.sessionAffinityConfig;
  if (spec.sessionAffinity === 'ClientIP' && !spec.sessionAffinityConfig?.clientIP?.timeoutSeconds) {
    spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: 10800 } };
  }
  if (!spec.type) spec.type = 'ClusterIP';
  for (const p of spec.ports ?? []) {
    dropEmpty(p as Record<string, unknown>, ['name', 'protocol', 'nodePort']);
    if (!p.protocol) p.protocol = 'TCP';
    if (p.targetPort === undefined || p.targetPort === 0 || p.targetPort === '') p.targetPort = p.port;
    orderKeys(p, portOrder);
  }
  if (externallyAccessible(spec) && !spec.externalTrafficPolicy) spec.externalTrafficPolicy = 'Cluster';
  if (!spec.internalTrafficPolicy && ['NodePort', 'LoadBalancer', 'ClusterIP'].includes(spec.type)) spec.internalTrafficPolicy = 'Cluster';
  if (spec.type === 'LoadBalancer') spec.allocateLoadBalancerNodePorts ??= true;
  if (spec.clusterIP && !spec.clusterIPs?.length) spec.clusterIPs = [spec.clusterIP];
  defaultIPFamilies(spec);
  const status = (svc.status ??= {});
  status.loadBalancer ??= {};
  if (spec.type === 'LoadBalancer') {
    for (const ing of status.loadBalancer.ingress ?? []) if (ing.ip && !ing.ipMode) ing.ipMode = 'VIP';
  }
  orderKeys(spec, specOrder);
}

/** PrepareForCreate: a new Service starts with an empty status. */
export function prepareServiceForCreate(svc: Service): void {
  svc.status = { loadBalancer: {} };
}

const sameJSON = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
const needsNodePorts = (s: ServiceSpec): boolean => s.type === 'NodePort' || (s.type === 'LoadBalancer' && s.allocateLoadBalancerNodePorts !== false);
const needsHCNodePort = (s: ServiceSpec): boolean => s.type === 'LoadBalancer' && s.externalTrafficPolicy === 'Local';

/** Keeps allocated values a client left out (patchAllocatedValues), then syncs clusterIP/clusterIPs (normalizeClusterIPs). */
function patchAllocated(n: ServiceSpec, o: ServiceSpec): void {
  if (n.type !== 'ExternalName' && o.type !== 'ExternalName') {
    if (!n.clusterIP && o.clusterIP) n.clusterIP = o.clusterIP;
    if (!n.clusterIPs?.length && o.clusterIPs?.length) n.clusterIPs = [...o.clusterIPs];
  }
  if (needsNodePorts(o) && needsNodePorts(n)) {
    const oldUsed = new Set((o.ports ?? []).map((p) => p.nodePort).filter(Boolean));
    const used = new Set((n.ports ?? []).map((p) => p.nodePort).filter((x) => x && oldUsed.has(x)));
    const byName = new Map((o.ports ?? []).map((p) => [p.name ?? '', p.nodePort]));
    for (const p of n.ports ?? []) {
      const v = byName.get(p.name ?? '');
      if (!p.nodePort && v && !used.has(v)) p.nodePort = v;
    }
  }
  if (needsHCNodePort(o) && needsHCNodePort(n) && !n.healthCheckNodePort && o.healthCheckNodePort) n.healthCheckNodePort = o.healthCheckNodePort;
  if (o.clusterIPs?.length && !n.clusterIPs?.length && o.clusterIP === n.clusterIP) n.clusterIPs = [...o.clusterIPs];
  if ((o.clusterIP ?? '') !== (n.clusterIP ?? '') && sameJSON(o.clusterIPs, n.clusterIPs)) {
    if (o.clusterIP && !n.clusterIP) delete n.clusterIPs;
    else if (n.clusterIP) n.clusterIPs = [n.clusterIP];
  }
}

/** Clears values that no longer apply after a type change, when the client did not touch them (dropTypeDependentFields). */
function dropTypeDependent(n: ServiceSpec, o: ServiceSpec): void {
  if (o.type !== 'ExternalName' && n.type === 'ExternalName') {
    if (sameJSON(o.clusterIPs, n.clusterIPs)) { delete n.clusterIP; delete n.clusterIPs; }
    if (sameJSON(o.ipFamilies, n.ipFamilies)) delete n.ipFamilies;
    if (o.ipFamilyPolicy === n.ipFamilyPolicy) delete n.ipFamilyPolicy;
  }
  const nodePorts = (s: ServiceSpec) => (s.ports ?? []).map((p) => p.nodePort ?? 0);
  if (needsNodePorts(o) && !needsNodePorts(n) && sameJSON(nodePorts(o), nodePorts(n))) for (const p of n.ports ?? []) delete p.nodePort;
  if (o.type === 'LoadBalancer' && n.type !== 'LoadBalancer' && n.allocateLoadBalancerNodePorts !== undefined
    && n.allocateLoadBalancerNodePorts === o.allocateLoadBalancerNodePorts) delete n.allocateLoadBalancerNodePorts;
  if (needsHCNodePort(o) && !needsHCNodePort(n) && o.healthCheckNodePort === n.healthCheckNodePort) delete n.healthCheckNodePort;
  if (o.type === 'LoadBalancer' && n.type !== 'LoadBalancer' && o.loadBalancerClass === n.loadBalancerClass) delete n.loadBalancerClass;
  if (externallyAccessible(o) && !externallyAccessible(n) && o.externalTrafficPolicy === n.externalTrafficPolicy) delete n.externalTrafficPolicy;
}

/** PrepareForUpdate plus the registry's update hooks: keep allocated values, sync clusterIPs, drop type-dependent fields. */
export function prepareServiceForUpdate(svc: Service, old: Service): void {
  const n = (svc.spec ??= {});
  const o = old.spec ?? {};
  patchAllocated(n, o);
  dropTypeDependent(n, o);
}
