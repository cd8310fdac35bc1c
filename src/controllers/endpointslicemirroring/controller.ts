/**
 * The EndpointSlice mirroring controller: Endpoints written by hand for Services without a selector
 * are mirrored into EndpointSlices, unless labelled `endpointslice.kubernetes.io/skip-mirror=true`.
 */
import type { Endpoints } from '../../api/kinds/endpoints.js';
import type { EndpointSlice } from '../../api/kinds/endpointslice.js';
import type { KObject } from '../../api/meta.js';
import { ANNOTATION_LEADER, LABEL_ENDPOINTS_MANAGED_BY, LABEL_SKIP_MIRROR } from '../../api/wellknown.js';
import type { Client } from '../../client/client.js';
import { keyOf, splitKey } from '../../client/informer.js';
import { WorkQueue } from '../../client/workqueue.js';
import { EventRecorder } from '../events.js';
import type { ControllerContext } from '../context.js';
import { SliceIndex } from '../endpointslice/slice-index.js';
import { errorText, namespaceTerminating } from '../util/errors.js';
import type { EndpointController } from '../endpointslice/controller.js';
import { ENDPOINT_CONTROLLER } from '../endpoints/controller.js';
import { MIRRORING_CONTROLLER, planMirror } from './reconciler.js';

const SLICES = { resource: 'endpointslices', group: 'discovery.k8s.io' };

/** shouldMirror: not labelled skip-mirror, not written by the Endpoints controller, not a leader-election record. */
export function shouldMirror(ep: Endpoints): boolean {
  return ep.metadata.labels?.[LABEL_SKIP_MIRROR] !== 'true' && ep.metadata.labels?.[LABEL_ENDPOINTS_MANAGED_BY] !== ENDPOINT_CONTROLLER && !ep.metadata.annotations?.[ANNOTATION_LEADER];
}

/** Starts the mirroring controller. */
export function startEndpointSliceMirroringController(client: Client, ctx: ControllerContext, opts: { maxEndpointsPerSubset?: number } = {}): EndpointController {
  const { view } = ctx;
  const recorder = new EventRecorder(client, 'endpoint-slice-mirroring-controller');
  const queue: WorkQueue = new WorkQueue((key) => reconcile(key), 4);
  const later = ctx.batcher.batched(queue);
  const slices = new SliceIndex(view, MIRRORING_CONTROLLER, later);
  const enqueue = { add: (o: KObject) => later(keyOf(o)), update: (_: KObject, o: KObject) => later(keyOf(o)), delete: (o: KObject) => later(keyOf(o)) };
  const offs = [view.services.subscribe(enqueue), view.endpoints.subscribe(enqueue)];

  async function removeAll(key: string): Promise<void> {
    const [ns] = splitKey(key);
    for (const s of slices.forService(key)) {
      slices.deleting(s);
      await client.delete(SLICES, ns, s.metadata.name!, { preconditions: { uid: s.metadata.uid } });
      slices.deleted(s);
    }
  }

  async function reconcile(key: string): Promise<void> {
    const [ns, name] = splitKey(key);
    const svc = view.services.get(ns, name);
    if (!svc || svc.spec?.type === 'ExternalName') return;
    const ep = view.endpoints.get(ns, name);
    if (svc.spec?.selector || !ep || !shouldMirror(ep)) return removeAll(key);
    const plan = planMirror(ep, slices.forService(key), opts.maxEndpointsPerSubset);
    if (plan.invalid) recorder.event(ep, 'Warning', 'InvalidIPAddress', `Skipped ${plan.invalid} invalid IP addresses when mirroring to EndpointSlices`);
    if (plan.skipped > plan.invalid) {
      recorder.event(ep, 'Warning', 'TooManyAddressesToMirror', `A max of ${opts.maxEndpointsPerSubset ?? 1000} addresses can be mirrored to EndpointSlices per Endpoints subset. ${plan.skipped} addresses were skipped`);
    }
    try {
      if (!ep.metadata.deletionTimestamp) {
        for (const s of plan.create) slices.wrote(await client.create(SLICES, s) as EndpointSlice);
      }
      for (const s of plan.update) slices.wrote(await client.update(SLICES, s) as EndpointSlice);
      for (const s of plan.remove) {
        slices.deleting(s);
        await client.delete(SLICES, ns, s.metadata.name!, { preconditions: { uid: s.metadata.uid } });
        slices.deleted(s);
      }
    } catch (e) {
      if (namespaceTerminating(e)) return;
      throw new Error(`failed to mirror Endpoints ${key}: ${errorText(e)}`);
    }
  }

  return { stop: () => { slices.stop(); for (const off of offs) off(); queue.stop(); }, queue, recorder };
}
