/**
 * The disruption controller: keeps each PodDisruptionBudget's status (expected, healthy and desired
 * pods, allowed disruptions, the DisruptionAllowed condition) as its pods come and go; the
 * eviction subresource (src/apiserver/eviction.ts) spends the allowed disruptions.
 */
import type { PodDisruptionBudget } from '../../api/kinds/pdb.js';
import type { Pod } from '../../api/kinds/pod.js';
import type { Client } from '../../client/client.js';
import { keyOf, splitKey } from '../../client/informer.js';
import { SharedInformer } from '../../client/view.js';
import { WorkQueue } from '../../client/workqueue.js';
import { EventRecorder } from '../events.js';
import type { ControllerContext } from '../context.js';
import { controllerOf } from '../util/pods.js';
import { budgetStatus, DISRUPTED_POD_TIMEOUT_MS, podsOfBudget } from './status.js';

const PDB = { resource: 'poddisruptionbudgets', group: 'policy' };

/** A running disruption controller. */
export interface DisruptionController { stop(): void; queue: WorkQueue; recorder: EventRecorder }

/** Starts the controller. */
export function startDisruptionController(client: Client, ctx: ControllerContext): DisruptionController {
  const { view } = ctx;
  const budgets = new SharedInformer<PodDisruptionBudget>(client, PDB);
  const recorder = new EventRecorder(client, 'controllermanager');
  const queue: WorkQueue = new WorkQueue((key) => reconcile(key), 2);
  const onPod = (p: Pod) => { for (const b of budgets.list(p.metadata.namespace)) if (podsOfBudget(b, [p]).length) queue.add(keyOf(b)); };
  const offs = [
    budgets.subscribe({ add: (o) => queue.add(keyOf(o)), update: (_, o) => queue.add(keyOf(o)) }),
    view.pods.subscribe({ add: onPod, update: (a, b) => { onPod(a); onPod(b); }, delete: onPod }),
  ];

  /**
   * The replicas the pods' controllers want, or the pod count for pods without one (upstream
   * getExpectedScale's finders: a ReplicaSet through its Deployment, a StatefulSet, and any
   * controller with a scale subresource, such as a ReplicationController or a custom resource).
   */
  function scale(pods: readonly Pod[]): number {
    const seen = new Set<string>();
    let total = 0;
    for (const p of pods) {
      const owner = scaleOwner(p);
      if (!owner) { total++; continue; }
      if (seen.has(owner.uid)) continue;
      seen.add(owner.uid);
      total += owner.replicas;
    }
    return total;
  }

  /** The controller whose replicas a pod counts towards, with them. */
  function scaleOwner(p: Pod): { uid: string; replicas: number } | undefined {
    const ref = controllerOf(p);
    const ns = p.metadata.namespace ?? '';
    if (!ref) return undefined;
    if (ref.kind === 'ReplicaSet') {
      const rs = view.replicaSets.get(ns, ref.name);
      const dep = rs && controllerOf(rs)?.kind === 'Deployment' ? view.deployments.get(ns, controllerOf(rs)!.name) : undefined;
      const owner = dep ?? rs;
      return owner ? { uid: owner.metadata.uid!, replicas: owner.spec?.replicas ?? 1 } : undefined;
    }
    if (ref.kind === 'StatefulSet') {
      const sts = view.statefulSets.get(ns, ref.name);
      return sts && sts.metadata.uid === ref.uid ? { uid: ref.uid, replicas: sts.spec?.replicas ?? 1 } : undefined;
    }
    const def = client.registry.forKind(ref.apiVersion, ref.kind);
    const obj = def?.scale ? client.peek(def, ns, ref.name) : undefined;
    return def?.scale && obj && obj.metadata.uid === ref.uid ? { uid: ref.uid, replicas: def.scale.specReplicas(obj) } : undefined;
  }

  async function reconcile(key: string): Promise<void> {
    const [ns, name] = splitKey(key);
    const pdb = budgets.get(ns, name);
    if (!pdb || pdb.metadata.deletionTimestamp) return;
    const pods = podsOfBudget(pdb, view.pods.list(ns));
    if (!pods.length) recorder.event(pdb, 'Normal', 'NoPods', 'No matching pods found');
    const now = Date.now();
    const status = budgetStatus(pdb, pods, scale, now);
    if (JSON.stringify(status) !== JSON.stringify(pdb.status)) {
      const fresh = client.get(PDB, ns, name);
      if (fresh) await client.update(PDB, { ...fresh, status }, 'status');
    }
    if (status.disruptedPods) queue.addAfter(key, DISRUPTED_POD_TIMEOUT_MS);
  }

  return { stop: () => { for (const off of offs) off(); budgets.stop(); queue.stop(); }, queue, recorder };
}
