/** The deployment controller's ReplicaSet operations: find or create the new one, scale, clean up. */
import type { Deployment } from '../../api/kinds/deployment.js';
import type { ReplicaSet } from '../../api/kinds/replicaset.js';
import { StatusError } from '../../api/errors.js';
import { clone } from '../../apiserver/storage/meta.js';
import { controllerOf, controllerRef } from '../util/pods.js';
import { DEPLOY, RS, getCondition, newCondition, setCondition, updateMeta, updateRS, updateStatus, type SyncContext } from './context.js';
import {
  HASH_LABEL, REVISION, computeHash, equalIgnoreHash, findNewRS, maxSurge, revisionOf, setNewRSAnnotations, setReplicasAnnotations, specReplicas,
} from './util.js';

const replicas = (d: Deployment) => d.spec?.replicas ?? 1;

/** Sets the deployment's revision annotation; true when it changed (SetDeploymentRevision). */
function setDeploymentRevision(d: Deployment, revision: string): boolean {
  const a = (d.metadata.annotations ??= {});
  if (a[REVISION] === revision) return false;
  a[REVISION] = revision;
  return true;
}

/** NewRSNewReplicas: how big the new ReplicaSet may be now. */
export function newRSNewReplicas(d: Deployment, all: ReplicaSet[], newRS: ReplicaSet): number {
  const cur = newRS.spec?.replicas ?? 0;
  if (d.spec?.strategy?.type === 'Recreate') return replicas(d);
  const maxTotal = replicas(d) + maxSurge(d);
  const current = specReplicas(all);
  if (current >= maxTotal) return cur;
  return cur + Math.min(maxTotal - current, replicas(d) - cur);
}

/** getAllReplicaSetsAndSyncRevision: the new ReplicaSet (created when asked) and the old ones. */
export async function newAndOld(ctx: SyncContext, d: Deployment, list: ReplicaSet[], create: boolean): Promise<{ newRS?: ReplicaSet; oldRSs: ReplicaSet[] }> {
  const existing = findNewRS(d, list);
  const oldRSs = list.filter((rs) => rs !== existing);
  const newRevision = Math.max(0, ...oldRSs.map(revisionOf)) + 1;
  if (existing) {
    const annChanged = setNewRSAnnotations(d, existing, newRevision, true);
    const minReady = d.spec?.minReadySeconds ?? 0;
    const mrsChanged = (existing.spec?.minReadySeconds ?? 0) !== minReady;
    if (annChanged || mrsChanged) {
      (existing.spec ??= {}).minReadySeconds = minReady;
      await updateRS(ctx, existing);
    }
    const revChanged = setDeploymentRevision(d, existing.metadata.annotations?.[REVISION] ?? '');
    if (revChanged) await updateMeta(ctx, d);
    if (!getCondition(d.status, 'Progressing')) {
      const st = clone(d.status ?? {});
      setCondition(st, newCondition(ctx, 'Progressing', 'True', 'FoundNewReplicaSet', `Found new replica set "${existing.metadata.name}"`));
      await updateStatus(ctx, d, st);
    }
    return { newRS: existing, oldRSs };
  }
  if (!create) return { oldRSs };
  const tpl = clone(d.spec?.template ?? {});
  const hash = computeHash(tpl, d.status?.collisionCount);
  const labels = { ...(tpl.metadata?.labels ?? {}), [HASH_LABEL]: hash };
  tpl.metadata = { ...(tpl.metadata ?? {}), labels };
  const sel = clone(d.spec?.selector ?? {});
  sel.matchLabels = { ...(sel.matchLabels ?? {}), [HASH_LABEL]: hash };
  const rs: ReplicaSet = {
    apiVersion: 'apps/v1', kind: 'ReplicaSet',
    metadata: { name: `${d.metadata.name}-${hash}`, namespace: d.metadata.namespace, labels: { ...labels }, ownerReferences: [controllerRef(d)] },
    spec: { replicas: 0, minReadySeconds: d.spec?.minReadySeconds ?? 0, selector: sel, template: tpl },
  };
  rs.spec!.replicas = newRSNewReplicas(d, [...oldRSs, rs], rs);
  setNewRSAnnotations(d, rs, newRevision, false);
  let created: ReplicaSet;
  try {
    created = clone(await ctx.client.create(RS, rs)) as ReplicaSet;
  } catch (e) {
    if (e instanceof StatusError && e.status.reason === 'AlreadyExists') {
      const other = ctx.client.get(RS, d.metadata.namespace!, rs.metadata.name!) as ReplicaSet | undefined;
      if (other && controllerOf(other)?.uid === d.metadata.uid && equalIgnoreHash(other.spec?.template, d.spec?.template)) {
        return { newRS: other, oldRSs };
      }
      // A hash collision: bump collisionCount so the next attempt uses another name.
      await updateStatus(ctx, d, { ...clone(d.status ?? {}), collisionCount: (d.status?.collisionCount ?? 0) + 1 });
      throw e;
    }
    const msg = `Failed to create new replica set "${rs.metadata.name}": ${e instanceof Error ? e.message : String(e)}`;
    const st = clone(d.status ?? {});
    setCondition(st, newCondition(ctx, 'Progressing', 'False', 'ReplicaSetCreateError', msg));
    await updateStatus(ctx, d, st);
    ctx.recorder.event(d, 'Warning', 'FailedCreate', msg);
    throw e;
  }
  const n = created.spec?.replicas ?? 0;
  if (n > 0) ctx.recorder.event(d, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${created.metadata.name} from 0 to ${n}`);
  if (setDeploymentRevision(d, String(newRevision))) await updateMeta(ctx, d);
  const st = clone(d.status ?? {});
  setCondition(st, newCondition(ctx, 'Progressing', 'True', 'NewReplicaSetCreated', `Created new replica set "${created.metadata.name}"`));
  await updateStatus(ctx, d, st);
  return { newRS: created, oldRSs };
}

/** scaleReplicaSetAndRecordEvent / scaleReplicaSet: resizes and refreshes the replica annotations. */
export async function scaleRS(ctx: SyncContext, rs: ReplicaSet, n: number, d: Deployment, force = false): Promise<boolean> {
  const old = rs.spec?.replicas ?? 0;
  if (!force && old === n) return false;
  const sizeChanged = old !== n;
  const annChanged = setReplicasAnnotations(rs, replicas(d), replicas(d) + maxSurge(d));
  if (!sizeChanged && !annChanged) return false;
  (rs.spec ??= {}).replicas = n;
  await updateRS(ctx, rs);
  if (sizeChanged) ctx.recorder.event(d, 'Normal', 'ScalingReplicaSet', `Scaled ${old < n ? 'up' : 'down'} replica set ${rs.metadata.name} from ${old} to ${n}`);
  return sizeChanged;
}

/** cleanupDeployment: deletes the oldest unused ReplicaSets beyond revisionHistoryLimit. */
export async function cleanup(ctx: SyncContext, oldRSs: ReplicaSet[], d: Deployment): Promise<void> {
  const limit = d.spec?.revisionHistoryLimit;
  if (limit === undefined) return;
  const alive = oldRSs.filter((rs) => !rs.metadata.deletionTimestamp);
  const diff = alive.length - limit;
  if (diff <= 0) return;
  alive.sort((a, b) => revisionOf(a) - revisionOf(b) || (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? ''));
  for (const rs of alive.slice(0, diff)) {
    if ((rs.status?.replicas ?? 0) !== 0 || (rs.spec?.replicas ?? 0) !== 0 || (rs.metadata.generation ?? 0) > (rs.status?.observedGeneration ?? 0)) continue;
    await ctx.client.delete(RS, rs.metadata.namespace!, rs.metadata.name!);
  }
}

export { DEPLOY };
