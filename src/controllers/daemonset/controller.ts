/**
 * The DaemonSet controller: one pod per eligible node (bound through `metadata.name` node affinity
 * and placed by the scheduler, as upstream), rolling updates (maxUnavailable or maxSurge) or
 * OnDelete through ControllerRevisions, and status.
 */
import type { DaemonSet } from '../../api/kinds/daemonset.js';
import type { Pod } from '../../api/kinds/pod.js';
import type { KObject } from '../../api/meta.js';
import { StatusError } from '../../api/errors.js';
import { selectorMatches } from '../../api/labels.js';
import { semanticEqual } from '../../api/kinds/apps-common.js';
import type { Client } from '../../client/client.js';
import { keyOf, splitKey } from '../../client/informer.js';
import { WorkQueue } from '../../client/workqueue.js';
import { EventRecorder } from '../events.js';
import type { ControllerContext } from '../context.js';
import { PodIndex } from '../replicaset/pod-index.js';
import { availableIn, controllerOf, isPodAvailable, isPodReady } from '../util/pods.js';
import { errorText, namespaceTerminating } from '../util/errors.js';
import { REVISION_LABEL, syncRevision, truncateHistory } from '../history/revisions.js';
import type { SchedNode } from '../scheduler/filters.js';
import { newDaemonPod, shouldRun, targetNode } from './placement.js';
import { isUpdated, plan, type NodeState } from './rolling.js';

const DS = { resource: 'daemonsets', group: 'apps' };
const PODS = { resource: 'pods' };

/** A running DaemonSet controller. */
export interface DaemonSetController { stop(): void; queue: WorkQueue; recorder: EventRecorder }

/** Starts the controller. */
export function startDaemonSetController(client: Client, ctx: ControllerContext): DaemonSetController {
  const { view } = ctx;
  const recorder = new EventRecorder(client, 'daemonset-controller');
  const queue: WorkQueue = new WorkQueue((key) => reconcile(key), 4);
  const later = ctx.batcher.batched(queue);
  const enqueuePod = (p: Pod | undefined) => {
    const ref = p && controllerOf(p);
    if (ref?.kind === 'DaemonSet') later(`${p!.metadata.namespace}/${ref.name}`);
  };
  const pods = new PodIndex(view, (prev, next) => { enqueuePod(prev); enqueuePod(next); });
  const all = () => { for (const ds of view.daemonSets.list()) later(keyOf(ds)); };
  const offs = [
    view.daemonSets.subscribe({ add: (o) => queue.add(keyOf(o)), update: (_, o) => queue.add(keyOf(o)), delete: (o) => queue.add(keyOf(o)) }),
    view.nodes.subscribe({
      add: all, delete: all,
      update: (a, b) => { if (!semanticEqual(a.metadata.labels, b.metadata.labels) || !semanticEqual(a.spec, b.spec)) all(); },
    }),
  ];

  async function reconcile(key: string): Promise<void> {
    const [ns, name] = splitKey(key);
    const ds = view.daemonSets.get(ns, name); // shared: never mutated here
    if (!ds || ds.metadata.deletionTimestamp) return;
    const tplLabels = ds.spec?.template?.metadata?.labels ?? {};
    const { update, collisionCount, revisions } = await syncRevision(client, view, ds, ds.spec?.template, ds.status?.collisionCount ?? 0,
      (hash) => ({ ...tplLabels, [REVISION_LABEL]: hash }));
    const hash = update.metadata.labels?.[REVISION_LABEL] ?? '';
    const now = Date.now();
    let syncErr: unknown;
    try {
      const todo = plan(ds, nodeStates(ds), hash, now);
      const results = await Promise.allSettled([
        ...todo.create.map((node) => createPod(ds, node, hash)),
        ...todo.remove.map((p) => deletePod(ds, p)),
      ]);
      const bad = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (bad) syncErr = bad.reason;
    } catch (e) { syncErr = e; }
    const states = nodeStates(ds);
    await updateStatus(ds, states, hash, collisionCount, now);
    const live = new Set([update.metadata.name ?? '']);
    for (const r of revisions) if (states.some((n) => n.pods.some((p) => p.metadata.labels?.[REVISION_LABEL] === r.metadata.labels?.[REVISION_LABEL]))) live.add(r.metadata.name ?? '');
    await truncateHistory(client, revisions, live, ds.spec?.revisionHistoryLimit ?? 10);
    if (syncErr !== undefined) throw syncErr;
    const waits = states.flatMap((n) => n.pods).map((p) => availableIn(p, ds.spec?.minReadySeconds ?? 0, now)).filter((ms) => ms > 0);
    if (waits.length) queue.addAfter(key, Math.min(...waits));
  }

  /** Every node with its daemon pods (pods whose node is gone are left to the pod GC). */
  function nodeStates(ds: DaemonSet): NodeState[] {
    const byNode = new Map<string, Pod[]>();
    for (const p of pods.owned(ds.metadata.uid ?? '')) {
      if (!selectorMatches(ds.spec?.selector, p.metadata.labels ?? {})) continue;
      const node = targetNode(p);
      if (node) byNode.set(node, [...(byNode.get(node) ?? []), p]);
    }
    return view.nodes.list().map((n) => ({ node: n.metadata.name ?? '', ...shouldRun(ds, n as SchedNode), pods: byNode.get(n.metadata.name ?? '') ?? [] }));
  }

  async function updateStatus(ds: DaemonSet, states: NodeState[], hash: string, collisionCount: number, now: number): Promise<void> {
    const st = { desiredNumberScheduled: 0, currentNumberScheduled: 0, numberMisscheduled: 0, numberReady: 0, updatedNumberScheduled: 0, numberAvailable: 0 } as NonNullable<DaemonSet['status']>;
    const minReady = ds.spec?.minReadySeconds ?? 0;
    for (const n of states) {
      const scheduled = n.pods.filter((p) => p.spec?.nodeName);
      if (!n.run) {
        if (scheduled.length) st.numberMisscheduled++;
        continue;
      }
      st.desiredNumberScheduled++;
      if (!scheduled.length) continue;
      st.currentNumberScheduled++;
      const pod = [...scheduled].sort((a, b) => ((a.metadata.creationTimestamp ?? '') < (b.metadata.creationTimestamp ?? '') ? -1 : 1))[0]!;
      if (isPodReady(pod)) {
        st.numberReady++;
        if (isPodAvailable(pod, minReady, now)) st.numberAvailable!++;
      }
      if (scheduled.some((p) => isUpdated(p, hash) && !p.metadata.deletionTimestamp)) st.updatedNumberScheduled!++;
    }
    st.numberUnavailable = st.desiredNumberScheduled - st.numberAvailable!;
    if (ds.metadata.generation) st.observedGeneration = ds.metadata.generation;
    st.collisionCount = collisionCount;
    if (ds.status?.conditions?.length) st.conditions = ds.status.conditions;
    // updatedNumberScheduled, numberAvailable and numberUnavailable are omitempty in apps/v1.
    for (const k of ['updatedNumberScheduled', 'numberAvailable', 'numberUnavailable'] as const) if (!st[k]) delete st[k];
    if (semanticEqual(ds.status ?? {}, st)) return;
    const fresh = client.get(DS, ds.metadata.namespace ?? '', ds.metadata.name ?? '');
    if (fresh && fresh.metadata.uid === ds.metadata.uid) await client.update(DS, { ...fresh, status: st } as KObject, 'status');
  }

  async function createPod(ds: DaemonSet, node: string, hash: string): Promise<void> {
    try {
      const pod = await client.create(PODS, newDaemonPod(ds, node, hash));
      recorder.event(ds, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`);
    } catch (e) {
      if (namespaceTerminating(e)) return;
      recorder.event(ds, 'Warning', 'FailedCreate', `Error creating: ${errorText(e)}`);
      throw e;
    }
  }

  async function deletePod(ds: DaemonSet, p: Pod): Promise<void> {
    try {
      await client.delete(PODS, p.metadata.namespace!, p.metadata.name!, { preconditions: { uid: p.metadata.uid } });
      recorder.event(ds, 'Normal', 'SuccessfulDelete', `Deleted pod: ${p.metadata.name}`);
    } catch (e) {
      if (e instanceof StatusError && e.code === 404) return;
      recorder.event(ds, 'Warning', 'FailedDelete', `Error deleting: ${errorText(e)}`);
      throw e;
    }
  }

  return { stop: () => { for (const off of offs) off(); pods.stop(); queue.stop(); }, queue, recorder };
}
