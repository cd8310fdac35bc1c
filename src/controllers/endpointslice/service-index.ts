/** An index of the view's Services by one label pair of their selectors, to find the Services that select a pod quickly. */
import type { Service } from '../../api/kinds/service-schema.js';
import { keyOf } from '../../client/informer.js';
import type { ClusterView } from '../../client/view.js';
import { selectorMatches } from './podutil.js';

/** The index of Services with selectors by `namespace \0 key=value` of their first selector pair (`namespace \0` for an empty selector). */
export const SERVICES_BY_SELECTOR = 'selectorPair';

const bucket = (ns: string, pair = ''): string => `${ns}\u0000${pair}`;

/** The SERVICES_BY_SELECTOR key of a Service (none without a selector). */
export function selectorBucket(svc: Service): string[] {
  const sel = svc.spec?.selector;
  if (!sel) return [];
  const first = Object.entries(sel).sort(([a], [b]) => (a < b ? -1 : 1))[0];
  return [bucket(svc.metadata.namespace ?? '', first ? `${first[0]}=${first[1]}` : '')];
}

/** Adds SERVICES_BY_SELECTOR to the view's Services (idempotent). */
export function indexServicesBySelector(view: ClusterView): void {
  view.services.addIndexers({ [SERVICES_BY_SELECTOR]: selectorBucket });
}

/** Keys of the Services in `ns` whose selectors match these labels, added to `out`. */
export function servicesSelecting(view: ClusterView, ns: string, labels: Record<string, string> | undefined, out: Set<string> = new Set()): Set<string> {
  const consider = (key: string) => {
    for (const svc of view.services.byIndex(SERVICES_BY_SELECTOR, key)) {
      if (svc.spec?.selector && selectorMatches(svc.spec.selector, labels)) out.add(keyOf(svc));
    }
  };
  consider(bucket(ns));
  for (const [k, v] of Object.entries(labels ?? {})) consider(bucket(ns, `${k}=${v}`));
  return out;
}
