/** PersistentVolumeClaim (core/v1): a user's request for storage, bound to one PersistentVolume. */
import { Obj, Opt, Str, List, MapOf, Quantity, Time, type Static } from '../schema.js';
import { kindProps, LabelSelector, type KObject } from '../meta.js';
import type { ResourceDef } from '../resource.js';
import { field, type FieldError } from '../errors.js';
import { age, ageColumn, col, nameColumn } from '../printers/util.js';
import { validateLabelSelector } from '../labels.js';
import { TypedLocalObjectReferenceSchema } from './ingress.js';
import { atomic } from './pod-spec-common.js';
import { parseQuantity } from './pod-quantity.js';
import { accessModesString, claimClass, validateAccessModes, validateStorageClassName, validateVolumeMode } from './storage-common.js';

const C = 'io.k8s.api.core.v1.';

export const VolumeResourceRequirementsSchema = Obj(C + 'VolumeResourceRequirements', 'Storage a claim asks for.', {
  limits: Opt(MapOf(Quantity, 'Maximum amount of each resource.')),
  requests: Opt(MapOf(Quantity, 'Minimum amount of each resource; `storage` is required.')),
});

export const TypedObjectReferenceSchema = Obj(C + 'TypedObjectReference', 'Points to an object of any kind, possibly in another namespace.', {
  apiGroup: Opt(Str('API group of the referenced kind; empty for the core group.')),
  kind: Str('Kind of the referenced object.'),
  name: Str('Name of the referenced object.'),
  namespace: Opt(Str('Namespace of the referenced object.')),
});

export const PersistentVolumeClaimSpecSchema = Obj(C + 'PersistentVolumeClaimSpec', 'The storage a claim asks for.', {
  accessModes: Opt(List(Str('ReadWriteOnce, ReadOnlyMany, ReadWriteMany or ReadWriteOncePod.'), 'Access modes the volume must offer.', atomic)),
  selector: Opt(LabelSelector),
  resources: Opt(VolumeResourceRequirementsSchema),
  volumeName: Opt(Str('Name of the PersistentVolume bound to this claim.')),
  storageClassName: Opt(Str('Name of the StorageClass required by the claim.')),
  volumeMode: Opt(Str('Filesystem (the default) or Block.')),
  dataSource: Opt(TypedLocalObjectReferenceSchema),
  dataSourceRef: Opt(TypedObjectReferenceSchema),
  volumeAttributesClassName: Opt(Str('Name of the VolumeAttributesClass for the volume.')),
});

export const PersistentVolumeClaimConditionSchema = Obj(C + 'PersistentVolumeClaimCondition', 'One aspect of the state of a claim.', {
  type: Str('Type of the condition, such as Resizing.'),
  status: Str('True, False or Unknown.'),
  lastProbeTime: Opt(Time),
  lastTransitionTime: Opt(Time),
  reason: Opt(Str('Reason for the last transition.')),
  message: Opt(Str('Human-readable details.')),
});

export const PersistentVolumeClaimStatusSchema = Obj(C + 'PersistentVolumeClaimStatus', 'The observed state of a claim.', {
  phase: Opt(Str('Pending, Bound or Lost.')),
  accessModes: Opt(List(Str('An access mode.'), 'Access modes of the bound volume.', atomic)),
  capacity: Opt(MapOf(Quantity, 'Capacity of the bound volume.')),
  conditions: Opt(List(PersistentVolumeClaimConditionSchema, 'Current conditions of the claim.', { 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['type'] })),
  allocatedResources: Opt(MapOf(Quantity, 'Resources allocated to the claim.')),
  allocatedResourceStatuses: Opt(MapOf(Str('Resize status of a resource.'), 'Resize status per resource.')),
  currentVolumeAttributesClassName: Opt(Str('VolumeAttributesClass currently applied.')),
  modifyVolumeStatus: Opt(Obj(C + 'ModifyVolumeStatus', 'Status of a volume modification.', {
    targetVolumeAttributesClassName: Opt(Str('Class being applied.')),
    status: Str('Pending, InProgress or Infeasible.'),
  })),
});

export const PersistentVolumeClaimSchema = Obj(C + 'PersistentVolumeClaim', "A user's request for and claim to a persistent volume.", kindProps({
  spec: Opt(PersistentVolumeClaimSpecSchema),
  status: Opt(PersistentVolumeClaimStatusSchema),
}), { 'x-kubernetes-group-version-kind': [{ group: '', version: 'v1', kind: 'PersistentVolumeClaim' }] });
export type PersistentVolumeClaim = Static<typeof PersistentVolumeClaimSchema> & KObject;
export type PersistentVolumeClaimSpec = Static<typeof PersistentVolumeClaimSpecSchema>;

/** SetDefaults_PersistentVolumeClaimSpec: volumeMode Filesystem. */
export function defaultPersistentVolumeClaimSpec(spec: PersistentVolumeClaimSpec): void {
  spec.volumeMode ??= 'Filesystem';
}

/** ValidatePersistentVolumeClaimSpec (pkg/apis/core/validation), with upstream paths and messages. */
export function validatePersistentVolumeClaimSpec(spec: PersistentVolumeClaimSpec, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!spec.accessModes?.length) errs.push(field.required(`${path}.accessModes`, 'at least 1 access mode is required'));
  errs.push(...validateAccessModes(spec.accessModes ?? [], `${path}.accessModes`));
  if (spec.selector) errs.push(...validateLabelSelector(spec.selector, `${path}.selector`));
  const storage = spec.resources?.requests?.['storage'];
  const sp = `${path}.resources[storage]`;
  if (storage === undefined) errs.push(field.required(sp, ''));
  else if ((parseQuantity(storage) ?? 0) <= 0) errs.push(field.invalid(sp, String(storage), 'must be greater than zero'));
  if (spec.storageClassName !== undefined && spec.storageClassName !== '') errs.push(...validateStorageClassName(spec.storageClassName, `${path}.storageClassName`));
  if (spec.volumeMode !== undefined) errs.push(...validateVolumeMode(spec.volumeMode, `${path}.volumeMode`));
  return errs;
}

const SPEC_IMMUTABLE = 'spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims';

/** ValidatePersistentVolumeClaimUpdate: only requests (growth while bound), a first volumeName and the attributes class change. */
export function validatePersistentVolumeClaimUpdate(pvc: PersistentVolumeClaim, old: PersistentVolumeClaim): FieldError[] {
  const spec = pvc.spec ?? {}, prev = old.spec ?? {};
  const strip = (s: PersistentVolumeClaimSpec, volumeName: string | undefined) => JSON.stringify({
    ...s, resources: { ...s.resources, requests: undefined }, volumeAttributesClassName: undefined, volumeName,
  });
  const volumeName = prev.volumeName ? spec.volumeName : undefined;
  if (strip(spec, volumeName) !== strip(prev, prev.volumeName ? prev.volumeName : undefined)) return [field.forbidden('spec', SPEC_IMMUTABLE)];
  const now = spec.resources?.requests?.['storage'], was = prev.resources?.requests?.['storage'];
  if (String(now) === String(was)) return [];
  if (old.status?.phase !== 'Bound') return [field.forbidden('spec', SPEC_IMMUTABLE)];
  const cap = parseQuantity(old.status?.capacity?.['storage']) ?? parseQuantity(was) ?? 0;
  if ((parseQuantity(now) ?? 0) < cap) return [field.forbidden('spec.resources.requests.storage', 'field can not be less than status.capacity')];
  return [];
}

export const persistentVolumeClaimDef: ResourceDef<PersistentVolumeClaim> = {
  group: '', version: 'v1', kind: 'PersistentVolumeClaim', plural: 'persistentvolumeclaims', singular: 'persistentvolumeclaim',
  namespaced: true, shortNames: ['pvc'], categories: [],
  schema: PersistentVolumeClaimSchema, statusSubresource: true, generation: false,
  default: (pvc) => defaultPersistentVolumeClaimSpec((pvc.spec ??= {})),
  validate: (pvc) => validatePersistentVolumeClaimSpec(pvc.spec ?? {}, 'spec'),
  validateUpdate: validatePersistentVolumeClaimUpdate,
  prepareForCreate: (pvc) => { pvc.status = { phase: 'Pending' }; },
  columns: [
    nameColumn,
    col('Status', 'string', 'Phase of the claim.'),
    col('Volume', 'string', 'The PersistentVolume bound to the claim.'),
    col('Capacity', 'string', 'Capacity of the bound volume.'),
    col('Access Modes', 'string', 'Access modes of the bound volume.'),
    col('StorageClass', 'string', 'StorageClass of the claim.'),
    col('VolumeAttributesClass', 'string', 'VolumeAttributesClass of the claim.'),
    ageColumn,
    col('VolumeMode', 'string', 'Filesystem or Block.', 1),
  ],
  row: (pvc, now) => {
    const bound = !!pvc.spec?.volumeName;
    const cap = bound ? pvc.status?.capacity?.['storage'] : undefined;
    return [
      pvc.metadata.name ?? '', pvc.metadata.deletionTimestamp ? 'Terminating' : (pvc.status?.phase ?? ''), pvc.spec?.volumeName ?? '',
      bound ? String(cap ?? '0') : '', bound ? accessModesString(pvc.status?.accessModes) : '', claimClass(pvc),
      pvc.spec?.volumeAttributesClassName ?? '<unset>', age(pvc.metadata.creationTimestamp, now), pvc.spec?.volumeMode ?? '<unset>',
    ];
  },
};
