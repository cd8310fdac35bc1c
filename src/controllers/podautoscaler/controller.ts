/**
 * The HorizontalPodAutoscaler controller without a metrics API: every 15 s (the upstream sync
 * period) and on changes it reads the target's scale, reports currentReplicas and the conditions
 * AbleToScale and ScalingActive with upstream's reasons, and records the same Warning events.
 * It never scales: knet serves no metrics.
 */
import type { HorizontalPodAutoscaler } from '../../api/kinds/hpa-schema.js';
import type { ResourceDef } from '../../api/resource.js';
import type { Client } from '../../client/client.js';
import { keyOf, splitKey } from '../../client/informer.js';
import { SharedInformer } from '../../client/view.js';
import { WorkQueue } from '../../client/workqueue.js';
import { rfc3339 } from '../../apiserver/storage/meta.js';
import { EventRecorder } from '../events.js';
import { metricFailure, setCondition } from './conditions.js';
import { PeriodicResync } from './resync.js';

const HPA = { resource: 'horizontalpodautoscalers', group: 'autoscaling' };
const SYNC_MS = 15_000;

/** A running HPA controller. */
export interface PodAutoscalerController { stop(): void; queue: WorkQueue; recorder: EventRecorder }

/** Starts the controller. */
export function startPodAutoscalerController(client: Client): PodAutoscalerController {
  const hpas = new SharedInformer<HorizontalPodAutoscaler>(client, HPA);
  const recorder = new EventRecorder(client, 'horizontal-pod-autoscaler');
  const queue: WorkQueue = new WorkQueue((key) => reconcile(key), 1);
  // One periodic resync per HPA (upstream's --horizontal-pod-autoscaler-sync-period): each reconcile resets it.
  const resync = new PeriodicResync(SYNC_MS, (key) => queue.add(key));
  const off = hpas.subscribe({ add: (o) => queue.add(keyOf(o)), update: (a, b) => { if (a.metadata.generation !== b.metadata.generation) queue.add(keyOf(b)); } });

  /** The scaled resource's definition, by apiVersion and kind (any version of the group when the version is not served). */
  function targetDef(apiVersion: string | undefined, kind: string): ResourceDef | undefined {
    const group = apiVersion?.includes('/') ? apiVersion.split('/')[0] : '';
    return (apiVersion ? client.registry.forKind(apiVersion, kind) : undefined) ?? client.registry.defs.find((d) => d.kind === kind && d.group === group);
  }

  async function reconcile(key: string): Promise<void> {
    const [ns, name] = splitKey(key);
    const hpa = hpas.get(ns, name);
    if (!hpa?.spec || hpa.metadata.deletionTimestamp) { resync.forget(key); return; }
    resync.arm(key);
    const ref = hpa.spec.scaleTargetRef;
    const def = targetDef(ref.apiVersion, ref.kind);
    const target = def?.scale ? client.peek(def, ns, ref.name) : undefined;
    const now = rfc3339(new Date());
    let conds = hpa.status?.conditions ?? [];
    let current = hpa.status?.currentReplicas ?? 0;
    if (!def?.scale || !target) {
      const what = def ? `${def.plural}${def.group ? '.' + def.group : ''} "${ref.name}" not found` : `no matches for kind "${ref.kind}" in group "${ref.apiVersion?.split('/')[0] ?? ''}"`;
      recorder.event(hpa, 'Warning', 'FailedGetScale', what);
      conds = setCondition(conds, { type: 'AbleToScale', status: 'False', reason: 'FailedGetScale', message: `the HPA controller was unable to get the target's current scale: ${what}` }, now);
    } else {
      current = def.scale.statusReplicas(target);
      conds = setCondition(conds, { type: 'AbleToScale', status: 'True', reason: 'SucceededGetScale', message: "the HPA controller was able to get the target's current scale" }, now);
      if (def.scale.specReplicas(target) === 0 && (hpa.spec.minReplicas ?? 1) !== 0) {
        conds = setCondition(conds, { type: 'ScalingActive', status: 'False', reason: 'ScalingDisabled', message: 'scaling is disabled since the replica count of the target is zero' }, now);
      } else {
        const metrics = hpa.spec.metrics ?? [];
        const { reason, error } = metricFailure(metrics[0]);
        recorder.event(hpa, 'Warning', reason, error);
        recorder.event(hpa, 'Warning', 'FailedComputeMetricsReplicas', `invalid metrics (${metrics.length} invalid out of ${metrics.length}), first error is: failed to get ${metrics[0]?.resource?.name ?? metrics[0]?.type ?? ''} resource metric value: ${error}`);
        conds = setCondition(conds, { type: 'ScalingActive', status: 'False', reason, message: `the HPA was unable to compute the replica count: ${error}` }, now);
      }
    }
    const status = { ...hpa.status, desiredReplicas: hpa.status?.desiredReplicas ?? 0, currentReplicas: current, conditions: conds };
    if (JSON.stringify(status) === JSON.stringify(hpa.status)) return;
    const fresh = client.get(HPA, ns, name);
    if (fresh) await client.update(HPA, { ...fresh, status }, 'status');
  }

  return { stop: () => { off(); hpas.stop(); queue.stop(); resync.stop(); }, queue, recorder };
}
