/** StatefulSet status (updateStatefulSetStatus with completeRollingUpdate). */
import type { StatefulSet } from '../../api/kinds/statefulset.js';
import type { Pod } from '../../api/kinds/pod.js';
import { semanticEqual } from '../../api/kinds/apps-common.js';
import { isPodAvailable } from '../util/pods.js';
import { revisionOf } from './identity.js';
import { runningAndReady } from './control.js';

type Status = NonNullable<StatefulSet['status']>;

/** The status for the set's pods at the given revisions. */
export function computeStatus(s: StatefulSet, pods: Pod[], currentRevision: string, updateRevision: string, collisionCount: number, now: number): Status {
  const st: Status = { replicas: 0, readyReplicas: 0, currentReplicas: 0, updatedReplicas: 0, availableReplicas: 0 };
  const minReady = s.spec?.minReadySeconds ?? 0;
  for (const p of pods) {
    st.replicas++;
    if (runningAndReady(p)) {
      st.readyReplicas!++;
      if (isPodAvailable(p, minReady, now)) st.availableReplicas!++;
    }
    if (p.metadata.deletionTimestamp) continue;
    if (revisionOf(p) === currentRevision) st.currentReplicas!++;
    if (revisionOf(p) === updateRevision) st.updatedReplicas!++;
  }
  st.currentRevision = currentRevision;
  st.updateRevision = updateRevision;
  st.collisionCount = collisionCount;
  if (s.metadata.generation) st.observedGeneration = s.metadata.generation;
  if (s.status?.conditions?.length) st.conditions = s.status.conditions;
  // completeRollingUpdate: once every replica is updated and ready the update becomes current.
  const want = s.spec?.replicas ?? 1;
  if (s.spec?.updateStrategy?.type === 'RollingUpdate' && st.updatedReplicas === want && st.readyReplicas === want && st.replicas === want) {
    st.currentReplicas = st.updatedReplicas;
    st.currentRevision = updateRevision;
  }
  // readyReplicas, currentReplicas and updatedReplicas are omitempty in apps/v1 (availableReplicas is not).
  for (const k of ['readyReplicas', 'currentReplicas', 'updatedReplicas'] as const) if (!st[k]) delete st[k];
  return st;
}

/** Whether the status differs from the stored one. */
export function statusChanged(old: Status | undefined, next: Status): boolean {
  return !semanticEqual(old ?? {}, next);
}
