/** StorageClass (storage.k8s.io/v1, cluster-scoped): a class of dynamically provisioned storage. */
import { Obj, Opt, Str, Bool, List, StrMap, type Static } from '../schema.js';
import { kindProps, type KObject } from '../meta.js';
import type { ResourceDef } from '../resource.js';
import { field, type FieldError } from '../errors.js';
import { age, ageColumn, col, nameColumn } from '../printers/util.js';
import { isQualifiedName } from '../validation/names.js';
import { atomic } from './pod-spec-common.js';
import { isDefaultStorageClass } from './storage-common.js';

const S = 'io.k8s.api.storage.v1.';
const C = 'io.k8s.api.core.v1.';

export const TopologySelectorTermSchema = Obj(C + 'TopologySelectorTerm', 'Topology requirements that must all hold.', {
  matchLabelExpressions: Opt(List(Obj(C + 'TopologySelectorLabelRequirement', 'A topology label and its allowed values.', {
    key: Str('Label key.'),
    values: List(Str('A value.'), 'Allowed values.', atomic),
  }), 'Label requirements.', atomic)),
}, { 'x-kubernetes-map-type': 'atomic' });

export const StorageClassSchema = Obj(S + 'StorageClass', 'A class of storage that claims can ask for by name; volumes of it are provisioned dynamically.', kindProps({
  provisioner: Str('Name of the provisioner that creates volumes of this class.'),
  parameters: Opt(StrMap('Parameters for the provisioner.')),
  reclaimPolicy: Opt(Str('Reclaim policy of provisioned volumes: Delete (the default) or Retain.')),
  mountOptions: Opt(List(Str('A mount option.'), 'Mount options of provisioned volumes.', atomic)),
  allowVolumeExpansion: Opt(Bool('Whether claims of this class may grow.')),
  volumeBindingMode: Opt(Str('Immediate (the default) or WaitForFirstConsumer.')),
  allowedTopologies: Opt(List(TopologySelectorTermSchema, 'Where volumes may be provisioned.', atomic)),
}), { 'x-kubernetes-group-version-kind': [{ group: 'storage.k8s.io', version: 'v1', kind: 'StorageClass' }] });
export type StorageClass = Static<typeof StorageClassSchema> & KObject;

const RECLAIM = ['Delete', 'Retain'];
const BINDING = ['Immediate', 'WaitForFirstConsumer'];

/** ValidateStorageClass (pkg/apis/storage/validation). */
export function validateStorageClass(sc: StorageClass): FieldError[] {
  const errs: FieldError[] = [];
  if (!sc.provisioner) errs.push(field.required('provisioner', ''));
  else for (const m of isQualifiedName(sc.provisioner.toLowerCase())) errs.push(field.invalid('provisioner', sc.provisioner, m));
  const size = Object.entries(sc.parameters ?? {}).reduce((n, [k, v]) => n + k.length + v.length, 0);
  if (size > 256 * 1024) errs.push(field.tooLong('parameters', '', 256 * 1024));
  for (const k of Object.keys(sc.parameters ?? {})) if (!k) errs.push(field.invalid('parameters', k, 'field can not be empty.'));
  if (sc.reclaimPolicy !== undefined && !RECLAIM.includes(sc.reclaimPolicy)) errs.push(field.notSupported('reclaimPolicy', sc.reclaimPolicy, RECLAIM));
  if (sc.volumeBindingMode === undefined) errs.push(field.required('volumeBindingMode', ''));
  else if (!BINDING.includes(sc.volumeBindingMode)) errs.push(field.notSupported('volumeBindingMode', sc.volumeBindingMode, BINDING));
  return errs;
}

/** ValidateStorageClassUpdate: parameters, provisioner, reclaimPolicy and volumeBindingMode are fixed. */
export function validateStorageClassUpdate(sc: StorageClass, old: StorageClass): FieldError[] {
  const errs = validateStorageClass(sc);
  if (JSON.stringify(sc.parameters ?? {}) !== JSON.stringify(old.parameters ?? {})) errs.push(field.forbidden('parameters', 'updates to parameters are forbidden.'));
  if (sc.provisioner !== old.provisioner) errs.push(field.forbidden('provisioner', 'updates to provisioner are forbidden.'));
  if (sc.reclaimPolicy !== old.reclaimPolicy) errs.push(field.forbidden('reclaimPolicy', 'updates to reclaimPolicy are forbidden.'));
  if (sc.volumeBindingMode !== old.volumeBindingMode) errs.push(field.invalid('volumeBindingMode', sc.volumeBindingMode ?? null, 'field is immutable'));
  return errs;
}

export const storageClassDef: ResourceDef<StorageClass> = {
  group: 'storage.k8s.io', version: 'v1', kind: 'StorageClass', plural: 'storageclasses', singular: 'storageclass',
  namespaced: false, shortNames: ['sc'], categories: [],
  schema: StorageClassSchema, statusSubresource: false, generation: false,
  default: (sc) => { sc.reclaimPolicy ??= 'Delete'; sc.volumeBindingMode ??= 'Immediate'; },
  validate: (sc, ctx) => (ctx.operation === 'update' ? [] : validateStorageClass(sc)),
  validateUpdate: validateStorageClassUpdate,
  columns: [
    nameColumn,
    col('Provisioner', 'string', 'Provisioner of volumes of this class.'),
    col('ReclaimPolicy', 'string', 'Reclaim policy of provisioned volumes.'),
    col('VolumeBindingMode', 'string', 'When claims of this class are bound.'),
    col('AllowVolumeExpansion', 'string', 'Whether claims of this class may grow.'),
    ageColumn,
  ],
  row: (sc, now) => [
    (sc.metadata.name ?? '') + (isDefaultStorageClass(sc) ? ' (default)' : ''), sc.provisioner ?? '', sc.reclaimPolicy ?? 'Delete',
    sc.volumeBindingMode ?? 'Immediate', String(sc.allowVolumeExpansion ?? false), age(sc.metadata.creationTimestamp, now),
  ],
};
