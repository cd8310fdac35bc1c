/** Namespace (v1): a cluster-scoped scope for names, with a lifecycle phase. */
import { Obj, Opt, Str, List, Enum, Time, Type, type Static } from '../schema.js';
import { kindProps, type KObject } from '../meta.js';
import type { ResourceDef } from '../resource.js';
import { field, type FieldError } from '../errors.js';
import { age, ageColumn, col, nameColumn } from '../printers/util.js';
import { isQualifiedName } from '../validation/names.js';
import { LABEL_METADATA_NAME } from '../wellknown.js';

const C = 'io.k8s.api.core.v1.';

export const NamespaceConditionSchema = Obj(C + 'NamespaceCondition', 'One aspect of the state of a namespace.', {
  type: Str('Type of the condition.'),
  status: Str('True, False or Unknown.'),
  lastTransitionTime: Opt(Time),
  reason: Opt(Str('Programmatic reason for the last transition.')),
  message: Opt(Str('Human-readable details.')),
});

export const NamespaceSchema = Obj(C + 'Namespace', 'A scope for names; most objects live in exactly one namespace.', kindProps({
  spec: Opt(Obj(C + 'NamespaceSpec', 'The desired state of a namespace.', {
    finalizers: Opt(List(Type.String(), 'Finalizers that must be cleared before the namespace is removed.', { 'x-kubernetes-list-type': 'atomic' })),
  })),
  status: Opt(Obj(C + 'NamespaceStatus', 'The observed state of a namespace.', {
    phase: Opt(Enum('Active or Terminating.', ['Active', 'Terminating'])),
    conditions: Opt(List(NamespaceConditionSchema, 'Current conditions of the namespace.', {
      'x-kubernetes-patch-merge-key': 'type', 'x-kubernetes-patch-strategy': 'merge',
      'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['type'],
    })),
  })),
}), { 'x-kubernetes-group-version-kind': [{ group: '', version: 'v1', kind: 'Namespace' }] });
/** A v1 Namespace object. */
export type Namespace = Static<typeof NamespaceSchema> & KObject;

/** SetDefaults_Namespace and SetDefaults_NamespaceStatus: the name label and phase Active. */
export function defaultNamespace(ns: Namespace): void {
  if (ns.metadata.name) ns.metadata.labels = { ...(ns.metadata.labels ?? {}), [LABEL_METADATA_NAME]: ns.metadata.name };
  const status = (ns.status ??= {});
  if (!status.phase) status.phase = 'Active';
}

/** PrepareForCreate: status Active and the `kubernetes` spec finalizer. */
export function prepareNamespaceForCreate(ns: Namespace): void {
  ns.status = { phase: 'Active' };
  const spec = (ns.spec ??= {});
  if (!(spec.finalizers ?? []).includes('kubernetes')) spec.finalizers = [...(spec.finalizers ?? []), 'kubernetes'];
}

/** ValidateNamespace (spec.finalizers) and the status phase rule; the name is checked by the server. */
export function validateNamespace(ns: Namespace): FieldError[] {
  const errs: FieldError[] = [];
  for (const f of ns.spec?.finalizers ?? []) {
    for (const m of isQualifiedName(f)) errs.push(field.invalid('spec.finalizers', f, m));
    if (!f.includes('/') && f !== 'kubernetes') errs.push(field.invalid('spec.finalizers', f, 'name is neither a standard finalizer name nor is it fully qualified'));
  }
  const phase = ns.status?.phase;
  if (!ns.metadata.deletionTimestamp && phase !== 'Active') {
    errs.push(field.invalid('status.Phase', phase ?? '', "may only be 'Active' if `deletionTimestamp` is empty"));
  } else if (ns.metadata.deletionTimestamp && phase !== 'Terminating') {
    errs.push(field.invalid('status.Phase', phase ?? '', "may only be 'Terminating' if `deletionTimestamp` is not empty"));
  }
  return errs;
}

export const namespaceDef: ResourceDef<Namespace> = {
  group: '', version: 'v1', kind: 'Namespace', plural: 'namespaces', singular: 'namespace',
  namespaced: false, shortNames: ['ns'], categories: [],
  schema: NamespaceSchema, statusSubresource: true, generation: false,
  nameValidation: 'label',
  default: defaultNamespace,
  prepareForCreate: prepareNamespaceForCreate,
  prepareForUpdate: (ns, old) => {
    ns.spec = old.spec ? structuredClone(old.spec) : {};
    if (old.status) ns.status = structuredClone(old.status);
  },
  markDeleting: (ns) => { ns.status = { ...(ns.status ?? {}), phase: 'Terminating' }; },
  validate: (ns) => validateNamespace(ns),
  columns: [nameColumn, col('Status', 'string', 'The phase of the namespace.'), ageColumn],
  row: (ns, now) => [ns.metadata.name ?? '', ns.status?.phase ?? '', age(ns.metadata.creationTimestamp, now)],
  fieldSelectors: {
    'status.phase': (ns) => ns.status?.phase ?? '',
    name: (ns) => ns.metadata.name ?? '',
  },
};
