/**
 * The VolumeBinding plugin's part the scheduler needs: claims a pod refers to must exist; unbound
 * claims of an Immediate class make the pod wait; unbound WaitForFirstConsumer claims get the chosen
 * node (`volume.kubernetes.io/selected-node`) and the pod is bound once they are; a bound volume's
 * node affinity filters nodes.
 */
import type { Pod } from '../../api/kinds/pod.js';
import type { PersistentVolume } from '../../api/kinds/pv.js';
import type { PersistentVolumeClaim } from '../../api/kinds/pvc.js';
import type { StorageClass } from '../../api/kinds/storageclass.js';
import { claimClass } from '../../api/kinds/storage-common.js';
import { termMatches, type SchedNode, type Term } from './filters.js';

/** The filter reason of a node the pod's bound volumes cannot be used from. */
export const REASON_VOLUME_AFFINITY = 'node(s) had volume node affinity conflict';

/** What the pod's claims require: a PreFilter rejection, or the claims to wait for and the volumes' node terms. */
export type VolumeCheck = { error: string } | { waitFor: PersistentVolumeClaim[]; nodeTerms: Term[][] };

/** Lookups the check reads (the scheduler's informers). */
export interface VolumeLookup {
  claim(ns: string, name: string): PersistentVolumeClaim | undefined;
  volume(name: string): PersistentVolume | undefined;
  storageClass(name: string): StorageClass | undefined;
}

/** Checks a pod's persistentVolumeClaim volumes (VolumeBinding PreFilter, upstream messages). */
export function checkPodVolumes(pod: Pod, lookup: VolumeLookup): VolumeCheck {
  const ns = pod.metadata.namespace ?? '';
  const waitFor: PersistentVolumeClaim[] = [];
  const nodeTerms: Term[][] = [];
  let unboundImmediate = false;
  for (const v of pod.spec?.volumes ?? []) {
    const name = v.persistentVolumeClaim?.claimName;
    if (!name) continue;
    const pvc = lookup.claim(ns, name);
    if (!pvc) return { error: `persistentvolumeclaim "${name}" not found` };
    if (pvc.metadata.deletionTimestamp) return { error: `persistentvolumeclaim "${name}" is being deleted` };
    if (pvc.spec?.volumeName) {
      const terms = lookup.volume(pvc.spec.volumeName)?.spec?.nodeAffinity?.required?.nodeSelectorTerms;
      if (terms?.length) nodeTerms.push(terms as Term[]);
      continue;
    }
    const cls = claimClass(pvc);
    if (cls && lookup.storageClass(cls)?.volumeBindingMode === 'WaitForFirstConsumer') waitFor.push(pvc);
    else unboundImmediate = true;
  }
  if (unboundImmediate) return { error: 'pod has unbound immediate PersistentVolumeClaims' };
  return { waitFor, nodeTerms };
}

/** The filter reason when a node is outside a bound volume's node affinity. */
export function volumeNodeConflict(check: VolumeCheck, n: SchedNode): string | undefined {
  if ('error' in check) return undefined;
  return check.nodeTerms.every((terms) => terms.some((t) => termMatches(t, n))) ? undefined : REASON_VOLUME_AFFINITY;
}
