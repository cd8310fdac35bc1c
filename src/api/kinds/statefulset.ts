/** StatefulSet (apps/v1): pods with stable names, network identity and storage, started and updated in order. */
import { Obj, Opt, Str, Int32, Int64, List, Enum, IntOrString, Time, type Static } from '../schema.js';
import { kindProps, LabelSelector, type KObject } from '../meta.js';
import type { ResourceDef } from '../resource.js';
import { field, type FieldError } from '../errors.js';
import { age, ageColumn, col, nameColumn } from '../printers/util.js';
import { goIntOrString } from '../gofmt.js';
import { PodTemplateSpecSchema } from './pod-spec.js';
import { defaultPodSpec } from './pod-defaults.js';
import { PersistentVolumeClaimSchema, defaultPersistentVolumeClaimSpec } from './pvc.js';
import { conditionListOptions, containerCells, nonNegative, replicasScale, semanticEqual, validateReplicatedSpec } from './apps-common.js';
import { intOrPercent, notMoreThan100Percent, validatePositiveIntOrPercent, validateSelectorUnchanged } from './deployment.js';

const A = 'io.k8s.api.apps.v1.';

const RollingUpdateStatefulSetStrategySchema = Obj(A + 'RollingUpdateStatefulSetStrategy', 'Parameters of a StatefulSet rolling update.', {
  partition: Opt(Int32('Ordinals at or above this are updated; lower ones keep their revision. 0 by default.')),
  maxUnavailable: Opt(IntOrString),
});

const StatefulSetUpdateStrategySchema = Obj(A + 'StatefulSetUpdateStrategy', 'How the controller replaces pods when the template changes.', {
  type: Opt(Enum('RollingUpdate (the default) or OnDelete.', ['OnDelete', 'RollingUpdate'])),
  rollingUpdate: Opt(RollingUpdateStatefulSetStrategySchema),
});

const RetentionPolicySchema = Obj(A + 'StatefulSetPersistentVolumeClaimRetentionPolicy', 'What happens to claims from volumeClaimTemplates.', {
  whenDeleted: Opt(Str('Retain (the default) or Delete claims when the StatefulSet is deleted.')),
  whenScaled: Opt(Str('Retain (the default) or Delete claims of pods removed by a scale down.')),
});

const OrdinalsSchema = Obj(A + 'StatefulSetOrdinals', 'The numbering of replica pods.', {
  start: Opt(Int32('The first ordinal; 0 by default.')),
});

export const StatefulSetSpecSchema = Obj(A + 'StatefulSetSpec', 'The desired state of a StatefulSet.', {
  replicas: Opt(Int32('Desired number of pods; 1 by default.')),
  selector: Opt(LabelSelector),
  template: Opt(PodTemplateSpecSchema),
  volumeClaimTemplates: Opt(List(PersistentVolumeClaimSchema, 'Claims every pod gets, named <template>-<statefulset>-<ordinal>.', { 'x-kubernetes-list-type': 'atomic' })),
  serviceName: Opt(Str('The governing (headless) Service; pods get DNS names <pod>.<serviceName>.<namespace>.svc.')),
  podManagementPolicy: Opt(Enum('OrderedReady (the default) or Parallel.', ['OrderedReady', 'Parallel'])),
  updateStrategy: Opt(StatefulSetUpdateStrategySchema),
  revisionHistoryLimit: Opt(Int32('ControllerRevisions kept; 10 by default.')),
  minReadySeconds: Opt(Int32('Seconds a new pod must be ready before it counts as available.')),
  persistentVolumeClaimRetentionPolicy: Opt(RetentionPolicySchema),
  ordinals: Opt(OrdinalsSchema),
}, { required: ['selector', 'template'] } as never);

const StatefulSetConditionSchema = Obj(A + 'StatefulSetCondition', 'One aspect of the state of a StatefulSet.', {
  type: Str('Type of the condition.'),
  status: Str('True, False or Unknown.'),
  lastTransitionTime: Opt(Time),
  reason: Opt(Str('Reason for the last transition, in CamelCase.')),
  message: Opt(Str('Human-readable details.')),
});

export const StatefulSetStatusSchema = Obj(A + 'StatefulSetStatus', 'The observed state of a StatefulSet.', {
  observedGeneration: Opt(Int64('Generation last acted on by the controller.')),
  replicas: Int32('Pods created by the controller.'),
  readyReplicas: Opt(Int32('Pods that are ready.')),
  currentReplicas: Opt(Int32('Pods at currentRevision.')),
  updatedReplicas: Opt(Int32('Pods at updateRevision.')),
  currentRevision: Opt(Str('The revision the pods below the update are at.')),
  updateRevision: Opt(Str('The revision of the current template.')),
  collisionCount: Opt(Int32('Revision name hash collisions seen.')),
  conditions: Opt(List(StatefulSetConditionSchema, 'Latest observations of the StatefulSet.', conditionListOptions)),
  availableReplicas: Opt(Int32('Pods ready for at least minReadySeconds.')),
});

export const StatefulSetSchema = Obj(A + 'StatefulSet', 'Manages pods with stable identities and storage.', kindProps({
  spec: Opt(StatefulSetSpecSchema),
  status: Opt(StatefulSetStatusSchema),
}), { 'x-kubernetes-group-version-kind': [{ group: 'apps', version: 'v1', kind: 'StatefulSet' }] });
export type StatefulSet = Static<typeof StatefulSetSchema> & KObject;
type Spec = NonNullable<StatefulSet['spec']>;

/** SetDefaults_StatefulSet (plus SetDefaults_PersistentVolumeClaim for the templates and the pod template defaults). */
export function defaultStatefulSet(s: StatefulSet): void {
  const spec = (s.spec ??= {});
  spec.podManagementPolicy ||= 'OrderedReady';
  const st = (spec.updateStrategy ??= {});
  if (!st.type) {
    st.type = 'RollingUpdate';
    st.rollingUpdate ??= {};
  }
  const ru = st.type === 'RollingUpdate' ? st.rollingUpdate : undefined;
  if (ru) {
    ru.partition ??= 0;
    ru.maxUnavailable ??= 1; // MaxUnavailableStatefulSet (on by default since 1.35)
  }
  const policy = (spec.persistentVolumeClaimRetentionPolicy ??= {});
  policy.whenDeleted ||= 'Retain';
  policy.whenScaled ||= 'Retain';
  spec.replicas ??= 1;
  spec.revisionHistoryLimit ??= 10;
  for (const t of spec.volumeClaimTemplates ?? []) {
    t.apiVersion ??= 'v1';
    t.kind ??= 'PersistentVolumeClaim';
    defaultPersistentVolumeClaimSpec((t.spec ??= {}));
    (t.status ??= {}).phase ??= 'Pending';
  }
  defaultPodSpec(((spec.template ??= {}).spec ??= { containers: [] } as never));
}

function validateUpdateStrategy(st: NonNullable<Spec['updateStrategy']>): FieldError[] {
  const path = 'spec.updateStrategy';
  switch (st.type) {
    case undefined: case '': return [field.required(path)];
    case 'OnDelete':
      return st.rollingUpdate ? [field.invalid(`${path}.rollingUpdate`, '', "only allowed for updateStrategy 'RollingUpdate'")] : [];
    case 'RollingUpdate': {
      const ru = st.rollingUpdate;
      if (!ru) return [];
      const errs = nonNegative(ru.partition ?? 0, `${path}.rollingUpdate.partition`);
      if (ru.maxUnavailable !== undefined) {
        const mp = `${path}.rollingUpdate.maxUnavailable`;
        const own = validatePositiveIntOrPercent(ru.maxUnavailable, mp);
        errs.push(...own);
        if (!own.length && intOrPercent(ru.maxUnavailable) === 0) errs.push(field.invalid(mp, goIntOrString(ru.maxUnavailable), 'must be greater than 0'));
        errs.push(...notMoreThan100Percent(ru.maxUnavailable, mp));
      }
      return errs;
    }
    default: return [field.invalid(path, '', "must be 'RollingUpdate' or 'OnDelete'")];
  }
}

/** ValidateStatefulSetSpec. */
export function validateStatefulSet(s: StatefulSet): FieldError[] {
  const spec = s.spec ?? {};
  const errs: FieldError[] = [];
  const pmp = spec.podManagementPolicy;
  if (!pmp) errs.push(field.required('spec.podManagementPolicy'));
  else if (pmp !== 'OrderedReady' && pmp !== 'Parallel') errs.push(field.invalid('spec.podManagementPolicy', pmp, "must be 'OrderedReady' or 'Parallel'"));
  errs.push(...validateUpdateStrategy(spec.updateStrategy ?? {}));
  const policy = spec.persistentVolumeClaimRetentionPolicy ?? {};
  for (const k of ['whenDeleted', 'whenScaled'] as const) {
    const v = policy[k];
    if (v !== 'Retain' && v !== 'Delete') errs.push(field.notSupported(`spec.persistentVolumeClaimRetentionPolicy.${k}`, v ?? '', ['Retain', 'Delete']));
  }
  if (spec.ordinals) errs.push(...nonNegative(spec.ordinals.start ?? 0, 'spec.ordinals.start'));
  // Mounts may name a volumeClaimTemplate: the template is checked with those volumes present (as the pods get them).
  const claims = (spec.volumeClaimTemplates ?? []).flatMap((t) => (t.metadata?.name ? [{ name: t.metadata.name, persistentVolumeClaim: { claimName: t.metadata.name } }] : []));
  const withClaims = spec.template?.spec && claims.length
    ? { ...spec, template: { ...spec.template, spec: { ...spec.template.spec, volumes: [...(spec.template.spec.volumes ?? []).filter((v) => !claims.some((c) => c.name === v.name)), ...claims] } } }
    : spec;
  errs.push(...validateReplicatedSpec(withClaims as Spec, true, { selector: 'statefulset', template: 'StatefulSet' }));
  (spec.volumeClaimTemplates ?? []).forEach((t, i) => {
    if (!t.metadata?.name) errs.push(field.required(`spec.volumeClaimTemplates[${i}].metadata.name`, 'name or generateName is required'));
  });
  return errs;
}

const MUTABLE: (keyof Spec)[] = ['replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy', 'minReadySeconds'];

/** ValidateStatefulSetUpdate: only some spec fields may change. */
export function validateStatefulSetUpdate(s: StatefulSet, old: StatefulSet): FieldError[] {
  const strip = (spec: Spec | undefined) => Object.fromEntries(Object.entries(spec ?? {}).filter(([k]) => !MUTABLE.includes(k as keyof Spec)));
  if (semanticEqual(strip(s.spec), strip(old.spec))) return validateSelectorUnchanged(s.spec?.selector, old.spec?.selector);
  return [field.forbidden('spec', "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden")];
}

export const statefulSetDef: ResourceDef<StatefulSet> = {
  group: 'apps', version: 'v1', kind: 'StatefulSet', plural: 'statefulsets', singular: 'statefulset',
  namespaced: true, shortNames: ['sts'], categories: ['all'],
  schema: StatefulSetSchema, statusSubresource: true, generation: true,
  scale: replicasScale(),
  default: defaultStatefulSet,
  validate: validateStatefulSet,
  validateUpdate: validateStatefulSetUpdate,
  prepareForCreate: (s) => { s.status = { replicas: 0 }; },
  columns: [
    nameColumn,
    col('Ready', 'string', 'Number of ready pods out of the desired replicas.'),
    ageColumn,
    col('Containers', 'string', 'Names of the containers in the template.', 1),
    col('Images', 'string', 'Images of the containers in the template.', 1),
  ],
  row: (s, now) => [
    s.metadata.name ?? '', `${s.status?.readyReplicas ?? 0}/${s.spec?.replicas ?? 0}`, age(s.metadata.creationTimestamp, now),
    ...containerCells(s.spec?.template),
  ],
};
