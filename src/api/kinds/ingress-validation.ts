/** Ingress validation (ValidateIngressSpec and helpers) with Kubernetes' messages. */
import type { Static } from '../schema.js';
import { field, type FieldError } from '../errors.js';
import { isDNS1035Label, isDNS1123Subdomain, isValidPortName, isValidPortNum, pathSegmentErrors } from '../validation/names.js';
import { GoValue } from '../gofmt.js';
import type { IngressBackendSchema, IngressSpecSchema, IngressStatusSchema } from './ingress.js';
import { parseIP, validateIP } from './netval.js';

type IngressBackend = Static<typeof IngressBackendSchema>;
type IngressSpec = Static<typeof IngressSpecSchema>;
type IngressStatus = Static<typeof IngressStatusSchema>;

/** IsWildcardDNS1123Subdomain: `*.` followed by a DNS-1123 subdomain. */
export function isWildcardDNS1123Subdomain(v: string): string[] {
  const fmt = '\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*';
  const errs: string[] = [];
  if (v.length > 253) errs.push('must be no more than 253 characters');
  if (!new RegExp(`^${fmt}$`).test(v)) {
    errs.push("a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character (e.g. '*.example.com', regex used for validation is '" + fmt + "')");
  }
  return errs;
}

const hostErrors = (h: string) => (h.includes('*') ? isWildcardDNS1123Subdomain(h) : isDNS1123Subdomain(h));

function validateBackend(b: IngressBackend, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (b.resource && b.service) return [field.invalid(path, '', 'cannot set both resource and service backends')];
  if (b.resource) {
    errs.push(...validateTypedLocalObjectReference(b.resource, `${path}.resource`));
  } else if (b.service) {
    const s = b.service;
    if (!s.name) errs.push(field.required(`${path}.service.name`));
    // ValidateServiceName is NameIsDNS1035Label.
    else for (const m of isDNS1035Label(s.name)) errs.push(field.invalid(`${path}.service.name`, s.name, m));
    const pname = s.port?.name ?? '', pnum = s.port?.number ?? 0;
    if (pname && pnum) errs.push(field.invalid(path, '', 'cannot set both port name & port number'));
    else if (pname) for (const m of isValidPortName(pname)) errs.push(field.invalid(`${path}.service.port.name`, pname, m));
    else if (pnum) for (const m of isValidPortNum(pnum)) errs.push(field.invalid(`${path}.service.port.number`, pnum, m));
    else errs.push(field.required(path, 'port name or number is required'));
  } else {
    errs.push(field.invalid(path, '', 'resource or service backend is required'));
  }
  return errs;
}

/** validateIngressTypedLocalObjectReference: a resource backend, or an IngressClass's parameters. */
export function validateTypedLocalObjectReference(r: { apiGroup?: string; kind?: string; name?: string }, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (r.apiGroup !== undefined) for (const m of isDNS1123Subdomain(r.apiGroup)) errs.push(field.invalid(`${path}.apiGroup`, r.apiGroup, m));
  for (const k of ['kind', 'name'] as const) {
    const v = r[k] ?? '';
    if (!v) errs.push(field.required(`${path}.${k}`, `${k} is required`));
    else for (const m of pathSegmentErrors(v)) errs.push(field.invalid(`${path}.${k}`, v, m));
  }
  return errs;
}

/** ValidateIngressLoadBalancerStatus: each address is an IP, or a DNS name that is not an IP. */
export function validateIngressStatus(status: IngressStatus | undefined): FieldError[] {
  const errs: FieldError[] = [];
  (status?.loadBalancer?.ingress ?? []).forEach((a, i) => {
    const p = `status.loadBalancer.ingress[${i}]`;
    if (a.ip) errs.push(...validateIP(`${p}.ip`, a.ip));
    if (!a.hostname) return;
    for (const m of isDNS1123Subdomain(a.hostname)) errs.push(field.invalid(`${p}.hostname`, a.hostname, m));
    if (parseIP(a.hostname)) errs.push(field.invalid(`${p}.hostname`, a.hostname, 'must be a DNS name, not an IP address'));
  });
  return errs;
}


/** Validates spec.rules; `allowWildcardRules` skips the paths of wildcard-host rules (kept from an older object). */
export function validateRules(spec: IngressSpec, allowWildcardRules: boolean): FieldError[] {
  const errs: FieldError[] = [];
  (spec.rules ?? []).forEach((r, i) => {
    const p = `spec.rules[${i}]`;
    const host = r.host ?? '';
    if (host) {
      if (parseIP(host)) errs.push(field.invalid(`${p}.host`, host, 'must be a DNS name, not an IP address'));
      for (const m of hostErrors(host)) errs.push(field.invalid(`${p}.host`, host, m));
    }
    if (host.includes('*') && allowWildcardRules) return;
    if (!r.http) return;
    const paths = r.http.paths ?? [];
    if (paths.length === 0) errs.push(field.required(`${p}.http.paths`));
    paths.forEach((hp, j) => {
      const pp = `${p}.http.paths[${j}]`;
      const path = hp.path ?? '';
      if (hp.pathType === undefined || hp.pathType === null) { errs.push(field.required(`${pp}.pathType`, 'pathType must be specified')); return; }
      if (hp.pathType === 'Exact' || hp.pathType === 'Prefix') {
        if (!path.startsWith('/')) errs.push(field.invalid(`${pp}.path`, path, 'must be an absolute path'));
        for (const seq of ['//', '/./', '/../', '%2f', '%2F']) if (path.includes(seq)) errs.push(field.invalid(`${pp}.path`, path, `must not contain '${seq}'`));
        for (const suf of ['/..', '/.']) if (path.endsWith(suf)) errs.push(field.invalid(`${pp}.path`, path, `cannot end with '${suf}'`));
      } else if (hp.pathType === 'ImplementationSpecific') {
        if (path && !path.startsWith('/')) errs.push(field.invalid(`${pp}.path`, path, 'must be an absolute path'));
      } else {
        errs.push(field.notSupported(`${pp}.pathType`, hp.pathType, ['Exact', 'ImplementationSpecific', 'Prefix']));
      }
      errs.push(...validateBackend(hp.backend ?? {}, `${pp}.backend`));
    });
  });
  return errs;
}

/** ValidateIngressSpec; the `allow*` flags keep invalid values that an update inherits. */
export function validateIngressSpec(spec: IngressSpec, opts: { allowInvalidSecretName?: boolean; allowWildcardRules?: boolean } = {}): FieldError[] {
  const errs: FieldError[] = [];
  if ((spec.rules ?? []).length === 0 && !spec.defaultBackend) {
    errs.push(field.invalid('spec', new GoValue(spec.rules ? '[]networking.IngressRule{}' : '[]networking.IngressRule(nil)'), 'either `defaultBackend` or `rules` must be specified'));
  }
  if (spec.defaultBackend) errs.push(...validateBackend(spec.defaultBackend, 'spec.defaultBackend'));
  errs.push(...validateRules(spec, opts.allowWildcardRules ?? false));
  (spec.tls ?? []).forEach((t, i) => {
    (t.hosts ?? []).forEach((h, j) => { for (const m of hostErrors(h)) errs.push(field.invalid(`spec.tls[${i}].hosts[${j}]`, h, m)); });
    if (t.secretName && !opts.allowInvalidSecretName) for (const m of isDNS1123Subdomain(t.secretName)) errs.push(field.invalid(`spec.tls[${i}].secretName`, t.secretName, m));
  });
  if (spec.ingressClassName !== undefined) for (const m of isDNS1123Subdomain(spec.ingressClassName)) errs.push(field.invalid('spec.ingressClassName', spec.ingressClassName, m));
  return errs;
}

