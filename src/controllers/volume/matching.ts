/** Which PersistentVolume a claim binds to (pkg/controller/volume/persistentvolume/index.go findMatchingVolume) and related checks. */
import type { PersistentVolume } from '../../api/kinds/pv.js';
import type { PersistentVolumeClaim } from '../../api/kinds/pvc.js';
import type { Pod } from '../../api/kinds/pod.js';
import { selectorMatches } from '../../api/labels.js';
import { parseQuantity } from '../../api/kinds/pod-quantity.js';
import { claimClass } from '../../api/kinds/storage-common.js';

/** Whether a volume's claimRef names this claim (by namespace and name, and uid when set). */
export function claimRefMatches(pv: PersistentVolume, pvc: PersistentVolumeClaim): boolean {
  const ref = pv.spec?.claimRef;
  return !!ref && ref.namespace === pvc.metadata.namespace && ref.name === pvc.metadata.name && (!ref.uid || ref.uid === pvc.metadata.uid);
}

/** Whether `pv` can satisfy `pvc`: class, access modes, volume mode, capacity and selector. */
export function volumeSatisfies(pv: PersistentVolume, pvc: PersistentVolumeClaim): boolean {
  if (pv.metadata.deletionTimestamp) return false;
  if (claimClass(pv) !== claimClass(pvc)) return false;
  if ((pv.spec?.volumeMode ?? 'Filesystem') !== (pvc.spec?.volumeMode ?? 'Filesystem')) return false;
  const modes = new Set(pv.spec?.accessModes ?? []);
  if (!(pvc.spec?.accessModes ?? []).every((m) => modes.has(m))) return false;
  const want = parseQuantity(pvc.spec?.resources?.requests?.['storage']) ?? 0;
  if ((parseQuantity(pv.spec?.capacity?.['storage']) ?? 0) < want) return false;
  return !pvc.spec?.selector || selectorMatches(pvc.spec.selector, pv.metadata.labels ?? {});
}

/**
 * The volume a claim should bind to: the one its spec.volumeName names, else one pre-bound to it by
 * claimRef, else the smallest available volume that satisfies it.
 */
export function findMatchingVolume(pvc: PersistentVolumeClaim, volumes: readonly PersistentVolume[]): PersistentVolume | undefined {
  if (pvc.spec?.volumeName) {
    const pv = volumes.find((v) => v.metadata.name === pvc.spec?.volumeName);
    return pv && (!pv.spec?.claimRef || claimRefMatches(pv, pvc)) ? pv : undefined;
  }
  const prebound = volumes.find((v) => claimRefMatches(v, pvc) && volumeSatisfies(v, pvc));
  if (prebound) return prebound;
  const size = (v: PersistentVolume) => parseQuantity(v.spec?.capacity?.['storage']) ?? 0;
  return volumes.filter((v) => !v.spec?.claimRef && volumeSatisfies(v, pvc)).sort((a, b) => size(a) - size(b))[0];
}

/** The claim names a pod's volumes refer to. */
export function podClaimNames(pod: Pod): string[] {
  return (pod.spec?.volumes ?? []).flatMap((v) => (v.persistentVolumeClaim?.claimName ? [v.persistentVolumeClaim.claimName] : []));
}

/**
 * Whether a pod holds its volumes for pvc-protection (upstream pvc_protection_controller podUsesPVC):
 * only a pod bound to a node (the kubelet refuses to start one whose claim is being deleted) and not
 * finished. A Pending, unscheduled pod does not, or deleting its claim would wait on the scheduler.
 */
export function podUsesVolumes(pod: Pod): boolean {
  if (!pod.spec?.nodeName) return false;
  return pod.status?.phase !== 'Succeeded' && pod.status?.phase !== 'Failed';
}
