/** Parts of Service validation with kube-apiserver's messages and field paths; service-rules.ts puts them in order. */
import { field, type FieldError } from '../errors.js';
import { GoValue, goStringSlice } from '../gofmt.js';
import { isDNS1123Subdomain, isQualifiedName, isValidLabelValue, isValidPortName, isValidPortNum } from '../validation/names.js';
import type { ServicePort, ServiceSpec } from './service-schema.js';
import { isHeadless } from './service-defaults.js';
import { parseIP, supportedProtocols, validateDNSLabel, validateIP } from './netval.js';

/** The node port range the allocator accepts. */
export const nodePortRange = { min: 30000, max: 32767 };

const slice = (v: string[] | undefined): GoValue => new GoValue(goStringSlice(v));

/** `core.ServicePort{...}` as `%#v` prints the (protocol, port) key of a duplicate port. */
export function goServicePortKey(protocol: string, port: number): GoValue {
  return new GoValue(`core.ServicePort{Name:"", Protocol:${JSON.stringify(protocol)}, AppProtocol:(*string)(nil), Port:${port}, ` +
    'TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}');
}

function validatePort(sp: ServicePort, requireName: boolean, names: Set<string>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (requireName && !sp.name) errs.push(field.required(`${path}.name`));
  else if (sp.name) {
    errs.push(...validateDNSLabel(`${path}.name`, sp.name));
    if (names.has(sp.name)) errs.push(field.duplicate(`${path}.name`, sp.name));
    else names.add(sp.name);
  }
  for (const m of isValidPortNum(sp.port ?? 0)) errs.push(field.invalid(`${path}.port`, sp.port ?? 0, m));
  if (!sp.protocol) errs.push(field.required(`${path}.protocol`));
  else if (!supportedProtocols.includes(sp.protocol)) errs.push(field.notSupported(`${path}.protocol`, sp.protocol, supportedProtocols));
  const tp = sp.targetPort;
  if (typeof tp === 'string') for (const m of isValidPortName(tp)) errs.push(field.invalid(`${path}.targetPort`, tp, m));
  else for (const m of isValidPortNum(tp ?? 0)) errs.push(field.invalid(`${path}.targetPort`, tp ?? 0, m));
  if (sp.appProtocol !== undefined) for (const m of isQualifiedName(sp.appProtocol)) errs.push(field.invalid(`${path}.appProtocol`, sp.appProtocol, m));
  return errs;
}

/** Session affinity and its ClientIP settings. */
export function validateAffinity(spec: ServiceSpec): FieldError[] {
  const p = 'spec.sessionAffinityConfig';
  if (!spec.sessionAffinity) return [field.required('spec.sessionAffinity')];
  if (!['ClientIP', 'None'].includes(spec.sessionAffinity)) return [field.notSupported('spec.sessionAffinity', spec.sessionAffinity, ['ClientIP', 'None'])];
  if (spec.sessionAffinity === 'None') return spec.sessionAffinityConfig ? [field.forbidden(p, 'must not be set when session affinity is None')] : [];
  const why = 'when session affinity type is ClientIP';
  const cfg = spec.sessionAffinityConfig;
  if (!cfg) return [field.required(p, why)];
  if (!cfg.clientIP) return [field.required(`${p}.clientIP`, why)];
  const t = cfg.clientIP.timeoutSeconds;
  if (t === undefined) return [field.required(`${p}.clientIP.timeoutSeconds`, why)];
  return t <= 0 || t > 86400 ? [field.invalid(`${p}.clientIP.timeoutSeconds`, t, 'must be greater than 0 and less than 86400')] : [];
}

/** ValidateServiceClusterIPsRelatedFields: clusterIP/clusterIPs consistency, IP families and policy. */
export function validateClusterIPs(spec: ServiceSpec): FieldError[] {
  if (spec.type === 'ExternalName') return [];
  const errs: FieldError[] = [];
  const ips = spec.clusterIPs ?? [];
  const f = 'spec.clusterIPs';
  if (spec.clusterIP) {
    if (ips.length === 0) errs.push(field.required(f));
    else if (ips[0] !== spec.clusterIP) errs.push(field.invalid(f, slice(ips), 'first value must match `clusterIP`'));
  } else if (ips.length) errs.push(field.invalid(f, slice(ips), 'must be empty when `clusterIP` is not specified'));
  const seen = new Set<string>();
  (spec.ipFamilies ?? []).forEach((fam, i) => {
    if (!['IPv4', 'IPv6'].includes(fam)) errs.push(field.notSupported(`spec.ipFamilies[${i}]`, fam, ['IPv4', 'IPv6']));
    if (seen.has(fam)) errs.push(field.duplicate(`spec.ipFamilies[${i}]`, fam));
    seen.add(fam);
  });
  const policies = ['PreferDualStack', 'RequireDualStack', 'SingleStack'];
  if (spec.ipFamilyPolicy !== undefined && !policies.includes(spec.ipFamilyPolicy)) {
    errs.push(field.notSupported('spec.ipFamilyPolicy', spec.ipFamilyPolicy, policies));
  }
  let bad = false;
  ips.forEach((ip, i) => {
    if (i === 0 && ip === 'None') {
      if (ips.length > 1) { bad = true; errs.push(field.invalid(f, slice(ips), "'None' must be the first and only value")); }
      return;
    }
    const e = validateIP(`${f}[${i}]`, ip);
    if (e.length) { bad = true; errs.push(...e); }
  });
  if (ips.length > 2) errs.push(field.invalid(f, slice(ips), 'may only hold up to 2 values'));
  if (bad) return errs;
  const fam = (ip: string) => (parseIP(ip)?.length === 16 ? 'IPv6' : 'IPv4');
  if (ips.length > 1 && (ips.length !== 2 || fam(ips[0] ?? '') === fam(ips[1] ?? ''))) {
    errs.push(field.invalid(f, slice(ips), 'may specify no more than one IP for each IP family'));
  }
  if (!isHeadless(spec) && spec.ipFamilies?.length) {
    ips.forEach((ip, i) => {
      const want = spec.ipFamilies?.[i];
      if (want && (want === 'IPv4' || want === 'IPv6') && fam(ip) !== want) {
        errs.push(field.invalid(`${f}[${i}]`, ip, `expected an ${want} value as indicated by \`ipFamilies[${i}]\``));
      }
    });
  }
  return errs;
}

/** What the node-port allocator rejects before validation runs: ports outside the service node port range. */
export function allocatorErrors(spec: ServiceSpec): FieldError[] {
  if (spec.type !== 'NodePort' && !(spec.type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts !== false)) return [];
  for (const [i, p] of (spec.ports ?? []).entries()) {
    if (p.nodePort && (p.nodePort < nodePortRange.min || p.nodePort > nodePortRange.max)) {
      return [field.invalid(`spec.ports[${i}].nodePort`, p.nodePort,
        `provided port is not in the valid range. The range of valid ports is ${nodePortRange.min}-${nodePortRange.max}`)];
    }
  }
  return [];
}

/** Every port: name, number, protocol, target port, app protocol. */
export function validatePorts(spec: ServiceSpec): FieldError[] {
  const errs: FieldError[] = [];
  const ports = spec.ports ?? [];
  const names = new Set<string>();
  ports.forEach((p, i) => errs.push(...validatePort(p, ports.length > 1, names, `spec.ports[${i}]`)));
  return errs;
}

/** Rules that depend on spec.type (headless LoadBalancer/NodePort, ExternalName). */
export function validateTypeSpecific(spec: ServiceSpec): FieldError[] {
  const errs: FieldError[] = [];
  if ((spec.type === 'LoadBalancer' || spec.type === 'NodePort') && isHeadless(spec)) {
    errs.push(field.invalid('spec.clusterIPs[0]', 'None', `may not be set to 'None' for ${spec.type} services`));
  }
  if (spec.type === 'ExternalName') {
    const why = 'may not be set for ExternalName services';
    if (spec.clusterIPs?.length) errs.push(field.forbidden('spec.clusterIPs', why));
    if (spec.ipFamilies?.length) errs.push(field.forbidden('spec.ipFamilies', why));
    if (spec.ipFamilyPolicy !== undefined) errs.push(field.forbidden('spec.ipFamilyPolicy', why));
    const cname = (spec.externalName ?? '').replace(/\.$/, '');
    if (cname) for (const m of isDNS1123Subdomain(cname)) errs.push(field.invalid('spec.externalName', cname, m));
    else errs.push(field.required('spec.externalName'));
  }
  return errs;
}

/** spec.selector keys and values, as ValidateLabels reports them. */
export function validateSelector(sel: Record<string, string> | undefined): FieldError[] {
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries(sel ?? {})) {
    for (const m of isQualifiedName(k)) errs.push(field.invalid('spec.selector', k, m));
    for (const m of isValidLabelValue(v)) errs.push(field.invalid('spec.selector', v, m));
  }
  return errs;
}
