/** The index functions of the cluster view's required indexes. */
import type { EndpointSlice } from '../api/kinds/endpointslice.js';
import type { Ingress } from '../api/kinds/ingress.js';
import type { Pod } from '../api/kinds/pod.js';
import { ANNOTATION_INGRESS_CLASS, LABEL_SERVICE_NAME } from '../api/wellknown.js';

/** EndpointSlices by their Service, `namespace/name` from the `kubernetes.io/service-name` label. */
export const SLICES_BY_SERVICE = 'service';
/** Pods by each of their IPs (`status.podIPs`, and `status.podIP`). */
export const PODS_BY_IP = 'ip';
/** Ingresses by class: `spec.ingressClassName`, else the `kubernetes.io/ingress.class` annotation, else '' (the default class applies). */
export const INGRESSES_BY_CLASS = 'class';
/** Ingresses by every Service they route to, as `namespace/name` (default backend and each rule path). */
export const INGRESSES_BY_BACKEND = 'backendService';

/** The SLICES_BY_SERVICE keys of a slice. */
export function sliceService(s: EndpointSlice): string[] {
  const svc = s.metadata.labels?.[LABEL_SERVICE_NAME];
  return svc ? [`${s.metadata.namespace ?? ''}/${svc}`] : [];
}

/** The PODS_BY_IP keys of a pod. */
export function podIPs(p: Pod): string[] {
  const ips = (p.status?.podIPs ?? []).flatMap((x) => (x.ip ? [x.ip] : []));
  if (p.status?.podIP && !ips.includes(p.status.podIP)) ips.push(p.status.podIP);
  return ips;
}

/** The class an Ingress asks for ('' when none: the default IngressClass applies). */
export function ingressClassOf(ing: Ingress): string {
  return ing.spec?.ingressClassName ?? ing.metadata.annotations?.[ANNOTATION_INGRESS_CLASS] ?? '';
}

/** The INGRESSES_BY_CLASS keys of an Ingress. */
export function ingressClass(ing: Ingress): string[] {
  return [ingressClassOf(ing)];
}

/** The INGRESSES_BY_BACKEND keys of an Ingress. */
export function ingressBackends(ing: Ingress): string[] {
  const ns = ing.metadata.namespace ?? '';
  const names = new Set<string>();
  const svc = ing.spec?.defaultBackend?.service?.name;
  if (svc) names.add(svc);
  for (const rule of ing.spec?.rules ?? []) {
    for (const p of rule.http?.paths ?? []) if (p.backend.service?.name) names.add(p.backend.service.name);
  }
  return [...names].map((n) => `${ns}/${n}`);
}
