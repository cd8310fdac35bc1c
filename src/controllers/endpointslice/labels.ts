/** Labels of controller-managed EndpointSlices: the Service's labels plus the reserved ones (setEndpointSliceLabels). */
import type { EndpointSlice } from '../../api/kinds/endpointslice.js';
import type { Service } from '../../api/kinds/service-schema.js';
import { LABEL_HEADLESS, LABEL_MANAGED_BY, LABEL_SERVICE_NAME } from '../../api/wellknown.js';
import { isServiceIPSet } from './podutil.js';

/** The value of LABEL_MANAGED_BY for this controller. */
export const SLICE_CONTROLLER = 'endpointslice-controller.k8s.io';

const reserved = new Set([LABEL_SERVICE_NAME, LABEL_MANAGED_BY, LABEL_HEADLESS]);

/** The labels a slice should carry, and whether its user labels differ from the Service's. */
export function sliceLabels(slice: EndpointSlice | undefined, svc: Service, manager: string): { labels: Record<string, string>; changed: boolean } {
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(svc.metadata.labels ?? {})) if (!reserved.has(k)) labels[k] = v;
  let changed = false;
  if (slice) {
    const own = Object.entries(slice.metadata.labels ?? {}).filter(([k]) => !reserved.has(k));
    changed = own.length !== Object.keys(labels).length || own.some(([k, v]) => labels[k] !== v);
    const cur = slice.metadata.labels ?? {};
    if ((LABEL_HEADLESS in cur) === isServiceIPSet(svc)) changed = true;
  }
  if (!isServiceIPSet(svc)) labels[LABEL_HEADLESS] = '';
  labels[LABEL_SERVICE_NAME] = svc.metadata.name!;
  labels[LABEL_MANAGED_BY] = manager;
  return { labels, changed };
}
