/**
 * The Deployment controller: owns ReplicaSets by selector, rolls the pod template out through a
 * new ReplicaSet per template (RollingUpdate or Recreate), scales, cleans up history, reports status.
 */
import type { Deployment } from '../../api/kinds/deployment.js';
import type { ReplicaSet } from '../../api/kinds/replicaset.js';
import type { Pod } from '../../api/kinds/pod.js';
import type { KObject } from '../../api/meta.js';
import type { Client } from '../../client/client.js';
import { selectorMatches } from '../../api/labels.js';
import { clone } from '../../apiserver/storage/meta.js';
import { keyOf, splitKey } from '../../client/informer.js';
import { WorkQueue } from '../../client/workqueue.js';
import { EventRecorder } from '../events.js';
import type { ControllerContext } from '../context.js';
import { PODS_BY_CONTROLLER, controllerUID } from '../replicaset/pod-index.js';
import { controllerOf, controllerRef } from '../util/pods.js';
import { DEPLOY, RS, getCondition, newCondition, setCondition, updateStatus, type SyncContext } from './context.js';
import { newAndOld } from './replicasets.js';
import { isScalingEvent, rolloutRecreate, rolloutRolling, sync } from './rollout.js';
import { syncStatus } from './status.js';

/** A running Deployment controller. */
export interface DeploymentController { stop(): void; queue: WorkQueue; recorder: EventRecorder }

/** Starts the controller. */
export function startDeploymentController(client: Client, cluster: ControllerContext): DeploymentController {
  const { view } = cluster;
  const recorder = new EventRecorder(client, 'deployment-controller');
  const queue: WorkQueue = new WorkQueue((key) => reconcile(key), 4);
  const ctx: Omit<SyncContext, 'requeueAfter'> = { client, recorder, now: () => new Date() };
  const enqueue = (o: KObject) => queue.add(keyOf(o));
  const later = cluster.batcher.batched(queue);
  const enqueueOwner = (rs: KObject) => {
    const ref = controllerOf(rs);
    if (ref?.kind === 'Deployment') later(`${rs.metadata.namespace}/${ref.name}`);
    else if (!ref) {
      for (const d of view.deployments.list(rs.metadata.namespace ?? '')) {
        if (selectorMatches(d.spec?.selector, rs.metadata.labels ?? {})) later(keyOf(d));
      }
    }
  };
  view.pods.addIndexers({ [PODS_BY_CONTROLLER]: controllerUID });
  const offs = [
    view.deployments.subscribe({ add: enqueue, update: (_, d) => enqueue(d), delete: enqueue }),
    view.replicaSets.subscribe({ add: enqueueOwner, update: (_, rs) => enqueueOwner(rs), delete: enqueueOwner }),
  ];
  // Recreate waits for old pods to disappear.
  offs.push(view.pods.subscribe({
    delete: (p) => {
      const ref = controllerOf(p);
      const rs = ref?.kind === 'ReplicaSet' ? view.replicaSets.get(p.metadata.namespace!, ref.name) : undefined;
      if (rs && controllerOf(rs)?.kind === 'Deployment') enqueueOwner(rs);
    },
  }));

  async function reconcile(key: string): Promise<void> {
    const [ns, name] = splitKey(key);
    const d = client.get(DEPLOY, ns, name) as Deployment | undefined;
    if (!d) return;
    const sc: SyncContext = { ...ctx, requeueAfter: (ms) => queue.addAfter(key, ms) };
    const list = await claimReplicaSets(d);
    if (d.metadata.deletionTimestamp) {
      const { newRS, oldRSs } = await newAndOld(sc, d, list, false);
      return syncStatus(sc, newRS ? [...oldRSs, newRS] : oldRSs, newRS, d);
    }
    await checkPausedConditions(sc, d);
    if (d.spec?.paused || await isScalingEvent(sc, d, list)) return sync(sc, d, list);
    if (d.spec?.strategy?.type === 'Recreate') return rolloutRecreate(sc, d, list, (rs) => podsOf(rs));
    return rolloutRolling(sc, d, list);
  }

  /** ClaimReplicaSets: adopts matching orphans, releases owned ones that stopped matching. */
  async function claimReplicaSets(d: Deployment): Promise<ReplicaSet[]> {
    const out: ReplicaSet[] = [];
    const deleting = !!d.metadata.deletionTimestamp;
    for (const shared of client.list(RS, d.metadata.namespace) as ReplicaSet[]) {
      const ref = controllerOf(shared);
      if (ref && ref.uid !== d.metadata.uid) continue;
      const matches = selectorMatches(d.spec?.selector, shared.metadata.labels ?? {});
      if (!ref && !matches) continue;
      const rs = clone(shared);
      if (ref) {
        if (matches || deleting) { out.push(rs); continue; }
        rs.metadata.ownerReferences = rs.metadata.ownerReferences!.filter((r) => r.uid !== d.metadata.uid);
        if (rs.metadata.ownerReferences.length === 0) delete rs.metadata.ownerReferences;
        await client.update(RS, rs);
        continue;
      }
      if (!matches || deleting || rs.metadata.deletionTimestamp) continue;
      rs.metadata.ownerReferences = [...(rs.metadata.ownerReferences ?? []), controllerRef(d)];
      out.push(clone(await client.update(RS, rs)) as ReplicaSet);
    }
    return out;
  }

  function podsOf(rs: ReplicaSet): Pod[] {
    return view.pods.byIndex(PODS_BY_CONTROLLER, rs.metadata.uid ?? '').filter((p) => p.metadata.namespace === rs.metadata.namespace);
  }

  return { stop: () => { for (const off of offs) off(); queue.stop(); }, queue, recorder };
}

/** checkPausedConditions: Progressing Unknown with DeploymentPaused / DeploymentResumed. */
async function checkPausedConditions(ctx: SyncContext, d: Deployment): Promise<void> {
  if (d.spec?.progressDeadlineSeconds === undefined) return;
  const cond = getCondition(d.status, 'Progressing');
  if (cond?.reason === 'ProgressDeadlineExceeded') return;
  const pausedCond = cond?.reason === 'DeploymentPaused';
  const st = clone(d.status ?? {});
  if (d.spec.paused && !pausedCond) setCondition(st, newCondition(ctx, 'Progressing', 'Unknown', 'DeploymentPaused', 'Deployment is paused'));
  else if (!d.spec.paused && pausedCond) setCondition(st, newCondition(ctx, 'Progressing', 'Unknown', 'DeploymentResumed', 'Deployment is resumed'));
  else return;
  await updateStatus(ctx, d, st);
}
