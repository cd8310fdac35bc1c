/** ReplicaSet status computation (calculateStatus) and the check for whether it changed. */
import type { ReplicaSet } from '../../api/kinds/replicaset.js';
import type { Pod } from '../../api/kinds/pod.js';
import { selectorMatches } from '../../api/labels.js';
import { errorText } from '../util/errors.js';
import { rfc3339 } from '../../apiserver/storage/meta.js';
import { isPodAvailable, isPodReady } from '../util/pods.js';

type RSStatus = NonNullable<ReplicaSet['status']>;

/** The status for the active and terminating pods of a ReplicaSet, given the last sync error. */
export function calculateStatus(rs: ReplicaSet, active: Pod[], terminating: number, syncErr: unknown, now: number): RSStatus {
  const tplLabels = rs.spec?.template?.metadata?.labels ?? {};
  const minReady = rs.spec?.minReadySeconds ?? 0;
  let fully = 0, ready = 0, available = 0;
  for (const p of active) {
    if (Object.entries(tplLabels).every(([k, v]) => p.metadata.labels?.[k] === v)) fully++;
    if (isPodReady(p)) {
      ready++;
      if (isPodAvailable(p, minReady, now)) available++;
    }
  }
  let conditions = [...(rs.status?.conditions ?? [])];
  const failure = conditions.find((c) => c.type === 'ReplicaFailure');
  if (syncErr !== undefined && !failure) {
    const diff = active.length - (rs.spec?.replicas ?? 1);
    const reason = diff < 0 ? 'FailedCreate' : diff > 0 ? 'FailedDelete' : '';
    conditions.push({ type: 'ReplicaFailure', status: 'True', lastTransitionTime: rfc3339(new Date(now)), reason, message: errorText(syncErr) });
  } else if (syncErr === undefined && failure) {
    conditions = conditions.filter((c) => c.type !== 'ReplicaFailure');
  }
  const st: RSStatus = { replicas: active.length };
  if (fully) st.fullyLabeledReplicas = fully;
  if (ready) st.readyReplicas = ready;
  if (available) st.availableReplicas = available;
  st.terminatingReplicas = terminating;
  if (rs.metadata.generation) st.observedGeneration = rs.metadata.generation;
  if (conditions.length) st.conditions = conditions;
  return st;
}

/** Whether two statuses differ in any field. */
export function statusChanged(a: RSStatus | undefined, b: RSStatus): boolean {
  return JSON.stringify(a ?? {}) !== JSON.stringify(b) && !sameFields(a, b);
}

function sameFields(a: RSStatus | undefined, b: RSStatus): boolean {
  const keys: (keyof RSStatus)[] = ['replicas', 'fullyLabeledReplicas', 'readyReplicas', 'availableReplicas', 'terminatingReplicas', 'observedGeneration'];
  return !!a && keys.every((k) => (a[k] ?? 0) === (b[k] ?? 0)) && a.terminatingReplicas === b.terminatingReplicas &&
    JSON.stringify(a.conditions ?? []) === JSON.stringify(b.conditions ?? []);
}

/** Whether a selector (never empty for ReplicaSets) matches a pod. */
export function selects(rs: ReplicaSet, p: Pod): boolean {
  return selectorMatches(rs.spec?.selector, p.metadata.labels ?? {});
}
