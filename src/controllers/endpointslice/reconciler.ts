/**
 * Plans EndpointSlice changes for one Service and address type with minimal churn, as the upstream
 * reconciler does: keep endpoints in the slices that hold them, fill slices being updated, then
 * nearly-full unchanged ones, then new slices; reuse slices that would be deleted for new ones.
 */
import type { EndpointSlice } from '../../api/kinds/endpointslice.js';
import type { OwnerReference } from '../../api/meta.js';
import type { Service } from '../../api/kinds/service-schema.js';
import { clone } from '../../apiserver/storage/meta.js';
import { endpointChanged, endpointKey, type DesiredGroup, type SliceEndpoint, type SlicePort } from './desired.js';
import { portMapKey } from './gohash.js';
import { sliceLabels } from './labels.js';

/** Writes to make. */
export interface SlicePlan { create: EndpointSlice[]; update: EndpointSlice[]; remove: EndpointSlice[] }

/** The controller reference from a slice to its Service. */
export function serviceOwnerRef(svc: Service): OwnerReference {
  return { apiVersion: 'v1', kind: 'Service', name: svc.metadata.name!, uid: svc.metadata.uid!, controller: true, blockOwnerDeletion: true };
}

/** A new slice (generateName `<svc>-`) for the Service with the given ports. */
export function newSlice(svc: Service, ports: SlicePort[], addressType: 'IPv4' | 'IPv6', manager: string): EndpointSlice {
  const labels = sliceLabels(undefined, svc, manager).labels;
  return {
    apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
    metadata: { generateName: `${svc.metadata.name}-`, namespace: svc.metadata.namespace, labels, ownerReferences: [serviceOwnerRef(svc)] },
    addressType, endpoints: [], ports: clone(ports),
  };
}

/** The port-mapping key of an existing slice. */
function keyOfSlice(s: EndpointSlice): string {
  return portMapKey(clone(s.ports ?? []));
}

/** getSliceToFill: the unchanged slice that the remaining endpoints fill most exactly. */
function sliceToFill(slices: EndpointSlice[], n: number, max: number): EndpointSlice | undefined {
  let best: EndpointSlice | undefined;
  let bestDiff = max;
  for (const s of slices) {
    const diff = max - (n + s.endpoints.length);
    if (diff >= 0 && diff < bestDiff) { bestDiff = diff; best = s; if (diff === 0) break; }
  }
  return best;
}

/** Plans one port mapping (reconcileByPortMapping). */
function planGroup(svc: Service, existing: EndpointSlice[], group: DesiredGroup, addressType: 'IPv4' | 'IPv6', max: number, manager: string, plan: SlicePlan): void {
  const desired = new Map(group.endpoints);
  const toUpdate = new Map<string, EndpointSlice>();
  const unchanged = new Map<string, EndpointSlice>();
  for (const s of existing) {
    const kept: SliceEndpoint[] = [];
    let changed = false;
    for (const e of s.endpoints ?? []) {
      const k = endpointKey(e);
      const want = desired.get(k);
      if (!want) continue;
      kept.push(want);
      if (endpointChanged(want, e)) changed = true;
      desired.delete(k);
    }
    const { labels, changed: labelsChanged } = sliceLabels(s, svc, manager);
    if (changed || kept.length !== (s.endpoints ?? []).length) {
      if (kept.length === 0) plan.remove.push(s);
      else toUpdate.set(s.metadata.name!, { ...clone(s), endpoints: kept, metadata: { ...clone(s.metadata), labels } });
    } else if (labelsChanged) {
      toUpdate.set(s.metadata.name!, { ...clone(s), metadata: { ...clone(s.metadata), labels } });
    } else unchanged.set(s.metadata.name!, s);
  }
  const pending = [...desired.values()];
  if (pending.length && toUpdate.size) {
    const fullestFirst = [...toUpdate.values()].sort((a, b) => b.endpoints.length - a.endpoints.length);
    for (const s of fullestFirst) while (pending.length && s.endpoints.length < max) s.endpoints.push(pending.shift()!);
  }
  while (pending.length) {
    let fill = pending.length < max && unchanged.size ? sliceToFill([...unchanged.values()], pending.length, max) : undefined;
    if (fill) {
      unchanged.delete(fill.metadata.name!);
      fill = clone(fill);
      toUpdate.set(fill.metadata.name!, fill);
    } else {
      fill = newSlice(svc, group.ports, addressType, manager);
      plan.create.push(fill);
    }
    while (pending.length && fill.endpoints.length < max) fill.endpoints.push(pending.shift()!);
  }
  plan.update.push(...toUpdate.values());
}

/** Plans the slices of one address type for a Service, given its existing managed slices. */
export function planSlices(svc: Service, existing: EndpointSlice[], groups: Map<string, DesiredGroup>, addressType: 'IPv4' | 'IPv6', max: number, manager: string): SlicePlan {
  const plan: SlicePlan = { create: [], update: [], remove: [] };
  const byKey = new Map<string, EndpointSlice[]>();
  for (const s of existing) {
    if (s.addressType !== addressType) { plan.remove.push(s); continue; }
    const k = keyOfSlice(s);
    const list = byKey.get(k) ?? [];
    list.push(s);
    byKey.set(k, list);
  }
  for (const [k, g] of groups) planGroup(svc, byKey.get(k) ?? [], g, addressType, max, manager, plan);
  for (const [k, slices] of byKey) if (!groups.has(k)) plan.remove.push(...slices);
  // A Service without endpoints keeps one empty placeholder slice.
  if (existing.length === plan.remove.length && plan.create.length === 0) {
    const placeholder = newSlice(svc, [], addressType, manager);
    const only = plan.remove.length === 1 ? plan.remove[0]! : undefined;
    if (only && isPlaceholderLike(only, placeholder)) plan.remove = [];
    else plan.create.push(placeholder);
  }
  // Turn creates into updates of slices that would be deleted (finalize).
  for (let i = 0; i < plan.remove.length && plan.create.length;) {
    const old = plan.remove[i]!;
    const fresh = plan.create[plan.create.length - 1]!;
    if (old.addressType === fresh.addressType && old.metadata.ownerReferences?.some((r) => r.uid === svc.metadata.uid && r.controller)) {
      plan.create.pop();
      plan.remove.splice(i, 1);
      const { generateName: _g, ...meta } = fresh.metadata;
      void _g;
      plan.update.push({ ...fresh, metadata: { ...clone(old.metadata), ...meta, name: old.metadata.name } });
    } else i++;
  }
  return plan;
}

/** placeholderSliceCompare: same labels, owner, address type, no endpoints and no ports. */
function isPlaceholderLike(s: EndpointSlice, p: EndpointSlice): boolean {
  return s.endpoints.length === 0 && !(s.ports ?? []).length && s.addressType === p.addressType
    && JSON.stringify(sortObj(s.metadata.labels)) === JSON.stringify(sortObj(p.metadata.labels))
    && JSON.stringify(s.metadata.ownerReferences?.map((r) => r.uid)) === JSON.stringify(p.metadata.ownerReferences?.map((r) => r.uid));
}

function sortObj(o: Record<string, string> | undefined): [string, string][] {
  return Object.entries(o ?? {}).sort(([a], [b]) => (a < b ? -1 : 1));
}
