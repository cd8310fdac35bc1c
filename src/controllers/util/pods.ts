/** Pod helpers shared by the workload controllers: readiness, availability, ownership, templates, deletion order. */
import type { KObject, OwnerReference } from '../../api/meta.js';
import type { Pod } from '../../api/kinds/pod.js';
import type { PodTemplateSpec } from '../../api/kinds/pod-spec.js';
import { clone } from '../../apiserver/storage/meta.js';

type Cond = NonNullable<NonNullable<Pod['status']>['conditions']>[number];

/** The pod's Ready condition, if any. */
export function readyCondition(p: Pod): Cond | undefined {
  return p.status?.conditions?.find((c) => c.type === 'Ready');
}

/** IsPodReady: the Ready condition is True. */
export function isPodReady(p: Pod): boolean {
  return readyCondition(p)?.status === 'True';
}

/** Milliseconds until a ready pod becomes available (0: available now; -1: not ready). */
export function availableIn(p: Pod, minReadySeconds: number, now: number): number {
  if (!isPodReady(p)) return -1;
  if (!minReadySeconds) return 0;
  const t = Date.parse(readyCondition(p)?.lastTransitionTime ?? '');
  if (Number.isNaN(t)) return 0;
  return Math.max(0, t + minReadySeconds * 1000 - now + 1);
}

/** IsPodAvailable: ready for at least minReadySeconds. */
export function isPodAvailable(p: Pod, minReadySeconds: number, now: number): boolean {
  return availableIn(p, minReadySeconds, now) === 0;
}

/** Not terminal and not being deleted (FilterActivePods). */
export function isActive(p: Pod): boolean {
  return p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed' && !p.metadata.deletionTimestamp;
}

/** Being deleted but not terminal yet (FilterTerminatingPods). */
export function isTerminating(p: Pod): boolean {
  return !!p.metadata.deletionTimestamp && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed';
}

/** The controller reference of an object (GetControllerOf). */
export function controllerOf(o: KObject): OwnerReference | undefined {
  return o.metadata.ownerReferences?.find((r) => r.controller);
}

/** A controller reference to `owner` (NewControllerRef). */
export function controllerRef(owner: KObject): OwnerReference {
  return { apiVersion: owner.apiVersion ?? '', kind: owner.kind ?? '', name: owner.metadata.name ?? '', uid: owner.metadata.uid ?? '', controller: true, blockOwnerDeletion: true };
}

/** A new pod from a template (GetPodFromTemplate), named `<owner>-<random>`. */
export function podFromTemplate(tpl: PodTemplateSpec, owner: KObject): Pod {
  const meta: KObject['metadata'] = { generateName: `${owner.metadata.name}-`, namespace: owner.metadata.namespace };
  if (tpl.metadata?.labels) meta.labels = { ...tpl.metadata.labels };
  if (tpl.metadata?.annotations) meta.annotations = { ...tpl.metadata.annotations };
  if (tpl.metadata?.finalizers?.length) meta.finalizers = [...tpl.metadata.finalizers];
  meta.ownerReferences = [controllerRef(owner)];
  return { apiVersion: 'v1', kind: 'Pod', metadata: meta, spec: clone(tpl.spec ?? { containers: [] }) } as Pod;
}

const phaseRank: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

function deletionCost(p: Pod): number {
  const v = Number(p.metadata.annotations?.['controller.kubernetes.io/pod-deletion-cost'] ?? 0);
  return Number.isFinite(v) ? v : 0;
}

function restarts(p: Pod): number {
  return Math.max(0, ...(p.status?.containerStatuses ?? []).map((c) => c.restartCount ?? 0));
}

const time = (s: string | undefined) => (s ? Date.parse(s) : 0);

/**
 * The pods to delete first (getPodsToDelete with ActivePodsWithRanks): unscheduled, pending,
 * not ready, cheaper, doubled up on a node, ready for less time, restarted more, newer.
 */
export function podsToDelete(pods: Pod[], related: Pod[], n: number): Pod[] {
  if (n >= pods.length) return pods;
  const perNode = new Map<string, number>();
  for (const p of related) {
    const node = p.spec?.nodeName;
    if (node && isActive(p)) perNode.set(node, (perNode.get(node) ?? 0) + 1);
  }
  const rank = (p: Pod) => (p.spec?.nodeName ? perNode.get(p.spec.nodeName) ?? 0 : 0);
  const sorted = [...pods].sort((a, b) => {
    const an = a.spec?.nodeName ? 1 : 0, bn = b.spec?.nodeName ? 1 : 0;
    if (an !== bn) return an - bn;
    const ap = phaseRank[a.status?.phase ?? ''] ?? 0, bp = phaseRank[b.status?.phase ?? ''] ?? 0;
    if (ap !== bp) return ap - bp;
    const ar = isPodReady(a) ? 1 : 0, br = isPodReady(b) ? 1 : 0;
    if (ar !== br) return ar - br;
    if (deletionCost(a) !== deletionCost(b)) return deletionCost(a) - deletionCost(b);
    if (rank(a) !== rank(b)) return rank(b) - rank(a);
    if (ar && br) {
      const at = time(readyCondition(a)?.lastTransitionTime), bt = time(readyCondition(b)?.lastTransitionTime);
      if (at !== bt) return bt - at;
    }
    if (restarts(a) !== restarts(b)) return restarts(b) - restarts(a);
    const ac = time(a.metadata.creationTimestamp), bc = time(b.metadata.creationTimestamp);
    return bc - ac;
  });
  return sorted.slice(0, n);
}
