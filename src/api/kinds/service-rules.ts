/** ValidateService and ValidateServiceUpdate: the Service rules in kube-apiserver's order. */
import { field, type FieldError } from '../errors.js';
import { GoValue, goStringSlice } from '../gofmt.js';
import { isDNS1123Subdomain, isQualifiedName, isValidPortNum } from '../validation/names.js';
import type { Service, ServiceSpec } from './service-schema.js';
import { externallyAccessible, isHeadless } from './service-defaults.js';
import { parseIP, validateCIDR, validateIP, validateNonSpecialIP } from './netval.js';
import {
  allocatorErrors, goServicePortKey, validateAffinity, validateClusterIPs, validatePorts, validateSelector, validateTypeSpecific,
} from './service-validation.js';

const types = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const trafficPolicies = ['Cluster', 'Local'];
const lbOnly = "may only be used when `type` is 'LoadBalancer'";

function validateDuplicates(spec: ServiceSpec): FieldError[] {
  const errs: FieldError[] = [];
  const ports = spec.ports ?? [];
  if (spec.type === 'ClusterIP') {
    ports.forEach((p, i) => { if (p.nodePort) errs.push(field.forbidden(`spec.ports[${i}].nodePort`, "may not be used when `type` is 'ClusterIP'")); });
  }
  const nodePorts = new Set<string>();
  ports.forEach((p, i) => {
    if (!p.nodePort) return;
    const key = `${p.protocol ?? ''}/${p.nodePort}`;
    if (nodePorts.has(key)) errs.push(field.duplicate(`spec.ports[${i}].nodePort`, p.nodePort));
    nodePorts.add(key);
  });
  const seen = new Set<string>();
  ports.forEach((p, i) => {
    const key = `${p.protocol ?? ''}/${p.port}`;
    if (seen.has(key)) errs.push(field.duplicate(`spec.ports[${i}]`, goServicePortKey(p.protocol ?? '', p.port ?? 0)));
    seen.add(key);
  });
  return errs;
}

function validateLoadBalancerFields(svc: Service, spec: ServiceSpec): FieldError[] {
  const errs: FieldError[] = [];
  const ann = svc.metadata.annotations?.['service.beta.kubernetes.io/load-balancer-source-ranges'];
  if (spec.loadBalancerSourceRanges?.length) {
    if (spec.type !== 'LoadBalancer') errs.push(field.forbidden('spec.LoadBalancerSourceRanges', lbOnly));
    spec.loadBalancerSourceRanges.forEach((v, i) => errs.push(...validateCIDR(`spec.LoadBalancerSourceRanges[${i}]`, v.trim())));
  } else if (ann !== undefined) {
    const p = 'metadata.annotations[service.beta.kubernetes.io/load-balancer-source-ranges]';
    if (spec.type !== 'LoadBalancer') errs.push(field.forbidden(p, lbOnly));
    if (ann.trim()) for (const v of ann.trim().split(',')) errs.push(...validateCIDR(p, v.trim()));
  }
  if (spec.allocateLoadBalancerNodePorts !== undefined && spec.type !== 'LoadBalancer') errs.push(field.forbidden('spec.allocateLoadBalancerNodePorts', lbOnly));
  if (spec.type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts === undefined) errs.push(field.required('allocateLoadBalancerNodePorts'));
  if (spec.loadBalancerClass !== undefined) {
    if (spec.type !== 'LoadBalancer') errs.push(field.forbidden('spec.loadBalancerClass', lbOnly));
    else for (const m of isQualifiedName(spec.loadBalancerClass)) errs.push(field.invalid('spec.loadBalancerClass', spec.loadBalancerClass, m));
  }
  return errs;
}

function validateTrafficPolicies(spec: ServiceSpec): FieldError[] {
  const errs: FieldError[] = [];
  if (!externallyAccessible(spec)) {
    if (spec.externalTrafficPolicy) errs.push(field.invalid('spec.externalTrafficPolicy', spec.externalTrafficPolicy, 'may only be set for externally-accessible services'));
  } else if (!spec.externalTrafficPolicy) errs.push(field.required('spec.externalTrafficPolicy'));
  else if (!trafficPolicies.includes(spec.externalTrafficPolicy)) errs.push(field.notSupported('spec.externalTrafficPolicy', spec.externalTrafficPolicy, trafficPolicies));
  const hc = spec.healthCheckNodePort;
  if (!(spec.type === 'LoadBalancer' && spec.externalTrafficPolicy === 'Local')) {
    if (hc) errs.push(field.invalid('spec.healthCheckNodePort', hc, "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"));
  } else if (hc) for (const m of isValidPortNum(hc)) errs.push(field.invalid('spec.healthCheckNodePort', hc, m));
  if (spec.internalTrafficPolicy === undefined) {
    if (spec.type === 'NodePort' || spec.type === 'LoadBalancer' || spec.type === 'ClusterIP') errs.push(field.required('spec.internalTrafficPolicy'));
  } else if (!trafficPolicies.includes(spec.internalTrafficPolicy)) errs.push(field.notSupported('spec.internalTrafficPolicy', spec.internalTrafficPolicy, trafficPolicies));
  const dist = ['PreferClose', 'PreferSameNode', 'PreferSameZone'];
  if (spec.trafficDistribution !== undefined && !dist.includes(spec.trafficDistribution)) {
    errs.push(field.notSupported('spec.trafficDistribution', spec.trafficDistribution, dist));
  }
  return errs;
}

/** ValidateLoadBalancerStatus for the ingress entries (the type check is left to status writers). */
function validateLBStatus(svc: Service): FieldError[] {
  const errs: FieldError[] = [];
  (svc.status?.loadBalancer?.ingress ?? []).forEach((ing, i) => {
    const p = `status.loadBalancer.ingress[${i}]`;
    if (ing.ip) errs.push(...validateIP(`${p}.ip`, ing.ip));
    if (ing.ipMode === undefined) { if (ing.ip) errs.push(field.required(`${p}.ipMode`, 'must be specified when `ip` is set')); }
    else if (!ing.ip) errs.push(field.forbidden(`${p}.ipMode`, 'may not be specified when `ip` is not set'));
    else if (!['Proxy', 'VIP'].includes(ing.ipMode)) errs.push(field.notSupported(`${p}.ipMode`, ing.ipMode, ['Proxy', 'VIP']));
    if (ing.hostname) {
      for (const m of isDNS1123Subdomain(ing.hostname)) errs.push(field.invalid(`${p}.hostname`, ing.hostname, m));
      if (parseIP(ing.hostname)) errs.push(field.invalid(`${p}.hostname`, ing.hostname, 'must be a DNS name, not an IP address'));
    }
  });
  return errs;
}

/** ValidateService (plus the node-port range check the allocator makes first); metadata is checked by the server. */
export function validateService(svc: Service): FieldError[] {
  const spec = svc.spec ?? {};
  const alloc = allocatorErrors(spec);
  if (alloc.length) return alloc;
  const errs: FieldError[] = [];
  if (!spec.ports?.length && !isHeadless(spec) && spec.type !== 'ExternalName') errs.push(field.required('spec.ports'));
  errs.push(...validateTypeSpecific(spec), ...validatePorts(spec), ...validateSelector(spec.selector), ...validateAffinity(spec));
  errs.push(...validateClusterIPs(spec));
  (spec.externalIPs ?? []).forEach((ip, i) => {
    const e = validateIP(`spec.externalIPs[${i}]`, ip);
    errs.push(...(e.length ? e : validateNonSpecialIP(`spec.externalIPs[${i}]`, ip)));
  });
  if (!spec.type) errs.push(field.required('spec.type'));
  else if (!types.includes(spec.type)) errs.push(field.notSupported('spec.type', spec.type, types));
  errs.push(...validateDuplicates(spec), ...validateLoadBalancerFields(svc, spec), ...validateTrafficPolicies(spec));
  return [...errs, ...validateLBStatus(svc)];
}

function upgradeDowngradeClusterIPs(n: ServiceSpec, o: ServiceSpec): FieldError[] {
  if (n.type === 'ExternalName' || o.type === 'ExternalName' || (isHeadless(n) && isHeadless(o))) return [];
  const errs: FieldError[] = [];
  const ni = n.clusterIPs ?? [];
  const oi = o.clusterIPs ?? [];
  const val = new GoValue(goStringSlice(n.clusterIPs));
  const changed = (i: number) => field.invalid(`spec.clusterIPs[${i}]`, val, 'may not change once set');
  if (ni.length === oi.length) oi.forEach((ip, i) => { if (ip !== ni[i]) errs.push(changed(i)); });
  else if (oi.length > ni.length) {
    if (ni.length === 0) errs.push(field.invalid('spec.clusterIPs[0]', val, 'primary clusterIP can not be unset'));
    else if (ni[0] !== oi[0]) errs.push(changed(0));
    if (ni.length === 1 && n.ipFamilyPolicy !== 'SingleStack') {
      errs.push(field.invalid('spec.ipFamilyPolicy', n.ipFamilyPolicy ?? null, "must be set to 'SingleStack' when releasing the secondary clusterIP"));
    }
  } else if (oi.length > 0 && ni[0] !== oi[0]) errs.push(changed(0));
  return errs;
}

function upgradeDowngradeIPFamilies(n: ServiceSpec, o: ServiceSpec): FieldError[] {
  if (n.type === 'ExternalName' || o.type === 'ExternalName' || isHeadless(n) || isHeadless(o)) return [];
  const nf = n.ipFamilies ?? [];
  const of = o.ipFamilies ?? [];
  const val = new GoValue(goStringSlice(n.ipFamilies, 'core.IPFamily'));
  if (nf.length === of.length) return of.some((f, i) => f !== nf[i]) ? [field.invalid('spec.ipFamilies[0]', val, 'may not change once set')] : [];
  const errs: FieldError[] = [];
  if (of.length > nf.length) {
    if (nf.length > 0 && nf[0] !== of[0]) errs.push(field.invalid('spec.ipFamilies[0]', new GoValue(goStringSlice(n.clusterIPs)), 'may not change once set'));
    if (nf.length === 1 && n.ipFamilyPolicy !== 'SingleStack') {
      errs.push(field.invalid('spec.ipFamilyPolicy', n.ipFamilyPolicy ?? null, "must be set to 'SingleStack' when releasing the secondary ipFamily"));
    }
  } else if (of.length > 0 && nf.length > 0 && nf[0] !== of[0]) {
    errs.push(field.invalid('spec.ipFamilies[0]', new GoValue(goStringSlice(n.clusterIPs)), 'may not change once set'));
  }
  return errs;
}

/** The update-only rules of ValidateServiceUpdate (the server runs validateService as well). */
export function validateServiceUpdate(svc: Service, old: Service): FieldError[] {
  const n = svc.spec ?? {};
  const o = old.spec ?? {};
  const errs = [...upgradeDowngradeClusterIPs(n, o), ...upgradeDowngradeIPFamilies(n, o)];
  if (n.type === 'LoadBalancer' && o.type === 'LoadBalancer' && n.loadBalancerClass !== o.loadBalancerClass) {
    errs.push(field.invalid('spec.loadBalancerClass', n.loadBalancerClass ?? null, 'may not change once set'));
  }
  const needsHC = (s: ServiceSpec) => s.type === 'LoadBalancer' && s.externalTrafficPolicy === 'Local';
  if (needsHC(n) && needsHC(o) && n.healthCheckNodePort !== o.healthCheckNodePort && n.healthCheckNodePort) {
    errs.push(field.forbidden('spec.healthCheckNodePort', 'field is immutable'));
  }
  return errs;
}
