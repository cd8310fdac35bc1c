/** PersistentVolume (core/v1, cluster-scoped): a piece of storage claimed by one PersistentVolumeClaim. */
import { Obj, Opt, Str, List, MapOf, Quantity, Free, Time, type Static } from '../schema.js';
import { kindProps, type KObject } from '../meta.js';
import type { ResourceDef } from '../resource.js';
import { field, type FieldError } from '../errors.js';
import { age, ageColumn, col, nameColumn } from '../printers/util.js';
import { atomic, ObjectReference } from './pod-spec-common.js';
import { NodeSelector } from './pod-spec-scheduling.js';
import { HostPathVolumeSource, NFSVolumeSource } from './pod-spec-volume.js';
import { parseQuantity } from './pod-quantity.js';
import { accessModesString, claimClass, validateAccessModes, validateStorageClassName, validateVolumeMode } from './storage-common.js';

const C = 'io.k8s.api.core.v1.';

/** Volume sources a PersistentVolume may carry, typed ones first; exactly one must be set. */
export const persistentVolumeSources = ['hostPath', 'local', 'nfs', 'csi', 'gcePersistentDisk', 'awsElasticBlockStore', 'iscsi', 'glusterfs',
  'rbd', 'flexVolume', 'cinder', 'cephfs', 'flocker', 'fc', 'azureFile', 'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk',
  'portworxVolume', 'scaleIO', 'storageos'] as const;

const freeSource = (k: string) => Opt(Free(`The ${k} volume source.`));
const legacy = Object.fromEntries(persistentVolumeSources.slice(3).map((k) => [k, freeSource(k)])) as
  Record<Exclude<(typeof persistentVolumeSources)[number], 'hostPath' | 'local' | 'nfs'>, ReturnType<typeof freeSource>>;

export const PersistentVolumeSpecSchema = Obj(C + 'PersistentVolumeSpec', 'The storage a volume offers.', {
  capacity: Opt(MapOf(Quantity, 'Capacity of the volume; only `storage` is defined.')),
  accessModes: Opt(List(Str('ReadWriteOnce, ReadOnlyMany, ReadWriteMany or ReadWriteOncePod.'), 'Ways the volume can be mounted.', atomic)),
  claimRef: Opt(ObjectReference),
  persistentVolumeReclaimPolicy: Opt(Str('Retain (the default for manual volumes), Delete or Recycle.')),
  storageClassName: Opt(Str('Name of the StorageClass the volume belongs to.')),
  mountOptions: Opt(List(Str('A mount option.'), 'Mount options.', atomic)),
  volumeMode: Opt(Str('Filesystem (the default) or Block.')),
  nodeAffinity: Opt(Obj(C + 'VolumeNodeAffinity', 'Nodes the volume can be used from.', { required: Opt(NodeSelector) })),
  volumeAttributesClassName: Opt(Str('Name of the VolumeAttributesClass.')),
  hostPath: Opt(HostPathVolumeSource),
  local: Opt(Obj(C + 'LocalVolumeSource', 'A local disk of one node.', { path: Str('Full path on the node.'), fsType: Opt(Str('Filesystem type.')) })),
  nfs: Opt(NFSVolumeSource),
  ...legacy,
});

export const PersistentVolumeStatusSchema = Obj(C + 'PersistentVolumeStatus', 'The observed state of a volume.', {
  phase: Opt(Str('Pending, Available, Bound, Released or Failed.')),
  message: Opt(Str('Human-readable reason for the phase.')),
  reason: Opt(Str('Short CamelCase reason for a failure.')),
  lastPhaseTransitionTime: Opt(Time),
});

export const PersistentVolumeSchema = Obj(C + 'PersistentVolume', 'A storage resource provisioned by an administrator or a provisioner.', kindProps({
  spec: Opt(PersistentVolumeSpecSchema),
  status: Opt(PersistentVolumeStatusSchema),
}), { 'x-kubernetes-group-version-kind': [{ group: '', version: 'v1', kind: 'PersistentVolume' }] });
export type PersistentVolume = Static<typeof PersistentVolumeSchema> & KObject;
type Spec = Static<typeof PersistentVolumeSpecSchema>;

const RECLAIM = ['Delete', 'Recycle', 'Retain'];

/** ValidatePersistentVolumeSpec with upstream paths and messages. */
export function validatePersistentVolumeSpec(spec: Spec): FieldError[] {
  const errs: FieldError[] = [];
  if (!spec.accessModes?.length) errs.push(field.required('spec.accessModes', ''));
  errs.push(...validateAccessModes(spec.accessModes ?? [], 'spec.accessModes'));
  const cap = spec.capacity ?? {};
  const keys = Object.keys(cap);
  if (!keys.length) errs.push(field.required('spec.capacity', ''));
  for (const k of keys) if (k !== 'storage') errs.push(field.notSupported('spec.capacity', k, ['storage']));
  if (cap['storage'] !== undefined && (parseQuantity(cap['storage']) ?? -1) < 0) errs.push(field.invalid('spec.capacity[storage]', String(cap['storage']), 'must be greater than or equal to 0'));
  const policy = spec.persistentVolumeReclaimPolicy;
  if (policy !== undefined && !RECLAIM.includes(policy)) errs.push(field.notSupported('spec.persistentVolumeReclaimPolicy', policy, RECLAIM));
  if (spec.storageClassName) errs.push(...validateStorageClassName(spec.storageClassName, 'spec.storageClassName'));
  if (spec.volumeMode !== undefined) errs.push(...validateVolumeMode(spec.volumeMode, 'spec.volumeMode'));
  const set = persistentVolumeSources.filter((s) => spec[s] !== undefined);
  if (!set.length) errs.push(field.required('spec', 'must specify a volume type'));
  for (const s of set.slice(1)) errs.push(field.forbidden(`spec.${s}`, 'may not specify more than 1 volume type'));
  if (spec.hostPath && !spec.hostPath.path) errs.push(field.required('spec.hostPath.path', ''));
  if (spec.local && !spec.local.path) errs.push(field.required('spec.local.path', ''));
  if (spec.local && !spec.nodeAffinity) errs.push(field.required('spec.nodeAffinity', 'Local volume requires node affinity'));
  return errs;
}

/** ValidatePersistentVolumeUpdate: the source and volumeMode never change; nodeAffinity only from empty. */
export function validatePersistentVolumeUpdate(pv: PersistentVolume, old: PersistentVolume): FieldError[] {
  const errs = validatePersistentVolumeSpec(pv.spec ?? {});
  const src = (s: Spec | undefined) => JSON.stringify(persistentVolumeSources.map((k) => s?.[k]));
  if (src(pv.spec) !== src(old.spec)) errs.push(field.forbidden('spec.persistentvolumesource', 'spec.persistentvolumesource is immutable after creation'));
  if ((pv.spec?.volumeMode ?? '') !== (old.spec?.volumeMode ?? '')) errs.push(field.invalid('spec.volumeMode', pv.spec?.volumeMode ?? null, 'field is immutable'));
  if (old.spec?.nodeAffinity && JSON.stringify(pv.spec?.nodeAffinity) !== JSON.stringify(old.spec.nodeAffinity)) {
    errs.push(field.invalid('spec.nodeAffinity', pv.spec?.nodeAffinity ?? null, 'field is immutable'));
  }
  return errs;
}

/** SetDefaults_PersistentVolume: reclaim policy Retain, volumeMode Filesystem. */
export function defaultPersistentVolume(pv: PersistentVolume): void {
  const spec = (pv.spec ??= {});
  spec.persistentVolumeReclaimPolicy ??= 'Retain';
  spec.volumeMode ??= 'Filesystem';
}

export const persistentVolumeDef: ResourceDef<PersistentVolume> = {
  group: '', version: 'v1', kind: 'PersistentVolume', plural: 'persistentvolumes', singular: 'persistentvolume',
  namespaced: false, shortNames: ['pv'], categories: [],
  schema: PersistentVolumeSchema, statusSubresource: true, generation: false,
  default: defaultPersistentVolume,
  validate: (pv, ctx) => (ctx.operation === 'update' ? [] : validatePersistentVolumeSpec(pv.spec ?? {})),
  validateUpdate: validatePersistentVolumeUpdate,
  prepareForCreate: (pv) => { pv.status = { phase: 'Pending', lastPhaseTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z') }; },
  columns: [
    nameColumn,
    col('Capacity', 'string', 'Capacity of the volume.'),
    col('Access Modes', 'string', 'Ways the volume can be mounted.'),
    col('Reclaim Policy', 'string', 'What happens to the volume when its claim is deleted.'),
    col('Status', 'string', 'Phase of the volume.'),
    col('Claim', 'string', 'The claim bound to the volume.'),
    col('StorageClass', 'string', 'StorageClass of the volume.'),
    col('VolumeAttributesClass', 'string', 'VolumeAttributesClass of the volume.'),
    col('Reason', 'string', 'Reason for a failure.'),
    ageColumn,
    col('VolumeMode', 'string', 'Filesystem or Block.', 1),
  ],
  row: (pv, now) => {
    const ref = pv.spec?.claimRef;
    return [
      pv.metadata.name ?? '', String(pv.spec?.capacity?.['storage'] ?? '0'), accessModesString(pv.spec?.accessModes),
      pv.spec?.persistentVolumeReclaimPolicy ?? '', pv.metadata.deletionTimestamp ? 'Terminating' : (pv.status?.phase ?? ''),
      ref ? `${ref.namespace ?? ''}/${ref.name ?? ''}` : '', claimClass(pv), pv.spec?.volumeAttributesClassName ?? '<unset>',
      pv.status?.reason ?? '', age(pv.metadata.creationTimestamp, now), pv.spec?.volumeMode ?? '<unset>',
    ];
  },
};
