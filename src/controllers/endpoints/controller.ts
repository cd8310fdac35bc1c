/**
 * The Endpoints controller: for every Service with a selector, keeps a v1 Endpoints object of the
 * same name listing ready and not-ready pod addresses; deletes it when the Service goes away.
 */
import type { Endpoints } from '../../api/kinds/endpoints.js';
import type { Pod } from '../../api/kinds/pod.js';
import type { Service } from '../../api/kinds/service-schema.js';
import { ANNOTATION_ENDPOINTS_OVER_CAPACITY, ANNOTATION_LEADER, LABEL_ENDPOINTS_MANAGED_BY, LABEL_HEADLESS } from '../../api/wellknown.js';
import type { Client } from '../../client/client.js';
import { keyOf, splitKey } from '../../client/informer.js';
import { WorkQueue } from '../../client/workqueue.js';
import { clone } from '../../apiserver/storage/meta.js';
import { EventRecorder } from '../events.js';
import type { ControllerContext } from '../context.js';
import { findPort, isPodReady, isServiceIPSet, podIPOfFamily, serviceFamily, shouldPodBeInEndpoints, shouldSetHostname } from '../endpointslice/podutil.js';
import { ServicePods } from '../endpointslice/sources.js';
import { TriggerTimeTracker } from '../endpointslice/trigger-time.js';
import { namespaceTerminating, errorText } from '../util/errors.js';
import { setTriggerTime } from '../endpointslice/util.js';
import type { EndpointController } from '../endpointslice/controller.js';
import { countAddresses, MAX_CAPACITY, repackSubsets, truncateSubsets, type Address, type Port, type Subset } from './repack.js';
import { canonical } from './canonical.js';

const ENDPOINTS = { resource: 'endpoints' };
/** The value of LABEL_ENDPOINTS_MANAGED_BY for this controller. */
export const ENDPOINT_CONTROLLER = 'endpoint-controller';

/** The subsets for a Service's pods (before repacking). */
export function podSubsets(svc: Service, pods: Pod[]): Subset[] {
  const subsets: Subset[] = [];
  const tolerate = !!svc.spec?.publishNotReadyAddresses;
  for (const pod of pods) {
    if (!shouldPodBeInEndpoints(pod, tolerate)) continue;
    const ip = podIPOfFamily(pod, serviceFamily(svc, pod.status?.podIP ?? ''));
    if (!ip) continue;
    const addr: Address = { ip };
    if (shouldSetHostname(pod, svc)) addr.hostname = pod.spec!.hostname!;
    if (pod.spec?.nodeName !== undefined) addr.nodeName = pod.spec.nodeName;
    addr.targetRef = { kind: 'Pod', namespace: pod.metadata.namespace ?? '', name: pod.metadata.name ?? '', uid: pod.metadata.uid ?? '' };
    const ready = tolerate || isPodReady(pod);
    const add = (ports: Port[] | undefined) => subsets.push(ready ? { addresses: [addr], ports } : { notReadyAddresses: [addr], ports });
    const svcPorts = svc.spec?.ports ?? [];
    if (svcPorts.length === 0) {
      if (svc.spec?.clusterIP === 'None') add(undefined);
      continue;
    }
    for (const sp of svcPorts) {
      const port = findPort(pod, sp);
      if (port === undefined) continue;
      const p: Port = { ...(sp.name ? { name: sp.name } : {}), port, protocol: sp.protocol ?? 'TCP' };
      if (sp.appProtocol !== undefined) p.appProtocol = sp.appProtocol;
      add([p]);
    }
  }
  return repackSubsets(subsets);
}

/** Labels without the ones this controller adds itself. */
const withoutOwn = (l: Record<string, string> | undefined) => {
  const c = { ...(l ?? {}) };
  delete c[LABEL_HEADLESS];
  delete c[LABEL_ENDPOINTS_MANAGED_BY];
  return c;
};

/** Starts the Endpoints controller. */
export function startEndpointsController(client: Client, ctx: ControllerContext): EndpointController {
  const { view } = ctx;
  const recorder = new EventRecorder(client, 'endpoint-controller');
  const queue: WorkQueue = new WorkQueue((key) => reconcile(key), 4);
  const later = ctx.batcher.batched(queue);
  const tracker = new TriggerTimeTracker();
  const pods = new ServicePods(view, later);
  const offEndpoints = view.endpoints.subscribe({ delete: (o) => later(keyOf(o)) });
  // checkLeftoverEndpoints: Endpoints whose Service is gone are removed.
  for (const ep of view.endpoints.list()) if (!ep.metadata.annotations?.[ANNOTATION_LEADER]) later(keyOf(ep));

  async function reconcile(key: string): Promise<void> {
    const [ns, name] = splitKey(key);
    const svc = view.services.get(ns, name);
    if (!svc) {
      const ep = view.endpoints.get(ns, name);
      if (ep && !ep.metadata.annotations?.[ANNOTATION_LEADER]) await client.delete(ENDPOINTS, ns, name);
      tracker.delete(key);
      return;
    }
    if (svc.spec?.type === 'ExternalName' || !svc.spec?.selector) return;
    const selected = pods.podsFor(svc);
    const trigger = tracker.compute(key, svc, selected);
    const subsets = podSubsets(svc, selected);
    const current = view.endpoints.get(ns, name);
    if (current && canonical(current.subsets ?? []) === canonical(subsets)
      && canonical(withoutOwn(current.metadata.labels)) === canonical(withoutOwn(svc.metadata.labels))
      && current.metadata.labels?.[LABEL_ENDPOINTS_MANAGED_BY] === ENDPOINT_CONTROLLER
      && countAddresses(current.subsets ?? []) <= MAX_CAPACITY && !current.metadata.annotations?.[ANNOTATION_ENDPOINTS_OVER_CAPACITY]) return;
    const next: Endpoints = current ? clone(current) : { apiVersion: 'v1', kind: 'Endpoints', metadata: { name, namespace: ns } };
    next.subsets = subsets;
    const labels = withoutOwn(svc.metadata.labels);
    if (!isServiceIPSet(svc)) labels[LABEL_HEADLESS] = '';
    labels[LABEL_ENDPOINTS_MANAGED_BY] = ENDPOINT_CONTROLLER;
    next.metadata.labels = labels;
    setTriggerTime(next, trigger);
    if (truncateSubsets(subsets)) {
      next.subsets = subsets.filter((s) => s.addresses?.length || s.notReadyAddresses?.length);
      next.metadata.annotations = { ...(next.metadata.annotations ?? {}), [ANNOTATION_ENDPOINTS_OVER_CAPACITY]: 'truncated' };
    } else if (next.metadata.annotations?.[ANNOTATION_ENDPOINTS_OVER_CAPACITY]) {
      delete next.metadata.annotations[ANNOTATION_ENDPOINTS_OVER_CAPACITY];
      if (Object.keys(next.metadata.annotations).length === 0) delete next.metadata.annotations;
    }
    if (next.subsets.length === 0) delete next.subsets;
    try {
      if (current) await client.update(ENDPOINTS, next);
      else await client.create(ENDPOINTS, next);
    } catch (e) {
      if (!current && namespaceTerminating(e)) return;
      if (current) recorder.event(next, 'Warning', 'FailedToUpdateEndpoint', `Failed to update endpoint ${ns}/${name}: ${errorText(e)}`);
      else recorder.event(next, 'Warning', 'FailedToCreateEndpoint', `Failed to create endpoint for service ${ns}/${name}: ${errorText(e)}`);
      throw e;
    }
  }

  return { stop: () => { offEndpoints(); pods.stop(); queue.stop(); }, queue, recorder };
}
