/**
 * The StatefulSet controller: pods `<set>-<ordinal>` with stable hostnames, claims from
 * volumeClaimTemplates, ordered or parallel scaling, partitioned rolling updates through
 * ControllerRevisions, and status.
 */
import type { StatefulSet } from '../../api/kinds/statefulset.js';
import type { Pod } from '../../api/kinds/pod.js';
import type { ControllerRevision } from '../../api/kinds/controllerrevision.js';
import type { KObject } from '../../api/meta.js';
import { StatusError } from '../../api/errors.js';
import type { Client } from '../../client/client.js';
import { keyOf, splitKey } from '../../client/informer.js';
import { WorkQueue } from '../../client/workqueue.js';
import { selectorMatches } from '../../api/labels.js';
import { EventRecorder } from '../events.js';
import type { ControllerContext } from '../context.js';
import { PodIndex } from '../replicaset/pod-index.js';
import { availableIn, controllerOf, controllerRef } from '../util/pods.js';
import { errorText, namespaceTerminating } from '../util/errors.js';
import { syncRevision, templateOf, truncateHistory } from '../history/revisions.js';
import { claimsFor, ordinalOf, revisionOf } from './identity.js';
import { syncPods, type Revision, type SetOps } from './control.js';
import { computeStatus, statusChanged } from './status.js';

const STS = { resource: 'statefulsets', group: 'apps' };
const PODS = { resource: 'pods' };
const PVCS = { resource: 'persistentvolumeclaims' };

/** A running StatefulSet controller. */
export interface StatefulSetController { stop(): void; queue: WorkQueue; recorder: EventRecorder }

/** Starts the controller. */
export function startStatefulSetController(client: Client, ctx: ControllerContext): StatefulSetController {
  const { view } = ctx;
  const recorder = new EventRecorder(client, 'statefulset-controller');
  const queue: WorkQueue = new WorkQueue((key) => reconcile(key), 4);
  const later = ctx.batcher.batched(queue);
  const enqueuePod = (p: Pod | undefined) => {
    if (!p) return;
    const ref = controllerOf(p);
    if (ref?.kind === 'StatefulSet') later(`${p.metadata.namespace}/${ref.name}`);
    else if (!ref) for (const s of view.statefulSets.list(p.metadata.namespace ?? '')) if (selectorMatches(s.spec?.selector, p.metadata.labels ?? {})) later(keyOf(s));
  };
  const pods = new PodIndex(view, (prev, next) => { enqueuePod(prev); enqueuePod(next); });
  const offSets = view.statefulSets.subscribe({ add: (o) => queue.add(keyOf(o)), update: (_, o) => queue.add(keyOf(o)), delete: (o) => queue.add(keyOf(o)) });

  async function reconcile(key: string): Promise<void> {
    const [ns, name] = splitKey(key);
    const s = view.statefulSets.get(ns, name); // shared: never mutated here
    if (!s || s.metadata.deletionTimestamp) return;
    const members = await claimPods(s);
    const { update, collisionCount, revisions } = await syncRevision(client, view, s, s.spec?.template, s.status?.collisionCount ?? 0,
      () => ({ ...s.spec?.template?.metadata?.labels }));
    const currentRev = revisions.find((r) => r.metadata.name === s.status?.currentRevision) ?? update;
    const rev = (r: ControllerRevision): Revision => ({ name: r.metadata.name ?? '', template: templateOf(r) });
    const now = Date.now();
    let syncErr: unknown;
    try {
      await syncPods(ops(s), s, members, rev(currentRev), rev(update), now);
    } catch (e) { syncErr = e; }
    const after = pods.owned(s.metadata.uid ?? '').filter((p) => ordinalOf(s, p) >= 0);
    const status = computeStatus(s, after, currentRev.metadata.name ?? '', update.metadata.name ?? '', collisionCount, now);
    if (statusChanged(s.status, status)) {
      const fresh = client.get(STS, ns, name);
      if (fresh && fresh.metadata.uid === s.metadata.uid) await client.update(STS, { ...fresh, status } as KObject, 'status');
    }
    const live = new Set([status.currentRevision ?? '', status.updateRevision ?? '', ...after.map(revisionOf)]);
    await truncateHistory(client, revisions, live, s.spec?.revisionHistoryLimit ?? 10);
    if (syncErr !== undefined) throw syncErr;
    const waits = after.map((p) => availableIn(p, s.spec?.minReadySeconds ?? 0, now)).filter((ms) => ms > 0);
    if (waits.length) queue.addAfter(key, Math.min(...waits));
  }

  /** The set's members: owned pods named `<set>-<n>`, adopting matching orphans. */
  async function claimPods(s: StatefulSet): Promise<Pod[]> {
    const out = pods.owned(s.metadata.uid ?? '').filter((p) => ordinalOf(s, p) >= 0);
    for (const p of pods.orphaned(s.metadata.namespace ?? '')) {
      if (ordinalOf(s, p) < 0 || p.metadata.deletionTimestamp || !selectorMatches(s.spec?.selector, p.metadata.labels ?? {})) continue;
      const fresh = client.get(PODS, p.metadata.namespace!, p.metadata.name!) as Pod | undefined;
      if (!fresh || fresh.metadata.uid !== p.metadata.uid || controllerOf(fresh)) continue;
      fresh.metadata.ownerReferences = [...(fresh.metadata.ownerReferences ?? []), controllerRef(s)];
      out.push(await client.update(PODS, fresh) as Pod);
    }
    return out;
  }

  function ops(s: StatefulSet): SetOps {
    const setName = s.metadata.name;
    const set: SetOps = {
      createPod: async (pod, ord) => {
        await createClaims(s, ord, pod.metadata.name ?? '');
        try {
          await client.create(PODS, pod);
          recorder.event(s, 'Normal', 'SuccessfulCreate', `create Pod ${pod.metadata.name} in StatefulSet ${setName} successful`);
        } catch (e) {
          if (namespaceTerminating(e)) return;
          recorder.event(s, 'Warning', 'FailedCreate', `create Pod ${pod.metadata.name} in StatefulSet ${setName} failed error: ${errorText(e)}`);
          throw e;
        }
      },
      condemn: async (pod) => {
        if (s.spec?.persistentVolumeClaimRetentionPolicy?.whenScaled === 'Delete') await ownClaimsByPod(s, pod);
        await set.deletePod(pod);
      },
      deletePod: async (pod) => {
        try {
          await client.delete(PODS, pod.metadata.namespace!, pod.metadata.name!, { preconditions: { uid: pod.metadata.uid } });
          recorder.event(s, 'Normal', 'SuccessfulDelete', `delete Pod ${pod.metadata.name} in StatefulSet ${setName} successful`);
        } catch (e) {
          if (e instanceof StatusError && e.code === 404) return;
          recorder.event(s, 'Warning', 'FailedDelete', `delete Pod ${pod.metadata.name} in StatefulSet ${setName} failed error: ${errorText(e)}`);
          throw e;
        }
      },
      updatePod: async (pod) => {
        await client.update(PODS, pod);
        recorder.event(s, 'Normal', 'SuccessfulUpdate', `update Pod ${pod.metadata.name} in StatefulSet ${setName} successful`);
      },
    };
    return set;
  }

  /** whenScaled=Delete: the condemned pod owns its claims, so the garbage collector removes them with it. */
  async function ownClaimsByPod(s: StatefulSet, pod: Pod): Promise<void> {
    const ord = ordinalOf(s, pod);
    for (const want of claimsFor(s, ord)) {
      const claim = client.get(PVCS, want.metadata.namespace ?? '', want.metadata.name ?? '');
      if (!claim || claim.metadata.ownerReferences?.some((r) => r.uid === pod.metadata.uid)) continue;
      claim.metadata.ownerReferences = [...(claim.metadata.ownerReferences ?? []), { ...controllerRef(pod), controller: false, blockOwnerDeletion: false }];
      await client.update(PVCS, claim);
    }
  }

  /** createPersistentVolumeClaims: the pod's missing claims; with whenDeleted=Delete the set owns them. */
  async function createClaims(s: StatefulSet, ord: number, podName: string): Promise<void> {
    for (const claim of claimsFor(s, ord)) {
      const cname = claim.metadata.name ?? '';
      if (client.peek(PVCS, claim.metadata.namespace ?? '', cname)) continue;
      if (s.spec?.persistentVolumeClaimRetentionPolicy?.whenDeleted === 'Delete') {
        claim.metadata.ownerReferences = [{ ...controllerRef(s), controller: false, blockOwnerDeletion: true }];
      }
      try {
        await client.create(PVCS, claim);
        recorder.event(s, 'Normal', 'SuccessfulCreate', `create Claim ${cname} Pod ${podName} in StatefulSet ${s.metadata.name} success`);
      } catch (e) {
        if (e instanceof StatusError && e.code === 409) continue;
        recorder.event(s, 'Warning', 'FailedCreate', `create Claim ${cname} for Pod ${podName} in StatefulSet ${s.metadata.name} failed error: ${errorText(e)}`);
        throw e;
      }
    }
  }

  return { stop: () => { offSets(); pods.stop(); queue.stop(); }, queue, recorder };
}
