/** The pod QoS class (ComputePodQOS): BestEffort, Burstable or Guaranteed. */
import type { PodSpec } from './pod-spec.js';
import { parseQuantity } from './pod-quantity.js';

type Resources = PodSpec['resources'];
const QOS = ['cpu', 'memory'];

function positive(list: Record<string, string | number> | undefined): Map<string, number> {
  const out = new Map<string, number>();
  for (const [k, q] of Object.entries(list ?? {})) {
    const v = parseQuantity(q);
    if (QOS.includes(k) && v !== undefined && v > 0) out.set(k, v);
  }
  return out;
}

function classify(parts: Resources[]): 'BestEffort' | 'Burstable' | 'Guaranteed' {
  const requests = new Map<string, number>();
  const limits = new Map<string, number>();
  let guaranteed = true;
  for (const r of parts) {
    for (const [k, v] of positive(r?.requests)) requests.set(k, (requests.get(k) ?? 0) + v);
    const lim = positive(r?.limits);
    for (const [k, v] of lim) limits.set(k, (limits.get(k) ?? 0) + v);
    if (!lim.has('cpu') || !lim.has('memory')) guaranteed = false;
  }
  if (requests.size === 0 && limits.size === 0) return 'BestEffort';
  if (guaranteed) for (const [k, v] of requests) if (limits.get(k) !== v) { guaranteed = false; break; }
  return guaranteed && requests.size === limits.size ? 'Guaranteed' : 'Burstable';
}

/** The QoS class of a pod spec, using pod-level resources when they name cpu or memory. */
export function podQOSClass(spec: PodSpec | undefined): 'BestEffort' | 'Burstable' | 'Guaranteed' {
  const podLevel = spec?.resources;
  if (podLevel && (positive(podLevel.requests).size || positive(podLevel.limits).size)) return classify([podLevel]);
  return classify([...(spec?.containers ?? []), ...(spec?.initContainers ?? [])].map((c) => c.resources));
}
