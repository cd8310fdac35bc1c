/** DaemonSet (apps/v1): one pod per eligible node. */
import { Obj, Opt, Str, Int32, Int64, List, Enum, IntOrString, Time, type Static } from '../schema.js';
import { kindProps, LabelSelector, type KObject } from '../meta.js';
import type { ResourceDef } from '../resource.js';
import { field, type FieldError } from '../errors.js';
import { age, ageColumn, col, formatLabels, formatLabelSelector, nameColumn } from '../printers/util.js';
import { goIntOrString } from '../gofmt.js';
import { PodTemplateSpecSchema } from './pod-spec.js';
import { defaultPodSpec } from './pod-defaults.js';
import { conditionListOptions, containerCells, nonNegative, semanticEqual, validateReplicatedSpec } from './apps-common.js';
import { intOrPercent, notMoreThan100Percent, validatePositiveIntOrPercent, validateSelectorUnchanged } from './deployment.js';

const A = 'io.k8s.api.apps.v1.';

/** The annotation carrying the deprecated spec.templateGeneration (bumped on every template change). */
export const TEMPLATE_GENERATION = 'deprecated.daemonset.template.generation';

const RollingUpdateDaemonSetSchema = Obj(A + 'RollingUpdateDaemonSet', 'Limits of a DaemonSet rolling update.', {
  maxUnavailable: Opt(IntOrString),
  maxSurge: Opt(IntOrString),
});

const DaemonSetUpdateStrategySchema = Obj(A + 'DaemonSetUpdateStrategy', 'How old daemon pods are replaced.', {
  type: Opt(Enum('RollingUpdate (the default) or OnDelete.', ['OnDelete', 'RollingUpdate'])),
  rollingUpdate: Opt(RollingUpdateDaemonSetSchema),
});

export const DaemonSetSpecSchema = Obj(A + 'DaemonSetSpec', 'The desired state of a DaemonSet.', {
  selector: Opt(LabelSelector),
  template: Opt(PodTemplateSpecSchema),
  updateStrategy: Opt(DaemonSetUpdateStrategySchema),
  minReadySeconds: Opt(Int32('Seconds a new pod must be ready before it counts as available.')),
  revisionHistoryLimit: Opt(Int32('ControllerRevisions kept; 10 by default.')),
}, { required: ['selector', 'template'] } as never);

const DaemonSetConditionSchema = Obj(A + 'DaemonSetCondition', 'One aspect of the state of a DaemonSet.', {
  type: Str('Type of the condition.'),
  status: Str('True, False or Unknown.'),
  lastTransitionTime: Opt(Time),
  reason: Opt(Str('Reason for the last transition, in CamelCase.')),
  message: Opt(Str('Human-readable details.')),
});

export const DaemonSetStatusSchema = Obj(A + 'DaemonSetStatus', 'The observed state of a DaemonSet.', {
  currentNumberScheduled: Int32('Nodes running at least one daemon pod that should.'),
  numberMisscheduled: Int32('Nodes running a daemon pod that should not.'),
  desiredNumberScheduled: Int32('Nodes that should run the daemon pod.'),
  numberReady: Int32('Nodes whose daemon pod is ready.'),
  observedGeneration: Opt(Int64('Generation last acted on by the controller.')),
  updatedNumberScheduled: Opt(Int32('Nodes running the updated daemon pod.')),
  numberAvailable: Opt(Int32('Nodes whose daemon pod has been ready for minReadySeconds.')),
  numberUnavailable: Opt(Int32('Nodes that should run an available daemon pod and do not.')),
  collisionCount: Opt(Int32('Revision name hash collisions seen.')),
  conditions: Opt(List(DaemonSetConditionSchema, 'Latest observations of the DaemonSet.', conditionListOptions)),
}, { required: ['currentNumberScheduled', 'numberMisscheduled', 'desiredNumberScheduled', 'numberReady'] } as never);

export const DaemonSetSchema = Obj(A + 'DaemonSet', 'Runs a copy of a pod on every eligible node.', kindProps({
  spec: Opt(DaemonSetSpecSchema),
  status: Opt(DaemonSetStatusSchema),
}), { 'x-kubernetes-group-version-kind': [{ group: 'apps', version: 'v1', kind: 'DaemonSet' }] });
export type DaemonSet = Static<typeof DaemonSetSchema> & KObject;
type Strategy = NonNullable<NonNullable<DaemonSet['spec']>['updateStrategy']>;

/** SetDefaults_DaemonSet plus pod template defaults. */
export function defaultDaemonSet(ds: DaemonSet): void {
  const spec = (ds.spec ??= {});
  const st = (spec.updateStrategy ??= {});
  st.type ||= 'RollingUpdate';
  if (st.type === 'RollingUpdate') {
    const ru = (st.rollingUpdate ??= {});
    ru.maxUnavailable ??= 1;
    ru.maxSurge ??= 0;
  }
  spec.revisionHistoryLimit ??= 10;
  defaultPodSpec(((spec.template ??= {}).spec ??= { containers: [] } as never));
}

/** ValidateDaemonSetUpdateStrategy with ValidateRollingUpdateDaemonSet. */
function validateUpdateStrategy(st: Strategy): FieldError[] {
  const path = 'spec.updateStrategy';
  if (st.type === 'OnDelete') return [];
  if (st.type !== 'RollingUpdate') return [field.notSupported(`${path}.type`, st.type ?? '', ['OnDelete', 'RollingUpdate'])];
  const ru = st.rollingUpdate;
  if (!ru) return [field.required(`${path}.rollingUpdate`)];
  const rp = `${path}.rollingUpdate`;
  const errs = [
    ...validatePositiveIntOrPercent(ru.maxUnavailable, `${rp}.maxUnavailable`), ...validatePositiveIntOrPercent(ru.maxSurge, `${rp}.maxSurge`),
    ...notMoreThan100Percent(ru.maxUnavailable, `${rp}.maxUnavailable`), ...notMoreThan100Percent(ru.maxSurge, `${rp}.maxSurge`),
  ];
  const unavailable = intOrPercent(ru.maxUnavailable) !== 0, surge = intOrPercent(ru.maxSurge) !== 0;
  if (unavailable && surge) errs.push(field.invalid(`${rp}.maxSurge`, goIntOrString(ru.maxSurge), 'may not be set when maxUnavailable is non-zero'));
  if (!unavailable && !surge) errs.push(field.required(`${rp}.maxUnavailable`, 'cannot be 0 when maxSurge is 0'));
  return errs;
}

/** ValidateDaemonSetSpec. */
export function validateDaemonSet(ds: DaemonSet): FieldError[] {
  const spec = ds.spec ?? {};
  const errs = validateReplicatedSpec(spec, true, { selector: 'daemonset', template: 'DaemonSet' });
  if (spec.revisionHistoryLimit !== undefined) errs.push(...nonNegative(spec.revisionHistoryLimit, 'spec.revisionHistoryLimit'));
  errs.push(...validateUpdateStrategy(spec.updateStrategy ?? {}));
  return errs;
}

export const daemonSetDef: ResourceDef<DaemonSet> = {
  group: 'apps', version: 'v1', kind: 'DaemonSet', plural: 'daemonsets', singular: 'daemonset',
  namespaced: true, shortNames: ['ds'], categories: ['all'],
  schema: DaemonSetSchema, statusSubresource: true, generation: true,
  default: defaultDaemonSet,
  validate: validateDaemonSet,
  validateUpdate: (ds, old) => validateSelectorUnchanged(ds.spec?.selector, old.spec?.selector),
  prepareForCreate: (ds) => {
    ds.status = { currentNumberScheduled: 0, numberMisscheduled: 0, desiredNumberScheduled: 0, numberReady: 0 };
    (ds.metadata.annotations ??= {})[TEMPLATE_GENERATION] = '1';
  },
  // The registry bumps templateGeneration whenever the template changes (daemonSetStrategy.PrepareForUpdate).
  prepareForUpdate: (ds, old) => {
    const prev = Number(old.metadata.annotations?.[TEMPLATE_GENERATION] ?? 0) || 0;
    const next = semanticEqual(ds.spec?.template, old.spec?.template) ? prev : prev + 1;
    if (next) (ds.metadata.annotations ??= {})[TEMPLATE_GENERATION] = String(next);
  },
  columns: [
    nameColumn,
    col('Desired', 'integer', 'Nodes that should run the daemon pod.'),
    col('Current', 'integer', 'Nodes running at least one daemon pod.'),
    col('Ready', 'integer', 'Nodes whose daemon pod is ready.'),
    col('Up-to-date', 'integer', 'Nodes running the updated daemon pod.'),
    col('Available', 'integer', 'Nodes whose daemon pod is available.'),
    col('Node Selector', 'string', 'The node selector of the pod template.'),
    ageColumn,
    col('Containers', 'string', 'Names of the containers in the template.', 1),
    col('Images', 'string', 'Images of the containers in the template.', 1),
    col('Selector', 'string', 'Label selector of the pods.', 1),
  ],
  row: (ds, now) => {
    const st = ds.status;
    return [
      ds.metadata.name ?? '', st?.desiredNumberScheduled ?? 0, st?.currentNumberScheduled ?? 0, st?.numberReady ?? 0,
      st?.updatedNumberScheduled ?? 0, st?.numberAvailable ?? 0, formatLabels(ds.spec?.template?.spec?.nodeSelector),
      age(ds.metadata.creationTimestamp, now), ...containerCells(ds.spec?.template), formatLabelSelector(ds.spec?.selector),
    ];
  },
};
