/**
 * Scheduler filters (NodeUnschedulable, TaintToleration, NodeAffinity) and the FitError message
 * that explains why no node fits.
 */
import type { KObject } from '../../api/meta.js';
import type { Pod } from '../../api/kinds/pod.js';

/** A node taint. */
export interface Taint { key: string; value?: string; effect: string }
/** A pod toleration. */
export interface Toleration { key?: string; operator?: string; value?: string; effect?: string }
/** The parts of a Node the scheduler reads. */
export interface SchedNode extends KObject {
  spec?: { unschedulable?: boolean; taints?: Taint[] };
  status?: { conditions?: { type: string; status: string }[] };
}
interface Requirement { key: string; operator: string; values?: string[] }
/** A node selector term. */
export interface Term { matchExpressions?: Requirement[]; matchFields?: Requirement[] }

export const REASON_UNSCHEDULABLE = 'node(s) were unschedulable';
export const REASON_TAINT = 'node(s) had untolerated taint(s)';
export const REASON_AFFINITY = "node(s) didn't match Pod's node affinity/selector";

/** ToleratesTaint. */
export function tolerates(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  if (t.operator === 'Exists') return true;
  if (!t.operator || t.operator === 'Equal') return (t.value ?? '') === (taint.value ?? '');
  return false;
}

/** The node's taints, plus the not-ready taint the node lifecycle controller would add. */
export function effectiveTaints(n: SchedNode): Taint[] {
  const taints = [...(n.spec?.taints ?? [])];
  const ready = n.status?.conditions?.find((c) => c.type === 'Ready');
  if (ready?.status !== 'True' && !taints.some((t) => t.key.startsWith('node.kubernetes.io/'))) {
    taints.push({ key: ready?.status === 'Unknown' ? 'node.kubernetes.io/unreachable' : 'node.kubernetes.io/not-ready', effect: 'NoSchedule' });
  }
  return taints;
}

function requirementMatches(r: Requirement, get: (k: string) => string | undefined): boolean {
  const v = get(r.key);
  const vals = r.values ?? [];
  switch (r.operator) {
    case 'In': return v !== undefined && vals.includes(v);
    case 'NotIn': return v === undefined || !vals.includes(v);
    case 'Exists': return v !== undefined;
    case 'DoesNotExist': return v === undefined;
    case 'Gt': return v !== undefined && vals.length === 1 && Number(v) > Number(vals[0]);
    case 'Lt': return v !== undefined && vals.length === 1 && Number(v) < Number(vals[0]);
    default: return false;
  }
}

/** Whether a node selector term matches a node. */
export function termMatches(t: Term, n: SchedNode): boolean {
  const exprs = t.matchExpressions ?? [], fields = t.matchFields ?? [];
  if (exprs.length + fields.length === 0) return false;
  const labels = n.metadata.labels ?? {};
  return exprs.every((r) => requirementMatches(r, (k) => labels[k])) &&
    fields.every((r) => requirementMatches(r, (k) => (k === 'metadata.name' ? n.metadata.name : undefined)));
}

/** nodeSelector plus requiredDuringSchedulingIgnoredDuringExecution node affinity. */
export function matchesAffinity(pod: Pod, n: SchedNode): boolean {
  const labels = n.metadata.labels ?? {};
  if (!Object.entries(pod.spec?.nodeSelector ?? {}).every(([k, v]) => labels[k] === v)) return false;
  const req = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution as { nodeSelectorTerms?: Term[] } | undefined;
  if (!req) return true;
  return (req.nodeSelectorTerms ?? []).some((t) => termMatches(t, n));
}

/** The first filter that rejects the node, as its reason; undefined when the pod fits. */
export function filterNode(pod: Pod, n: SchedNode): string | undefined {
  const tols = (pod.spec?.tolerations ?? []) as Toleration[];
  if (n.spec?.unschedulable && !tols.some((t) => tolerates(t, { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }))) {
    return REASON_UNSCHEDULABLE;
  }
  const bad = effectiveTaints(n).find((t) => (t.effect === 'NoSchedule' || t.effect === 'NoExecute') && !tols.some((x) => tolerates(x, t)));
  if (bad) return REASON_TAINT;
  if (!matchesAffinity(pod, n)) return REASON_AFFINITY;
  return undefined;
}

/** FitError.Error(): `0/N nodes are available: <histogram>. preemption: …`. */
export function fitErrorMessage(pod: Pod, total: number, reasons: string[], preFilter?: string): string {
  const counts = new Map<string, number>();
  for (const r of reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
  const hist = [...counts].map(([r, c]) => `${c} ${r}`).sort();
  let msg = `0/${total} nodes are available:`;
  if (preFilter) msg += ` ${preFilter}.`;
  if (hist.length) msg += ` ${hist.join(', ')}.`;
  if (pod.spec?.preemptionPolicy === 'Never') return `${msg} preemption: not eligible due to preemptionPolicy=Never.`;
  return `${msg} preemption: 0/${total} nodes are available: ${total} Preemption is not helpful for scheduling.`;
}
