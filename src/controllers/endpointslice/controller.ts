/**
 * The EndpointSlice controller: for every Service with a selector, keeps EndpointSlices listing
 * the selected pods (at most maxEndpointsPerSlice per slice, grouped by resolved ports).
 */
import type { EndpointSlice } from '../../api/kinds/endpointslice.js';
import type { Client } from '../../client/client.js';
import { splitKey } from '../../client/informer.js';
import { WorkQueue } from '../../client/workqueue.js';
import { EventRecorder } from '../events.js';
import type { ControllerContext } from '../context.js';
import { desiredGroups } from './desired.js';
import { SLICE_CONTROLLER } from './labels.js';
import { SliceIndex } from './slice-index.js';
import { serviceFamily } from './podutil.js';
import { planSlices } from './reconciler.js';
import { ServicePods } from './sources.js';
import { TriggerTimeTracker } from './trigger-time.js';
import { errorText, namespaceTerminating } from '../util/errors.js';
import { setTriggerTime } from './util.js';

const SLICES = { resource: 'endpointslices', group: 'discovery.k8s.io' };

/** A running controller. */
export interface EndpointController { stop(): void; queue: WorkQueue; recorder: EventRecorder }

/** Starts the EndpointSlice controller. */
export function startEndpointSliceController(client: Client, ctx: ControllerContext, opts: { maxEndpointsPerSlice?: number } = {}): EndpointController {
  const max = opts.maxEndpointsPerSlice ?? 100;
  const { view } = ctx;
  const recorder = new EventRecorder(client, 'endpoint-slice-controller');
  const queue: WorkQueue = new WorkQueue((key) => reconcile(key), 4);
  const later = ctx.batcher.batched(queue);
  const tracker = new TriggerTimeTracker();
  const pods = new ServicePods(view, later);
  const slices = new SliceIndex(view, SLICE_CONTROLLER, later);

  const nodeOf = (name: string) => view.nodes.get('', name);

  async function reconcile(key: string): Promise<void> {
    const [ns, name] = splitKey(key);
    const svc = view.services.get(ns, name);
    if (!svc) { tracker.delete(key); return; } // the garbage collector removes the slices
    if (svc.spec?.type === 'ExternalName' || !svc.spec?.selector || svc.metadata.deletionTimestamp) return;
    const selected = pods.podsFor(svc);
    const trigger = tracker.compute(key, svc, selected);
    const family = serviceFamily(svc);
    const { groups, skipped } = desiredGroups(svc, selected, nodeOf, family);
    const existing = slices.forService(key);
    const plan = planSlices(svc, existing, groups, family, max, SLICE_CONTROLLER);
    try {
      for (const s of plan.create) {
        setTriggerTime(s, trigger);
        slices.wrote(await client.create(SLICES, s) as EndpointSlice);
      }
      for (const s of plan.update) {
        setTriggerTime(s, trigger);
        slices.wrote(await client.update(SLICES, s) as EndpointSlice);
      }
      for (const s of plan.remove) {
        slices.deleting(s);
        await client.delete(SLICES, ns, s.metadata.name!, { preconditions: { uid: s.metadata.uid } });
        slices.deleted(s);
      }
    } catch (e) {
      if (namespaceTerminating(e)) return;
      recorder.event(svc, 'Warning', 'FailedToUpdateEndpointSlices', `Error updating Endpoint Slices for Service ${ns}/${name}: ${errorText(e)}`);
      throw e;
    }
    if (skipped.length) throw new Error(`skipping Pods ${skipped.join(', ')} for Service ${key}: Node not found`);
  }

  return { stop: () => { slices.stop(); pods.stop(); queue.stop(); }, queue, recorder };
}
