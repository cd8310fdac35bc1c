/** Helpers shared by the PersistentVolume, PersistentVolumeClaim and StorageClass kinds (pkg/apis/core/helper, storage/util). */
import { field, type FieldError } from '../errors.js';
import type { KObject } from '../meta.js';
import { dnsSubdomain } from './pod-validation-util.js';

/** StorageClass annotation marking the cluster's default class (storageutil.IsDefaultStorageClassAnnotation). */
export const ANNOTATION_IS_DEFAULT_STORAGE_CLASS = 'storageclass.kubernetes.io/is-default-class';
/** The beta annotation with the same meaning, still honoured upstream. */
export const ANNOTATION_BETA_IS_DEFAULT_STORAGE_CLASS = 'storageclass.beta.kubernetes.io/is-default-class';
/** Deprecated claim/volume annotation naming the class; wins over spec.storageClassName. */
export const ANNOTATION_BETA_STORAGE_CLASS = 'volume.beta.kubernetes.io/storage-class';
/** Claim annotation: the binding controller finished binding (pvutil.AnnBindCompleted). */
export const ANNOTATION_BIND_COMPLETED = 'pv.kubernetes.io/bind-completed';
/** Claim annotation: the controller (not the user) chose the volume (pvutil.AnnBoundByController). */
export const ANNOTATION_BOUND_BY_CONTROLLER = 'pv.kubernetes.io/bound-by-controller';
/** Volume annotation naming the provisioner that created it (pvutil.AnnDynamicallyProvisioned). */
export const ANNOTATION_PROVISIONED_BY = 'pv.kubernetes.io/provisioned-by';
/** Claim annotation naming the provisioner asked to provision it (pvutil.AnnStorageProvisioner). */
export const ANNOTATION_STORAGE_PROVISIONER = 'volume.kubernetes.io/storage-provisioner';
/** The beta spelling of the provisioner annotation, still set upstream. */
export const ANNOTATION_BETA_STORAGE_PROVISIONER = 'volume.beta.kubernetes.io/storage-provisioner';
/** Claim annotation: the node chosen by the scheduler for a WaitForFirstConsumer claim (pvutil.AnnSelectedNode). */
export const ANNOTATION_SELECTED_NODE = 'volume.kubernetes.io/selected-node';
/** Finalizer keeping a claim used by a pod (pvcprotection). */
export const FINALIZER_PVC_PROTECTION = 'kubernetes.io/pvc-protection';
/** Finalizer keeping a bound volume (pvprotection). */
export const FINALIZER_PV_PROTECTION = 'kubernetes.io/pv-protection';

const ACCESS_MODES = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'];
const SHORT: [string, string][] = [['ReadWriteOnce', 'RWO'], ['ReadOnlyMany', 'ROX'], ['ReadWriteMany', 'RWX'], ['ReadWriteOncePod', 'RWOP']];

/** GetAccessModesAsString: `RWO,ROX,RWX,RWOP` in that order, duplicates dropped. */
export function accessModesString(modes: readonly string[] | undefined): string {
  const have = new Set(modes ?? []);
  return SHORT.filter(([m]) => have.has(m)).map(([, s]) => s).join(',');
}

/** Access mode values must be known; ReadWriteOncePod excludes every other mode. */
export function validateAccessModes(modes: readonly string[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const m of modes) if (!ACCESS_MODES.includes(m)) errs.push(field.notSupported(path, m, ACCESS_MODES));
  if (modes.includes('ReadWriteOncePod') && modes.length > 1) errs.push(field.forbidden(path, 'may not use ReadWriteOncePod with other access modes'));
  return errs;
}

/** volumeMode must be Block or Filesystem. */
export function validateVolumeMode(mode: string, path: string): FieldError[] {
  return mode === 'Block' || mode === 'Filesystem' ? [] : [field.notSupported(path, mode, ['Block', 'Filesystem'])];
}

/** storageClassName is a DNS subdomain (ValidateDNS1123Subdomain). */
export function validateStorageClassName(name: string, path: string): FieldError[] {
  return dnsSubdomain(name, path);
}

/** GetPersistentVolumeClaimClass / GetPersistentVolumeClass: the beta annotation, else spec.storageClassName, else "". */
export function claimClass(o: KObject & { spec?: { storageClassName?: string } }): string {
  return o.metadata.annotations?.[ANNOTATION_BETA_STORAGE_CLASS] ?? o.spec?.storageClassName ?? '';
}

/** Whether a StorageClass is marked default by the GA or beta annotation (value exactly "true"). */
export function isDefaultStorageClass(o: KObject): boolean {
  const a = o.metadata.annotations ?? {};
  return a[ANNOTATION_IS_DEFAULT_STORAGE_CLASS] === 'true' || a[ANNOTATION_BETA_IS_DEFAULT_STORAGE_CLASS] === 'true';
}
