/** Builders of Services and EndpointSlices for the proxy's tests and benchmark. */
import type { EndpointSlice } from '../../api/kinds/endpointslice.js';
import type { Service } from '../../api/kinds/service-schema.js';
import { LABEL_MANAGED_BY, LABEL_SERVICE_NAME } from '../../api/wellknown.js';

/** Options of a test Service. */
export interface SvcOpts {
  ns?: string; type?: string; clusterIP?: string; ports?: { name?: string; port: number; protocol?: string; nodePort?: number }[];
  affinity?: number; itp?: string; etp?: string; dist?: string; lb?: string[];
}

/** A Service object as the API server would store it. */
export function svc(name: string, o: SvcOpts = {}): Service {
  const spec: NonNullable<Service['spec']> = {
    type: o.type ?? 'ClusterIP', clusterIP: o.clusterIP ?? '10.96.0.100', clusterIPs: [o.clusterIP ?? '10.96.0.100'],
    ports: (o.ports ?? [{ port: 80 }]).map((p) => ({ protocol: 'TCP', targetPort: p.port, ...p })),
    sessionAffinity: o.affinity ? 'ClientIP' : 'None', internalTrafficPolicy: o.itp ?? 'Cluster',
  };
  if (o.affinity) spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: o.affinity } };
  if (o.etp) spec.externalTrafficPolicy = o.etp;
  if (o.dist) spec.trafficDistribution = o.dist;
  const status = o.lb ? { loadBalancer: { ingress: o.lb.map((ip) => ({ ip, ipMode: 'VIP' })) } } : { loadBalancer: {} };
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: o.ns ?? 'default', uid: `uid-${name}` }, spec, status };
}

/** An endpoint of a test slice: `ip@node` plus optional conditions and zone. */
export interface EpOpts { ip: string; node?: string; zone?: string; ready?: boolean; serving?: boolean; terminating?: boolean; forZones?: string[] }

/** An EndpointSlice for a Service. */
export function slice(service: string, name: string, eps: EpOpts[], ports: { name?: string; port: number; protocol?: string }[] = [{ name: '', port: 8080 }], ns = 'default'): EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', addressType: 'IPv4',
    metadata: { name, namespace: ns, labels: { [LABEL_SERVICE_NAME]: service, [LABEL_MANAGED_BY]: 'endpointslice-controller.k8s.io' } },
    endpoints: eps.map((e) => ({
      addresses: [e.ip], nodeName: e.node, zone: e.zone,
      conditions: { ready: e.ready ?? true, serving: e.serving ?? e.ready ?? true, terminating: e.terminating ?? false },
      ...(e.forZones ? { hints: { forZones: e.forZones.map((z) => ({ name: z })) } } : {}),
    })),
    ports: ports.map((p) => ({ protocol: 'TCP', ...p })),
  };
}
