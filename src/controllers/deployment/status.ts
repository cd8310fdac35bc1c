/** Deployment status: counts, the Available and Progressing conditions, and the progress deadline. */
import type { Deployment } from '../../api/kinds/deployment.js';
import type { ReplicaSet } from '../../api/kinds/replicaset.js';
import { clone } from '../../apiserver/storage/meta.js';
import { semanticEqual } from '../../api/kinds/apps-common.js';
import { getCondition, newCondition, removeCondition, setCondition, updateStatus, type DeploymentStatus, type SyncContext } from './context.js';
import { actualReplicas, availableReplicas, maxUnavailable, readyReplicas, specReplicas, terminatingReplicas } from './util.js';

const replicas = (d: Deployment) => d.spec?.replicas ?? 1;
const hasDeadline = (d: Deployment) => d.spec?.progressDeadlineSeconds !== undefined && d.spec.progressDeadlineSeconds !== 2147483647;

/** calculateStatus. */
export function calculateStatus(ctx: SyncContext, all: ReplicaSet[], newRS: ReplicaSet | undefined, d: Deployment): DeploymentStatus {
  const available = availableReplicas(all);
  const st: DeploymentStatus = {};
  const set = (k: 'observedGeneration' | 'replicas' | 'updatedReplicas' | 'readyReplicas' | 'availableReplicas' | 'unavailableReplicas', v: number) => { if (v) st[k] = v; };
  set('observedGeneration', d.metadata.generation ?? 0);
  set('replicas', actualReplicas(all));
  set('updatedReplicas', newRS ? actualReplicas([newRS]) : 0);
  set('readyReplicas', readyReplicas(all));
  set('availableReplicas', available);
  set('unavailableReplicas', Math.max(0, specReplicas(all) - available));
  const term = terminatingReplicas(all);
  if (term !== undefined) st.terminatingReplicas = term;
  if (d.status?.collisionCount !== undefined) st.collisionCount = d.status.collisionCount;
  if (d.status?.conditions) st.conditions = clone(d.status.conditions);
  if (available >= replicas(d) - maxUnavailable(d)) {
    setCondition(st, newCondition(ctx, 'Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.'));
  } else {
    setCondition(st, newCondition(ctx, 'Available', 'False', 'MinimumReplicasUnavailable', 'Deployment does not have minimum availability.'));
  }
  return st;
}

/** DeploymentComplete. */
export function isComplete(d: Deployment, st: DeploymentStatus): boolean {
  const n = replicas(d);
  return (st.updatedReplicas ?? 0) === n && (st.replicas ?? 0) === n && (st.availableReplicas ?? 0) === n && (st.observedGeneration ?? 0) >= (d.metadata.generation ?? 0);
}

function isProgressing(d: Deployment, st: DeploymentStatus): boolean {
  const old = d.status ?? {};
  const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
  const newOld = (st.replicas ?? 0) - (st.updatedReplicas ?? 0);
  return (st.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) || newOld < oldOld || (st.readyReplicas ?? 0) > (old.readyReplicas ?? 0) ||
    (st.availableReplicas ?? 0) > (old.availableReplicas ?? 0);
}

function timedOut(ctx: SyncContext, d: Deployment, st: DeploymentStatus): boolean {
  if (!hasDeadline(d)) return false;
  const c = getCondition(st, 'Progressing');
  if (!c || c.reason === 'NewReplicaSetAvailable') return false;
  if (c.reason === 'ProgressDeadlineExceeded') return true;
  return Date.parse(c.lastUpdateTime ?? '') + (d.spec?.progressDeadlineSeconds ?? 0) * 1000 < ctx.now().getTime();
}

/** syncDeploymentStatus: writes the computed status when it changed. */
export async function syncStatus(ctx: SyncContext, all: ReplicaSet[], newRS: ReplicaSet | undefined, d: Deployment): Promise<void> {
  const st = calculateStatus(ctx, all, newRS, d);
  if (!semanticEqual(st, d.status ?? {})) await updateStatus(ctx, d, st);
}

/** syncRolloutStatus: also maintains Progressing (and ReplicaFailure) and watches the deadline. */
export async function syncRolloutStatus(ctx: SyncContext, all: ReplicaSet[], newRS: ReplicaSet | undefined, d: Deployment): Promise<void> {
  const st = calculateStatus(ctx, all, newRS, d);
  if (!hasDeadline(d)) removeCondition(st, 'Progressing');
  const cur = getCondition(d.status, 'Progressing');
  const completeAlready = st.replicas === st.updatedReplicas && cur?.reason === 'NewReplicaSetAvailable';
  const who = newRS ? `ReplicaSet "${newRS.metadata.name}"` : `Deployment "${d.metadata.name}"`;
  if (hasDeadline(d) && !completeAlready) {
    if (isComplete(d, st)) {
      setCondition(st, newCondition(ctx, 'Progressing', 'True', 'NewReplicaSetAvailable', `${who} has successfully progressed.`));
    } else if (isProgressing(d, st)) {
      const c = newCondition(ctx, 'Progressing', 'True', 'ReplicaSetUpdated', `${who} is progressing.`);
      if (cur?.status === 'True') c.lastTransitionTime = cur.lastTransitionTime;
      removeCondition(st, 'Progressing');
      setCondition(st, c);
    } else if (timedOut(ctx, d, st)) {
      setCondition(st, newCondition(ctx, 'Progressing', 'False', 'ProgressDeadlineExceeded', `${who} has timed out progressing.`));
    }
  }
  const failure = [...all, ...(newRS ? [newRS] : [])].flatMap((rs) => rs.status?.conditions ?? []).find((c) => c.type === 'ReplicaFailure' && c.status === 'True');
  if (failure) setCondition(st, { type: 'ReplicaFailure', status: failure.status, lastUpdateTime: failure.lastTransitionTime, lastTransitionTime: failure.lastTransitionTime, reason: failure.reason, message: failure.message });
  else removeCondition(st, 'ReplicaFailure');
  if (semanticEqual(st, d.status ?? {})) {
    requeueStuck(ctx, d, st);
    return;
  }
  await updateStatus(ctx, d, st);
}

/** requeueStuckDeployment: looks again when the progress deadline would pass. */
function requeueStuck(ctx: SyncContext, d: Deployment, st: DeploymentStatus): void {
  const c = getCondition(st, 'Progressing');
  if (!hasDeadline(d) || !c || c.reason === 'NewReplicaSetAvailable' || c.reason === 'ProgressDeadlineExceeded' || isComplete(d, st)) return;
  const after = Date.parse(c.lastUpdateTime ?? '') + (d.spec?.progressDeadlineSeconds ?? 0) * 1000 - ctx.now().getTime();
  ctx.requeueAfter(after < 1000 ? 0 : after + 1000);
}
