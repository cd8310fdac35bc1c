/** Ingress (networking.k8s.io/v1): HTTP routing rules from outside the cluster to Services. */
import { Obj, Opt, Str, Int32, List, Enum, Type, type Static } from '../schema.js';
import { kindProps, type KObject } from '../meta.js';
import type { ResourceDef } from '../resource.js';
import { field } from '../errors.js';
import { age, ageColumn, col, nameColumn } from '../printers/util.js';
import { isDNS1123Subdomain } from '../validation/names.js';
import { validateIngressSpec, validateIngressStatus, validateRules } from './ingress-validation.js';
import { ANNOTATION_INGRESS_CLASS } from '../wellknown.js';

const N = 'io.k8s.api.networking.v1.';

export const TypedLocalObjectReferenceSchema = Obj('io.k8s.api.core.v1.TypedLocalObjectReference', 'Points to an object of any kind in the same namespace.', {
  apiGroup: Opt(Str('API group of the referenced kind; empty for the core group.')),
  kind: Str('Kind of the referenced object.'),
  name: Str('Name of the referenced object.'),
}, { 'x-kubernetes-map-type': 'atomic' });

const ServiceBackendPortSchema = Obj(N + 'ServiceBackendPort', 'A port of the backend Service, by name or by number.', {
  name: Opt(Str('Name of the Service port.')),
  number: Opt(Int32('Number of the Service port.')),
});

const IngressServiceBackendSchema = Obj(N + 'IngressServiceBackend', 'A Service that receives the traffic.', {
  name: Str('Name of the Service, in the Ingress namespace.'),
  port: Opt(ServiceBackendPortSchema),
});

export const IngressBackendSchema = Obj(N + 'IngressBackend', 'Where matching traffic goes: a Service or another resource.', {
  resource: Opt(TypedLocalObjectReferenceSchema),
  service: Opt(IngressServiceBackendSchema),
});

const HTTPIngressPathSchema = Obj(N + 'HTTPIngressPath', 'A path and the backend that serves it.', {
  path: Opt(Str('Path matched against the request path; absolute for Exact and Prefix.')),
  pathType: Enum('How the path is matched.', ['Exact', 'ImplementationSpecific', 'Prefix']),
  backend: IngressBackendSchema,
});

const IngressRuleSchema = Obj(N + 'IngressRule', 'Routes for one host, or for every host when host is empty.', {
  host: Opt(Str('Fully qualified host name; a leading "*." matches one extra label.')),
  http: Opt(Obj(N + 'HTTPIngressRuleValue', 'HTTP paths of a rule.', {
    paths: List(HTTPIngressPathSchema, 'Paths and their backends.', { 'x-kubernetes-list-type': 'atomic' }),
  })),
});

const IngressTLSSchema = Obj(N + 'IngressTLS', 'TLS termination for a set of hosts.', {
  hosts: Opt(List(Type.String(), 'Hosts covered by the certificate.', { 'x-kubernetes-list-type': 'atomic' })),
  secretName: Opt(Str('Secret holding the certificate and key.')),
});

export const IngressSpecSchema = Obj(N + 'IngressSpec', 'The desired routing of an Ingress.', {
  ingressClassName: Opt(Str('Name of the IngressClass that implements this Ingress.')),
  defaultBackend: Opt(IngressBackendSchema),
  tls: Opt(List(IngressTLSSchema, 'TLS configuration.', { 'x-kubernetes-list-type': 'atomic' })),
  rules: Opt(List(IngressRuleSchema, 'Host rules; traffic matching none goes to the default backend.', { 'x-kubernetes-list-type': 'atomic' })),
});

const IngressPortStatusSchema = Obj(N + 'IngressPortStatus', 'The state of one load-balancer port.', {
  port: Int32('Port number.'),
  protocol: Str('Port protocol: TCP, UDP or SCTP.'),
  error: Opt(Str('Problem with the port, in CamelCase, if any.')),
});

export const IngressStatusSchema = Obj(N + 'IngressStatus', 'The observed state of an Ingress.', {
  loadBalancer: Opt(Obj(N + 'IngressLoadBalancerStatus', 'Addresses of the load balancer.', {
    ingress: Opt(List(Obj(N + 'IngressLoadBalancerIngress', 'One load-balancer address.', {
      ip: Opt(Str('IP address of the ingress point.')),
      hostname: Opt(Str('DNS name of the ingress point.')),
      ports: Opt(List(IngressPortStatusSchema, 'Per-port status.', { 'x-kubernetes-list-type': 'atomic' })),
    }), 'Ingress points of the load balancer.', { 'x-kubernetes-list-type': 'atomic' })),
  })),
});

export const IngressSchema = Obj(N + 'Ingress', 'Routes external HTTP(S) traffic to Services by host and path.', kindProps({
  spec: Opt(IngressSpecSchema),
  status: Opt(IngressStatusSchema),
}), { 'x-kubernetes-group-version-kind': [{ group: 'networking.k8s.io', version: 'v1', kind: 'Ingress' }] });
export type Ingress = Static<typeof IngressSchema> & KObject;
type IngressSpec = Static<typeof IngressSpecSchema>;

export { isWildcardDNS1123Subdomain, validateIngressSpec } from './ingress-validation.js';
export { pathSegmentErrors } from '../validation/names.js';

/** Hosts column: up to three hosts, `*` when none, `+ N more...` beyond (formatHosts). */
export function formatHosts(rules: IngressSpec['rules']): string {
  const list: string[] = [];
  let more = false;
  for (const r of rules ?? []) {
    if (list.length === 3) more = true;
    if (!more && r.host) list.push(r.host);
  }
  if (list.length === 0) return '*';
  return more ? `${list.join(',')} + ${(rules ?? []).length - 3} more...` : list.join(',');
}

/** Address column: the load-balancer IPs (or host names), sorted and de-duplicated. */
export function formatIngressAddress(ing: Ingress): string {
  const s = new Set<string>();
  for (const i of ing.status?.loadBalancer?.ingress ?? []) { if (i.ip) s.add(i.ip); else if (i.hostname) s.add(i.hostname); }
  return [...s].sort().join(',');
}

/** The API warning for a new Ingress that names its class only by the deprecated annotation. */
export const ingressClassAnnotationWarning = `annotation "${ANNOTATION_INGRESS_CLASS}" is deprecated, please use 'spec.ingressClassName' instead`;

export const ingressDef: ResourceDef<Ingress> = {
  group: 'networking.k8s.io', version: 'v1', kind: 'Ingress', plural: 'ingresses', singular: 'ingress',
  namespaced: true, shortNames: ['ing'], categories: [],
  schema: IngressSchema, statusSubresource: true, generation: true,
  // On update the spec is checked by validateUpdate, which knows which old values to tolerate.
  validate: (ing, ctx) => {
    if (ctx.operation === 'update') return [];
    const errs = validateIngressSpec(ing.spec ?? {});
    const ann = ing.metadata.annotations?.[ANNOTATION_INGRESS_CLASS];
    const cls = ing.spec?.ingressClassName;
    if (ann !== undefined && cls !== undefined && ann !== cls) {
      errs.push(field.invalid(`annotations.${ANNOTATION_INGRESS_CLASS}`, ann, 'must match `ingressClassName` when both are specified'));
    }
    return errs;
  },
  validateUpdate: (ing, old) => [
    ...validateIngressSpec(ing.spec ?? {}, {
      allowInvalidSecretName: (old.spec?.tls ?? []).some((t) => !!t.secretName && isDNS1123Subdomain(t.secretName).length > 0),
      allowWildcardRules: (old.spec?.rules ?? []).some((r) => (r.host ?? '').includes('*') && validateRules({ rules: [r] }, false).some((e) => e.field.includes('.http'))),
    }),
    // ValidateIngressStatusUpdate; an update of the main resource keeps the stored status, which is not re-checked.
    ...(JSON.stringify(ing.status) === JSON.stringify(old.status) ? [] : validateIngressStatus(ing.status)),
  ],
  // strategy.go WarningsOnCreate: only on create, and only while spec.ingressClassName is unset.
  warningsOnCreate: (ing) => (ing.metadata.annotations && Object.hasOwn(ing.metadata.annotations, ANNOTATION_INGRESS_CLASS) && ing.spec?.ingressClassName === undefined
    ? [ingressClassAnnotationWarning] : []),
  columns: [
    nameColumn,
    col('Class', 'string', 'IngressClass that implements the Ingress.'),
    col('Hosts', 'string', 'Host names the rules match.'),
    col('Address', 'string', 'Addresses of the load balancer.'),
    col('Ports', 'string', 'Ports the load balancer listens on.'),
    ageColumn,
  ],
  row: (ing, now) => [
    ing.metadata.name ?? '', ing.spec?.ingressClassName ?? '<none>', formatHosts(ing.spec?.rules), formatIngressAddress(ing),
    (ing.spec?.tls ?? []).length ? '80, 443' : '80', age(ing.metadata.creationTimestamp, now),
  ],
};
