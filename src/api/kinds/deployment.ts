/** Deployment (apps/v1): declarative rollouts of a replicated pod template through ReplicaSets. */
import { Obj, Opt, Str, Int32, Int64, Bool, List, Enum, IntOrString, Time, type Static } from '../schema.js';
import { kindProps, LabelSelector, type KObject } from '../meta.js';
import type { LabelSelector as Selector } from '../meta.js';
import type { ResourceDef } from '../resource.js';
import { field, type FieldError } from '../errors.js';
import { age, ageColumn, col, nameColumn } from '../printers/util.js';
import { selectorString, selectorValue } from '../labels.js';
import { GoValue, goIntOrString, goQuote } from '../gofmt.js';
import { PodTemplateSpecSchema } from './pod-spec.js';
import { defaultPodSpec } from './pod-defaults.js';
import { conditionListOptions, containerCells, nonNegative, replicasScale, semanticEqual, validateReplicatedSpec } from './apps-common.js';

const A = 'io.k8s.api.apps.v1.';

const RollingUpdateDeploymentSchema = Obj(A + 'RollingUpdateDeployment', 'Limits of a rolling update.', {
  maxUnavailable: Opt(IntOrString),
  maxSurge: Opt(IntOrString),
});

export const DeploymentStrategySchema = Obj(A + 'DeploymentStrategy', 'How old pods are replaced by new ones.', {
  type: Opt(Enum('Recreate or RollingUpdate (the default).', ['Recreate', 'RollingUpdate'])),
  rollingUpdate: Opt(RollingUpdateDeploymentSchema),
});

export const DeploymentSpecSchema = Obj(A + 'DeploymentSpec', 'The desired state of a Deployment.', {
  replicas: Opt(Int32('Desired number of pods; 1 by default.')),
  selector: Opt(LabelSelector),
  template: Opt(PodTemplateSpecSchema),
  strategy: Opt({ ...DeploymentStrategySchema, 'x-kubernetes-patch-strategy': 'retainKeys' } as typeof DeploymentStrategySchema),
  minReadySeconds: Opt(Int32('Seconds a new pod must be ready before it counts as available.')),
  revisionHistoryLimit: Opt(Int32('Old ReplicaSets kept for rollback; 10 by default.')),
  paused: Opt(Bool('Stops rollouts while true.')),
  progressDeadlineSeconds: Opt(Int32('Seconds without progress before the rollout is reported as failed; 600 by default.')),
}, { required: ['selector', 'template'] } as never);

export const DeploymentConditionSchema = Obj(A + 'DeploymentCondition', 'One aspect of the state of a Deployment.', {
  type: Str('Available, Progressing or ReplicaFailure.'),
  status: Str('True, False or Unknown.'),
  lastUpdateTime: Opt(Time),
  lastTransitionTime: Opt(Time),
  reason: Opt(Str('Reason for the last transition, in CamelCase.')),
  message: Opt(Str('Human-readable details.')),
});


export const DeploymentStatusSchema = Obj(A + 'DeploymentStatus', 'The observed state of a Deployment.', {
  observedGeneration: Opt(Int64('Generation last acted on by the controller.')),
  replicas: Opt(Int32('Pods targeted by the Deployment (not terminating).')),
  updatedReplicas: Opt(Int32('Pods with the current template.')),
  readyReplicas: Opt(Int32('Pods that are ready.')),
  availableReplicas: Opt(Int32('Pods ready for at least minReadySeconds.')),
  unavailableReplicas: Opt(Int32('Pods still needed for 100% availability.')),
  terminatingReplicas: Opt(Int32('Pods being terminated.')),
  conditions: Opt(List(DeploymentConditionSchema, 'Latest observations of the rollout.', conditionListOptions)),
  collisionCount: Opt(Int32('Template hash collisions seen; used to name new ReplicaSets.')),
});

export const DeploymentSchema = Obj(A + 'Deployment', 'Manages a replicated application through ReplicaSets and rolling updates.', kindProps({
  spec: Opt(DeploymentSpecSchema),
  status: Opt(DeploymentStatusSchema),
}), { 'x-kubernetes-group-version-kind': [{ group: 'apps', version: 'v1', kind: 'Deployment' }] });
export type Deployment = Static<typeof DeploymentSchema> & KObject;
type Strategy = Static<typeof DeploymentStrategySchema>;

/** SetDefaults_Deployment plus pod template defaults. */
export function defaultDeployment(d: Deployment): void {
  const spec = (d.spec ??= {});
  spec.replicas ??= 1;
  const st = (spec.strategy ??= {});
  st.type ||= 'RollingUpdate';
  if (st.type === 'RollingUpdate') {
    const ru = (st.rollingUpdate ??= {});
    ru.maxUnavailable ??= '25%';
    ru.maxSurge ??= '25%';
  }
  spec.revisionHistoryLimit ??= 10;
  spec.progressDeadlineSeconds ??= 600;
  const tpl = (spec.template ??= {});
  defaultPodSpec((tpl.spec ??= { containers: [] } as never));
}

/** The value of an int-or-percent: the percentage for `N%`, the number, or 0 (getIntOrPercentValue). */
export function intOrPercent(v: number | string | undefined): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return /^[0-9]+%$/.test(v) ? parseInt(v, 10) : /^[-+]?\d+$/.test(v) ? parseInt(v, 10) : 0;
  return 0;
}

/** ValidatePositiveIntOrPercent: a non-negative integer or an `N%` string. */
export function validatePositiveIntOrPercent(v: number | string | undefined, path: string): FieldError[] {
  if (typeof v === 'string') {
    return /^[0-9]+%$/.test(v) ? [] : [field.invalid(path, goIntOrString(v), "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')")];
  }
  return nonNegative(v ?? 0, path);
}

/** IsNotMoreThan100Percent. */
export function notMoreThan100Percent(v: number | string | undefined, path: string): FieldError[] {
  return typeof v === 'string' && /^[0-9]+%$/.test(v) && parseInt(v, 10) > 100 ? [field.invalid(path, goIntOrString(v), 'must not be greater than 100%')] : [];
}

/** ValidateDeploymentStrategy. */
export function validateStrategy(st: Strategy, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (st.type === 'Recreate') {
    if (st.rollingUpdate) errs.push(field.forbidden(`${path}.rollingUpdate`, "may not be specified when strategy `type` is 'Recreate'"));
  } else if (st.type === 'RollingUpdate') {
    const ru = st.rollingUpdate;
    if (!ru) return [field.required(`${path}.rollingUpdate`, 'this should be defaulted and never be nil')];
    const rp = `${path}.rollingUpdate`;
    errs.push(...validatePositiveIntOrPercent(ru.maxUnavailable, `${rp}.maxUnavailable`));
    errs.push(...validatePositiveIntOrPercent(ru.maxSurge, `${rp}.maxSurge`));
    if (intOrPercent(ru.maxUnavailable) === 0 && intOrPercent(ru.maxSurge) === 0) {
      errs.push(field.invalid(`${rp}.maxUnavailable`, goIntOrString(ru.maxUnavailable), 'may not be 0 when `maxSurge` is 0'));
    }
    errs.push(...notMoreThan100Percent(ru.maxUnavailable, `${rp}.maxUnavailable`));
  } else {
    const ru = st.rollingUpdate ? '(*apps.RollingUpdateDeployment)(0xc000a1b2c0)' : '(*apps.RollingUpdateDeployment)(nil)';
    errs.push(field.notSupported(path, new GoValue(`apps.DeploymentStrategy{Type:${goQuote(st.type ?? '')}, RollingUpdate:${ru}}`), ['Recreate', 'RollingUpdate']));
  }
  return errs;
}

/** ValidateDeploymentSpec. */
export function validateDeployment(d: Deployment): FieldError[] {
  const spec = d.spec ?? {};
  const errs = validateReplicatedSpec(spec, false);
  errs.push(...validateStrategy(spec.strategy ?? {}, 'spec.strategy'));
  errs.push(...nonNegative(spec.minReadySeconds ?? 0, 'spec.minReadySeconds'));
  if (spec.revisionHistoryLimit !== undefined) errs.push(...nonNegative(spec.revisionHistoryLimit, 'spec.revisionHistoryLimit'));
  if (spec.progressDeadlineSeconds !== undefined) {
    errs.push(...nonNegative(spec.progressDeadlineSeconds, 'spec.progressDeadlineSeconds'));
    if (spec.progressDeadlineSeconds <= (spec.minReadySeconds ?? 0)) {
      errs.push(field.invalid('spec.progressDeadlineSeconds', spec.progressDeadlineSeconds, 'must be greater than minReadySeconds'));
    }
  }
  return errs;
}

/** The spec.selector immutability check of apps/v1 updates (empty and absent lists or maps compare equal). */
export function validateSelectorUnchanged(sel: Selector | undefined, old: Selector | undefined): FieldError[] {
  return semanticEqual(sel, old) ? [] : [field.invalid('spec.selector', selectorValue(sel), 'field is immutable')];
}

export const deploymentDef: ResourceDef<Deployment> = {
  group: 'apps', version: 'v1', kind: 'Deployment', plural: 'deployments', singular: 'deployment',
  namespaced: true, shortNames: ['deploy'], categories: ['all'],
  schema: DeploymentSchema, statusSubresource: true, generation: true,
  scale: replicasScale(),
  default: defaultDeployment,
  validate: (d) => validateDeployment(d),
  validateUpdate: (d, old) => validateSelectorUnchanged(d.spec?.selector, old.spec?.selector),
  prepareForCreate: (d) => { d.status = {}; },
  columns: [
    nameColumn,
    col('Ready', 'string', 'Ready pods out of desired pods.'),
    col('Up-to-date', 'integer', 'Pods running the current template.'),
    col('Available', 'integer', 'Pods available to serve.'),
    ageColumn,
    col('Containers', 'string', 'Names of the containers in the template.', 1),
    col('Images', 'string', 'Images of the containers in the template.', 1),
    col('Selector', 'string', 'Label selector of the pods.', 1),
  ],
  row: (d, now) => [
    d.metadata.name ?? '', `${d.status?.readyReplicas ?? 0}/${d.spec?.replicas ?? 0}`, d.status?.updatedReplicas ?? 0,
    d.status?.availableReplicas ?? 0, age(d.metadata.creationTimestamp, now), ...containerCells(d.spec?.template),
    selectorString(d.spec?.selector),
  ],
};
