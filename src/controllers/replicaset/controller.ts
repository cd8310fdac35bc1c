/**
 * The ReplicaSet controller: keeps spec.replicas active pods matching the selector, adopting
 * orphans and releasing pods that no longer match, and reports status.
 */
import type { ReplicaSet } from '../../api/kinds/replicaset.js';
import type { Pod } from '../../api/kinds/pod.js';
import type { Client } from '../../client/client.js';
import { keyOf, splitKey } from '../../client/informer.js';
import { WorkQueue } from '../../client/workqueue.js';
import { EventRecorder } from '../events.js';
import type { ControllerContext } from '../context.js';
import { PodIndex } from './pod-index.js';
import { availableIn, controllerOf, controllerRef, isActive, isTerminating, podFromTemplate, podsToDelete } from '../util/pods.js';
import { calculateStatus, selects, statusChanged } from './status.js';
import { errorText, namespaceTerminating } from '../util/errors.js';

const RS = { resource: 'replicasets', group: 'apps' };
const PODS = { resource: 'pods' };
const BURST = 500;

/** A running ReplicaSet controller. */
export interface ReplicaSetController { stop(): void; queue: WorkQueue; recorder: EventRecorder }

/** Starts the controller. */
export function startReplicaSetController(client: Client, ctx: ControllerContext): ReplicaSetController {
  const { view } = ctx;
  const recorder = new EventRecorder(client, 'replicaset-controller');
  const queue: WorkQueue = new WorkQueue((key) => reconcile(key), 4);
  const later = ctx.batcher.batched(queue);
  const enqueuePodOwner = (p: Pod) => {
    const ref = controllerOf(p);
    if (ref?.kind === 'ReplicaSet') later(`${p.metadata.namespace}/${ref.name}`);
    else if (!ref) {
      for (const rs of view.replicaSets.list(p.metadata.namespace ?? '')) if (selects(rs, p)) later(keyOf(rs));
    }
  };
  const pods = new PodIndex(view, (prev, next) => {
    if (prev) enqueuePodOwner(prev);
    if (next && (!prev || controllerOf(prev)?.uid !== controllerOf(next)?.uid || JSON.stringify(prev.metadata.labels) !== JSON.stringify(next.metadata.labels))) enqueuePodOwner(next);
  });
  const offRS = view.replicaSets.subscribe({ add: (o) => queue.add(keyOf(o)), update: (_, o) => queue.add(keyOf(o)), delete: (o) => queue.add(keyOf(o)) });

  async function reconcile(key: string): Promise<void> {
    const [ns, name] = splitKey(key);
    const rs = view.replicaSets.get(ns, name); // shared: never mutated here
    if (!rs) return;
    const uid = rs.metadata.uid!;
    const deleting = !!rs.metadata.deletionTimestamp;
    const active: Pod[] = [];
    let terminating = 0;
    for (const p of pods.owned(uid)) {
      if (isTerminating(p) && selects(rs, p)) terminating++;
      if (!isActive(p)) continue;
      if (selects(rs, p)) active.push(p);
      else if (!deleting) await release(p, uid);
    }
    if (!deleting) {
      for (const p of pods.orphaned(ns)) if (isActive(p) && selects(rs, p) && await adopt(p, rs)) active.push(p);
    }
    let syncErr: unknown;
    if (!deleting) {
      try { await manageReplicas(rs, active); } catch (e) { syncErr = e; }
    }
    const now = Date.now();
    const status = calculateStatus(rs, active, terminating, syncErr, now);
    if (statusChanged(rs.status, status)) await client.update(RS, { ...rs, status }, 'status');
    if (syncErr !== undefined) throw syncErr;
    // Ready pods that are not yet available become so after minReadySeconds.
    const waits = active.map((p) => availableIn(p, rs.spec?.minReadySeconds ?? 0, now)).filter((ms) => ms > 0);
    if (waits.length) queue.addAfter(key, Math.min(...waits));
  }

  async function release(p: Pod, uid: string): Promise<void> {
    const fresh = client.get(PODS, p.metadata.namespace!, p.metadata.name!);
    if (!fresh || fresh.metadata.uid !== p.metadata.uid) return;
    fresh.metadata.ownerReferences = (fresh.metadata.ownerReferences ?? []).filter((r) => r.uid !== uid);
    if (fresh.metadata.ownerReferences.length === 0) delete fresh.metadata.ownerReferences;
    await client.update(PODS, fresh);
  }

  async function adopt(p: Pod, rs: ReplicaSet): Promise<boolean> {
    const fresh = client.get(PODS, p.metadata.namespace!, p.metadata.name!);
    if (!fresh || fresh.metadata.uid !== p.metadata.uid || fresh.metadata.deletionTimestamp || controllerOf(fresh)) return false;
    fresh.metadata.ownerReferences = [...(fresh.metadata.ownerReferences ?? []), controllerRef(rs)];
    await client.update(PODS, fresh);
    return true;
  }

  async function manageReplicas(rs: ReplicaSet, active: Pod[]): Promise<void> {
    const want = rs.spec?.replicas ?? 1;
    const diff = active.length - want;
    if (diff < 0) {
      let left = Math.min(-diff, BURST);
      // Slow start: batches of 1, 2, 4, … stop at the first batch with a failure.
      for (let batch = 1; left > 0; batch *= 2) {
        const n = Math.min(batch, left);
        left -= n;
        const results = await Promise.allSettled(Array.from({ length: n }, () => createPod(rs)));
        const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
        if (failed) throw failed.reason;
      }
    } else if (diff > 0) {
      const related = relatedPods(rs);
      const victims = podsToDelete(active, related, Math.min(diff, BURST));
      const results = await Promise.allSettled(victims.map((p) => deletePod(rs, p)));
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
    }
  }

  async function createPod(rs: ReplicaSet): Promise<void> {
    try {
      const pod = await client.create(PODS, podFromTemplate(rs.spec?.template ?? {}, rs));
      recorder.event(rs, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`);
    } catch (e) {
      // A terminating namespace refuses every create: nothing to do, no event (replica_set.go manageReplicas).
      if (namespaceTerminating(e)) return;
      recorder.event(rs, 'Warning', 'FailedCreate', `Error creating: ${errorText(e)}`);
      throw e;
    }
  }

  async function deletePod(rs: ReplicaSet, p: Pod): Promise<void> {
    try {
      await client.delete(PODS, p.metadata.namespace!, p.metadata.name!, { preconditions: { uid: p.metadata.uid } });
      recorder.event(rs, 'Normal', 'SuccessfulDelete', `Deleted pod: ${p.metadata.name}`);
    } catch (e) {
      recorder.event(rs, 'Warning', 'FailedDelete', `Error deleting: ${errorText(e)}`);
      throw e;
    }
  }

  /** Active pods of the ReplicaSets that share this one's controller (getIndirectlyRelatedPods). */
  function relatedPods(rs: ReplicaSet): Pod[] {
    const owner = controllerOf(rs);
    if (!owner) return pods.owned(rs.metadata.uid!);
    const siblings = view.replicaSets.list(rs.metadata.namespace ?? '').filter((x) => controllerOf(x)?.uid === owner.uid);
    return siblings.flatMap((x) => pods.owned(x.metadata.uid!));
  }

  return { stop: () => { offRS(); pods.stop(); queue.stop(); }, queue, recorder };
}
