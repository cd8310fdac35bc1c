/**
 * The EndpointSlice mirroring controller: Endpoints written by hand for Services without a selector
 * are mirrored into EndpointSlices, unless labelled `endpointslice.kubernetes.io/skip-mirror=true`.
 */
import type { Endpoints } from '../../api/kinds/endpoints.js';
import type { EndpointSlice } from '../../api/kinds/endpointslice.js';
import type { Service } from '../../api/kinds/service-schema.js';
import type { Client } from '../../client/client.js';
import { storeKey } from '../../api/registry.js';
import { inform, keyOf, splitKey } from '../../client/informer.js';
import { WorkQueue } from '../../client/workqueue.js';
import { EventRecorder } from '../events.js';
import { batched } from '../util/batch.js';
import { SliceIndex } from '../endpointslice/slice-index.js';
import { errorText, namespaceTerminating } from '../util/errors.js';
import type { EndpointController } from '../endpointslice/controller.js';
import { ENDPOINT_CONTROLLER, ENDPOINTS_MANAGED_BY } from '../endpoints/controller.js';
import { MIRRORING_CONTROLLER, planMirror } from './reconciler.js';

const SLICES = { resource: 'endpointslices', group: 'discovery.k8s.io' };
const SERVICES = { resource: 'services' };
const ENDPOINTS = { resource: 'endpoints' };
/** The label that keeps an Endpoints object from being mirrored. */
export const SKIP_MIRROR = 'endpointslice.kubernetes.io/skip-mirror';
const LEADER = 'control-plane.alpha.kubernetes.io/leader';

/** shouldMirror: not labelled skip-mirror, not written by the Endpoints controller, not a leader-election record. */
export function shouldMirror(ep: Endpoints): boolean {
  return ep.metadata.labels?.[SKIP_MIRROR] !== 'true' && ep.metadata.labels?.[ENDPOINTS_MANAGED_BY] !== ENDPOINT_CONTROLLER && !ep.metadata.annotations?.[LEADER];
}

/** Starts the mirroring controller. */
export function startEndpointSliceMirroringController(client: Client, opts: { maxEndpointsPerSubset?: number } = {}): EndpointController {
  const recorder = new EventRecorder(client, 'endpoint-slice-mirroring-controller');
  const svcDef = client.def(SERVICES);
  const epDef = client.def(ENDPOINTS);
  const queue: WorkQueue = new WorkQueue((key) => reconcile(key), 4);
  const later = batched(queue);
  const slices = new SliceIndex(client, MIRRORING_CONTROLLER, later);
  const enqueue = { add: (o: Endpoints | Service) => later(keyOf(o)), update: (o: Endpoints | Service) => later(keyOf(o)), delete: (o: Endpoints | Service) => later(keyOf(o)) };
  const svcInf = inform(client, SERVICES, enqueue);
  const epInf = inform(client, ENDPOINTS, enqueue);

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
    const svc = client.store.get(storeKey(svcDef, ns, name)) as Service | undefined;
    if (!svc || svc.spec?.type === 'ExternalName') return;
    const ep = client.store.get(storeKey(epDef, ns, name)) as Endpoints | undefined;
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

  return { stop: () => { slices.stop(); svcInf.stop(); epInf.stop(); queue.stop(); }, queue, recorder };
}
