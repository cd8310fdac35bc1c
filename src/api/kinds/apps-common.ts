/** Validation and printing shared by the apps/v1 kinds (Deployment, ReplicaSet). */
import type { KOptions } from '../schema.js';
import type { LabelSelector } from '../meta.js';
import { field, type FieldError } from '../errors.js';
import { selectorMatches, selectorString, selectorValue, validateLabelSelector } from '../labels.js';
import { GoValue, goStringMap } from '../gofmt.js';
import type { PodTemplateSpec } from './pod-spec.js';
import { validatePodTemplateSpec } from './pod-validation.js';

/** List options of status.conditions: merged by `type`. */
export const conditionListOptions: KOptions = {
  'x-kubernetes-patch-merge-key': 'type', 'x-kubernetes-patch-strategy': 'merge',
  'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['type'],
};

/** ValidateNonnegativeField. */
export function nonNegative(v: number, path: string): FieldError[] {
  return v < 0 ? [field.invalid(path, v, 'must be greater than or equal to 0')] : [];
}

/** Containers and Images cells of the wide printers (layoutContainerCells). */
export function containerCells(tpl: PodTemplateSpec | undefined): [string, string] {
  const cs = tpl?.spec?.containers ?? [];
  return [cs.map((c) => c.name ?? '').join(','), cs.map((c) => c.image ?? '').join(',')];
}

function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.length ? v.map(canonical) : undefined;
  if (v && typeof v === 'object') {
    const keys = Object.keys(v).sort().filter((k) => canonical((v as Record<string, unknown>)[k]) !== undefined);
    if (!keys.length) return undefined;
    return Object.fromEntries(keys.map((k) => [k, canonical((v as Record<string, unknown>)[k])]));
  }
  return v;
}

/** apiequality.Semantic.DeepEqual for JSON values: map order ignored, empty equals absent. */
export function semanticEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a) ?? null) === JSON.stringify(canonical(b) ?? null);
}

interface ReplicatedSpec { replicas?: number; minReadySeconds?: number; selector?: LabelSelector; template?: PodTemplateSpec }

/**
 * The selector and template checks of ValidateDeploymentSpec / ValidateReplicaSetSpec
 * (replicas, selector, ValidatePodTemplateSpecForReplicaSet); `owner` names the kind in the messages
 * (StatefulSet and DaemonSet pass their own).
 */
export function validateReplicatedSpec(spec: ReplicatedSpec, withMinReady: boolean, owner: { selector: string; template: string } = { selector: 'deployment', template: 'ReplicaSet' }): FieldError[] {
  const errs = nonNegative(spec.replicas ?? 0, 'spec.replicas');
  if (withMinReady) errs.push(...nonNegative(spec.minReadySeconds ?? 0, 'spec.minReadySeconds'));
  const sel = spec.selector;
  let selectorInvalid = false;
  if (!sel) errs.push(field.required('spec.selector'));
  else {
    const selErrs = validateLabelSelector(sel, 'spec.selector');
    selectorInvalid = selErrs.length > 0;
    errs.push(...selErrs);
    if (Object.keys(sel.matchLabels ?? {}).length + (sel.matchExpressions ?? []).length === 0) {
      errs.push(field.invalid('spec.selector', selectorValue(sel), `empty selector is invalid for ${owner.selector}`));
    }
  }
  if (selectorInvalid) {
    errs.push(field.invalid('spec.selector', selectorValue(sel), 'invalid label selector'));
    return errs;
  }
  const tpl = spec.template ?? {};
  const labels = tpl.metadata?.labels;
  const empty = !!sel && Object.keys(sel.matchLabels ?? {}).length + (sel.matchExpressions ?? []).length === 0;
  if (!empty && !selectorMatches(sel, labels ?? {})) {
    errs.push(field.invalid('spec.template.metadata.labels', new GoValue(goStringMap(labels)), '`selector` does not match template `labels`'));
  }
  errs.push(...validatePodTemplateSpec(tpl, 'spec.template'));
  const restart = tpl.spec?.restartPolicy;
  if (restart !== 'Always') errs.push(field.notSupported('spec.template.spec.restartPolicy', restart ?? '', ['Always']));
  if (tpl.spec?.activeDeadlineSeconds !== undefined) {
    errs.push(field.forbidden('spec.template.spec.activeDeadlineSeconds', `activeDeadlineSeconds in ${owner.template} is not Supported`));
  }
  return errs;
}

/** An object whose replicas live at spec.replicas (1 by default) and status.replicas, with its pods chosen by spec.selector. */
interface Replicated { spec?: { replicas?: number; selector?: LabelSelector }; status?: { replicas?: number } }

/** The /scale subresource of a replicated kind (Deployment, ReplicaSet, StatefulSet): spec.replicas, status.replicas, spec.selector. */
export function replicasScale<T extends Replicated>(): { specReplicas: (o: T) => number; setSpecReplicas: (o: T, n: number) => void; statusReplicas: (o: T) => number; selector: (o: T) => string } {
  return {
    specReplicas: (o) => o.spec?.replicas ?? 1,
    setSpecReplicas: (o, n) => { (o.spec ??= {}).replicas = n; },
    statusReplicas: (o) => o.status?.replicas ?? 0,
    selector: (o) => selectorString(o.spec?.selector),
  };
}
