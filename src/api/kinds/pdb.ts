/** PodDisruptionBudget (policy/v1): how many pods of a set may be down at once through voluntary disruptions (evictions). */
import { Obj, Opt, Str, Int32, Int64, List, MapOf, Time, IntOrString, type Static } from '../schema.js';
import { Condition, kindProps, LabelSelector, type KObject } from '../meta.js';
import type { ResourceDef } from '../resource.js';
import { field, type FieldError } from '../errors.js';
import { GoValue, goIntOrString } from '../gofmt.js';
import { age, ageColumn, col, nameColumn } from '../printers/util.js';
import { validateLabelSelector } from '../labels.js';
import { validatePositiveIntOrPercent } from './deployment.js';

const P = 'io.k8s.api.policy.v1.';

export const PodDisruptionBudgetSpecSchema = Obj(P + 'PodDisruptionBudgetSpec', 'The desired bounds on disruptions of a set of pods.', {
  minAvailable: Opt(IntOrString),
  selector: Opt(LabelSelector),
  maxUnavailable: Opt(IntOrString),
  unhealthyPodEvictionPolicy: Opt(Str('IfHealthyBudget (the default) or AlwaysAllow: when running but not ready pods may be evicted.')),
});

export const PodDisruptionBudgetStatusSchema = Obj(P + 'PodDisruptionBudgetStatus', 'The observed state of a PodDisruptionBudget.', {
  observedGeneration: Opt(Int64('Generation the status was computed for.')),
  disruptedPods: Opt(MapOf(Time, 'Pods whose eviction was admitted but not yet observed, with the time.')),
  disruptionsAllowed: Int32('Number of pod disruptions currently allowed.'),
  currentHealthy: Int32('Current number of healthy pods.'),
  desiredHealthy: Int32('Minimum desired number of healthy pods.'),
  expectedPods: Int32('Total number of pods counted by this budget.'),
  conditions: Opt(List(Condition, 'Conditions, such as DisruptionAllowed.', { 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['type'], 'x-kubernetes-patch-strategy': 'merge', 'x-kubernetes-patch-merge-key': 'type' })),
});

export const PodDisruptionBudgetSchema = Obj(P + 'PodDisruptionBudget', 'The maximum disruption that can be caused to a collection of pods.', kindProps({
  spec: Opt(PodDisruptionBudgetSpecSchema),
  status: Opt(PodDisruptionBudgetStatusSchema),
}), { 'x-kubernetes-group-version-kind': [{ group: 'policy', version: 'v1', kind: 'PodDisruptionBudget' }] });
export type PodDisruptionBudget = Static<typeof PodDisruptionBudgetSchema> & KObject;
type Spec = Static<typeof PodDisruptionBudgetSpecSchema>;

const POLICIES = ['AlwaysAllow', 'IfHealthyBudget'];

/** `%#v` of the spec as the both-set error prints it: pointers as addresses (a fixed stand-in, as upstream's vary). */
function goSpec(s: Spec): GoValue {
  const ptr = (type: string, set: boolean, addr: string) => `(*${type})(${set ? addr : 'nil'})`;
  return new GoValue(`policy.PodDisruptionBudgetSpec{MinAvailable:${ptr('intstr.IntOrString', s.minAvailable !== undefined, '0xc000a1b2c0')}, ` +
    `Selector:${ptr('v1.LabelSelector', !!s.selector, '0xc000a1b2e0')}, MaxUnavailable:${ptr('intstr.IntOrString', s.maxUnavailable !== undefined, '0xc000a1b300')}, ` +
    `UnhealthyPodEvictionPolicy:${ptr('policy.UnhealthyPodEvictionPolicyType', s.unhealthyPodEvictionPolicy !== undefined, '0xc000a1b320')}}`);
}

/** The percent check of minAvailable/maxUnavailable (IsNotMoreThan100Percent). */
function notOver100(v: number | string | undefined, path: string): FieldError[] {
  return typeof v === 'string' && /^[0-9]+%$/.test(v) && parseInt(v, 10) > 100 ? [field.invalid(path, goIntOrString(v), 'must not be greater than 100%')] : [];
}

/** ValidatePodDisruptionBudgetSpec (pkg/apis/policy/validation). */
export function validatePodDisruptionBudgetSpec(spec: Spec): FieldError[] {
  const errs: FieldError[] = [];
  if (spec.minAvailable !== undefined && spec.maxUnavailable !== undefined) {
    errs.push(field.invalid('spec', goSpec(spec), 'minAvailable and maxUnavailable cannot be both set'));
  }
  for (const k of ['minAvailable', 'maxUnavailable'] as const) {
    if (spec[k] === undefined) continue;
    errs.push(...validatePositiveIntOrPercent(spec[k], `spec.${k}`), ...notOver100(spec[k], `spec.${k}`));
  }
  if (spec.selector) errs.push(...validateLabelSelector(spec.selector, 'spec.selector'));
  const p = spec.unhealthyPodEvictionPolicy;
  if (p !== undefined && !POLICIES.includes(p)) errs.push(field.notSupported('spec.unhealthyPodEvictionPolicy', p, POLICIES));
  return errs;
}

const intOrNA = (v: number | string | undefined) => (v === undefined ? 'N/A' : String(v));

export const podDisruptionBudgetDef: ResourceDef<PodDisruptionBudget> = {
  group: 'policy', version: 'v1', kind: 'PodDisruptionBudget', plural: 'poddisruptionbudgets', singular: 'poddisruptionbudget',
  namespaced: true, shortNames: ['pdb'], categories: [],
  schema: PodDisruptionBudgetSchema, statusSubresource: true, generation: true,
  validate: (pdb) => validatePodDisruptionBudgetSpec(pdb.spec ?? {}),
  prepareForCreate: (pdb) => { pdb.status = { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 }; },
  columns: [
    nameColumn,
    col('Min Available', 'string', 'The minimum number or percentage of available pods.'),
    col('Max Unavailable', 'string', 'The maximum number or percentage of unavailable pods.'),
    col('Allowed Disruptions', 'integer', 'Pod disruptions currently allowed.'),
    ageColumn,
  ],
  row: (pdb, now) => [
    pdb.metadata.name ?? '', intOrNA(pdb.spec?.minAvailable), intOrNA(pdb.spec?.maxUnavailable), pdb.status?.disruptionsAllowed ?? 0,
    age(pdb.metadata.creationTimestamp, now),
  ],
};
