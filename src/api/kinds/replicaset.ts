/** ReplicaSet (apps/v1): keeps a number of pods from one template running. */
import { Obj, Opt, Str, Int32, Int64, List, Time, type Static } from '../schema.js';
import { kindProps, LabelSelector, type KObject } from '../meta.js';
import type { ResourceDef } from '../resource.js';
import { age, ageColumn, col, nameColumn } from '../printers/util.js';
import { formatSelector } from '../labels.js';
import { PodTemplateSpecSchema } from './pod-spec.js';
import { defaultPodSpec } from './pod-defaults.js';
import { conditionListOptions, containerCells, replicasScale, validateReplicatedSpec } from './apps-common.js';
import { validateSelectorUnchanged } from './deployment.js';

const A = 'io.k8s.api.apps.v1.';

export const ReplicaSetSpecSchema = Obj(A + 'ReplicaSetSpec', 'The desired state of a ReplicaSet.', {
  replicas: Opt(Int32('Desired number of pods; 1 by default.')),
  minReadySeconds: Opt(Int32('Seconds a new pod must be ready before it counts as available.')),
  selector: Opt(LabelSelector),
  template: Opt(PodTemplateSpecSchema),
}, { required: ['selector'] } as never);

export const ReplicaSetConditionSchema = Obj(A + 'ReplicaSetCondition', 'One aspect of the state of a ReplicaSet.', {
  type: Str('Type of the condition, such as ReplicaFailure.'),
  status: Str('True, False or Unknown.'),
  lastTransitionTime: Opt(Time),
  reason: Opt(Str('Reason for the last transition, in CamelCase.')),
  message: Opt(Str('Human-readable details.')),
});

export const ReplicaSetStatusSchema = Obj(A + 'ReplicaSetStatus', 'The observed state of a ReplicaSet.', {
  replicas: Int32('Pods currently owned (not terminating).'),
  fullyLabeledReplicas: Opt(Int32('Pods whose labels match the template labels.')),
  readyReplicas: Opt(Int32('Pods that are ready.')),
  availableReplicas: Opt(Int32('Pods ready for at least minReadySeconds.')),
  terminatingReplicas: Opt(Int32('Pods being terminated.')),
  observedGeneration: Opt(Int64('Generation last acted on by the controller.')),
  conditions: Opt(List(ReplicaSetConditionSchema, 'Latest observations of the ReplicaSet.', conditionListOptions)),
});

export const ReplicaSetSchema = Obj(A + 'ReplicaSet', 'Keeps a stable set of replica pods running.', kindProps({
  spec: Opt(ReplicaSetSpecSchema),
  status: Opt(ReplicaSetStatusSchema),
}), { 'x-kubernetes-group-version-kind': [{ group: 'apps', version: 'v1', kind: 'ReplicaSet' }] });
export type ReplicaSet = Static<typeof ReplicaSetSchema> & KObject;

/** SetDefaults_ReplicaSet plus pod template defaults. */
export function defaultReplicaSet(rs: ReplicaSet): void {
  const spec = (rs.spec ??= {});
  spec.replicas ??= 1;
  if (spec.template) defaultPodSpec((spec.template.spec ??= { containers: [] } as never));
}

export const replicaSetDef: ResourceDef<ReplicaSet> = {
  group: 'apps', version: 'v1', kind: 'ReplicaSet', plural: 'replicasets', singular: 'replicaset',
  namespaced: true, shortNames: ['rs'], categories: ['all'],
  schema: ReplicaSetSchema, statusSubresource: true, generation: true,
  scale: replicasScale(),
  default: defaultReplicaSet,
  validate: (rs) => validateReplicatedSpec(rs.spec ?? {}, true),
  validateUpdate: (rs, old) => validateSelectorUnchanged(rs.spec?.selector, old.spec?.selector),
  prepareForCreate: (rs) => { rs.status = { replicas: 0 }; },
  columns: [
    nameColumn,
    col('Desired', 'integer', 'Desired number of pods.'),
    col('Current', 'integer', 'Pods currently owned.'),
    col('Ready', 'integer', 'Pods that are ready.'),
    ageColumn,
    col('Containers', 'string', 'Names of the containers in the template.', 1),
    col('Images', 'string', 'Images of the containers in the template.', 1),
    col('Selector', 'string', 'Label selector of the pods.', 1),
  ],
  row: (rs, now) => [
    rs.metadata.name ?? '', rs.spec?.replicas ?? 0, rs.status?.replicas ?? 0, rs.status?.readyReplicas ?? 0,
    age(rs.metadata.creationTimestamp, now), ...containerCells(rs.spec?.template), formatSelector(rs.spec?.selector),
  ],
};
