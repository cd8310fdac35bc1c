/** IngressClass (networking.k8s.io/v1): names the controller that implements a class of Ingresses. */
import { Obj, Opt, Str, type Static } from '../schema.js';
import { kindProps, type KObject } from '../meta.js';
import type { ResourceDef } from '../resource.js';
import { field, type FieldError } from '../errors.js';
import { age, ageColumn, col, nameColumn } from '../printers/util.js';
import { isDNS1123Label, isDNS1123Subdomain } from '../validation/names.js';
import { validateTypedLocalObjectReference } from './ingress-validation.js';

const N = 'io.k8s.api.networking.v1.';

export const IngressClassParametersReferenceSchema = Obj(N + 'IngressClassParametersReference', 'Points to a resource holding controller-specific parameters.', {
  apiGroup: Opt(Str('API group of the referenced kind; empty for the core group.')),
  kind: Str('Kind of the referenced resource.'),
  name: Str('Name of the referenced resource.'),
  scope: Opt(Str('Cluster or Namespace: whether the resource is cluster-scoped or namespaced.')),
  namespace: Opt(Str('Namespace of the resource; required when scope is Namespace.')),
});

export const IngressClassSpecSchema = Obj(N + 'IngressClassSpec', 'The controller and parameters of an IngressClass.', {
  controller: Opt(Str('Domain-prefixed name of the controller, such as example.com/ingress-controller. Immutable.')),
  parameters: Opt(IngressClassParametersReferenceSchema),
});

export const IngressClassSchema = Obj(N + 'IngressClass', 'A class of Ingresses handled by one controller.', kindProps({
  spec: Opt(IngressClassSpecSchema),
}), { 'x-kubernetes-group-version-kind': [{ group: 'networking.k8s.io', version: 'v1', kind: 'IngressClass' }] });
export type IngressClass = Static<typeof IngressClassSchema> & KObject;

/** IsDomainPrefixedPath: `<dns subdomain>/<http path>`. */
export function validateDomainPrefixedPath(path: string, v: string): FieldError[] {
  if (!v) return [field.required(path)];
  const i = v.indexOf('/');
  const host = i < 0 ? v : v.slice(0, i), rest = i < 0 ? '' : v.slice(i + 1);
  if (i < 0 || !host || !rest) return [field.invalid(path, v, 'must be a domain-prefixed path (such as "acme.io/foo")')];
  const errs = isDNS1123Subdomain(host).map((m) => field.invalid(path, host, m));
  const fmt = "[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+";
  if (!new RegExp(`^${fmt}$`).test(rest)) errs.push(field.invalid(path, rest, `Invalid path (regex used for validation is '${fmt}')`));
  return errs;
}

function validateSpec(ic: IngressClass): FieldError[] {
  const errs: FieldError[] = [];
  const ctl = ic.spec?.controller ?? '';
  if (!ctl) errs.push(field.required('spec.controller'));
  else {
    if (ctl.length > 250) errs.push(field.tooLong('spec.controller', '', 250));
    errs.push(...validateDomainPrefixedPath('spec.controller', ctl));
  }
  const p = ic.spec?.parameters;
  if (!p) return errs;
  const pp = 'spec.parameters';
  errs.push(...validateTypedLocalObjectReference(p, pp));
  if (p.scope === undefined) { errs.push(field.required(`${pp}.scope`)); return errs; }
  if (p.scope !== 'Cluster' && p.scope !== 'Namespace') errs.push(field.notSupported(`${pp}.scope`, p.scope, ['Cluster', 'Namespace']));
  else if (p.scope === 'Namespace') {
    if (p.namespace === undefined) errs.push(field.required(`${pp}.namespace`, "`parameters.scope` is set to 'Namespace'"));
    else for (const m of isDNS1123Label(p.namespace)) errs.push(field.invalid(`${pp}.namespace`, p.namespace, m));
  } else if (p.namespace !== undefined) errs.push(field.forbidden(`${pp}.namespace`, "`parameters.scope` is set to 'Cluster'"));
  return errs;
}

/** Parameters column: `<none>`, or `Kind[.apiGroup]/name`. */
export function formatParameters(ic: IngressClass): string {
  const p = ic.spec?.parameters;
  if (!p) return '<none>';
  return `${p.kind ?? ''}${p.apiGroup !== undefined ? '.' + p.apiGroup : ''}/${p.name ?? ''}`;
}

export const ingressClassDef: ResourceDef<IngressClass> = {
  group: 'networking.k8s.io', version: 'v1', kind: 'IngressClass', plural: 'ingressclasses', singular: 'ingressclass',
  namespaced: false, shortNames: [], categories: [],
  schema: IngressClassSchema, statusSubresource: false, generation: true,
  default: (ic) => {
    if (ic.spec?.parameters && ic.spec.parameters.scope === undefined) ic.spec.parameters.scope = 'Cluster';
  },
  validate: (ic, ctx) => (ctx.operation === 'update' ? [] : validateSpec(ic)),
  validateUpdate: (ic, old) => {
    const errs: FieldError[] = [];
    if ((ic.spec?.controller ?? '') !== (old.spec?.controller ?? '')) errs.push(field.invalid('spec.controller', ic.spec?.controller ?? '', 'field is immutable'));
    return [...errs, ...validateSpec(ic)];
  },
  columns: [
    nameColumn,
    col('Controller', 'string', 'Controller that handles Ingresses of this class.'),
    col('Parameters', 'string', 'Resource with controller-specific parameters.'),
    ageColumn,
  ],
  row: (ic, now) => [ic.metadata.name ?? '', ic.spec?.controller ?? '', formatParameters(ic), age(ic.metadata.creationTimestamp, now)],
};
