/** The status a PodDisruptionBudget should have (pkg/controller/disruption/disruption.go trySync), as a pure function. */
import type { PodDisruptionBudget } from '../../api/kinds/pdb.js';
import type { Pod } from '../../api/kinds/pod.js';
import { selectorMatches } from '../../api/labels.js';
import { isPodReady } from '../util/pods.js';

/** How long an admitted eviction keeps its pod counted as disrupted (DeletionTimeout). */
export const DISRUPTED_POD_TIMEOUT_MS = 2 * 60_000;

/** The pods a budget covers: its namespace, its selector (an empty selector selects all, none selects nothing). */
export function podsOfBudget(pdb: PodDisruptionBudget, pods: readonly Pod[]): Pod[] {
  const sel = pdb.spec?.selector;
  if (!sel) return [];
  return pods.filter((p) => p.metadata.namespace === pdb.metadata.namespace && selectorMatches(sel, p.metadata.labels ?? {}));
}

/** Resolves an int-or-percent against a total, rounding up (GetScaledValueFromIntOrPercent with roundUp). */
export function scaled(v: number | string, total: number): number {
  return typeof v === 'number' ? v : Math.ceil((parseInt(v, 10) * total) / 100);
}

/**
 * The computed status: expected pods (the controllers' scale when a percentage or maxUnavailable is
 * used, else the pod count), desired and current healthy, allowed disruptions and the
 * DisruptionAllowed condition; `scale` gives the replicas of the pods' controllers.
 */
export function budgetStatus(pdb: PodDisruptionBudget, pods: readonly Pod[], scale: (pods: readonly Pod[]) => number, now: number): NonNullable<PodDisruptionBudget['status']> {
  const spec = pdb.spec ?? {};
  const live = pods.filter((p) => !p.metadata.deletionTimestamp);
  let expected: number, desired: number;
  if (spec.maxUnavailable !== undefined) {
    expected = scale(pods);
    desired = Math.max(0, expected - scaled(spec.maxUnavailable, expected));
  } else if (typeof spec.minAvailable === 'string') {
    expected = scale(pods);
    desired = scaled(spec.minAvailable, expected);
  } else {
    expected = live.length;
    desired = spec.minAvailable ?? 0;
  }
  const disrupted: Record<string, string> = {};
  for (const [name, at] of Object.entries(pdb.status?.disruptedPods ?? {})) {
    const p = live.find((x) => x.metadata.name === name);
    if (p && now - Date.parse(at) < DISRUPTED_POD_TIMEOUT_MS) disrupted[name] = at;
  }
  const healthy = live.filter((p) => isPodReady(p) && !(p.metadata.name! in disrupted)).length;
  const allowed = expected <= 0 ? 0 : Math.max(0, healthy - desired);
  const prev = pdb.status?.conditions?.find((c) => c.type === 'DisruptionAllowed');
  const status = allowed > 0 ? 'True' : 'False';
  const condition = {
    type: 'DisruptionAllowed', status, reason: allowed > 0 ? 'SufficientPods' : 'InsufficientPods', message: '',
    observedGeneration: pdb.metadata.generation,
    lastTransitionTime: prev?.status === status && prev.lastTransitionTime ? prev.lastTransitionTime : new Date(now).toISOString().replace(/\.\d+Z$/, 'Z'),
  };
  return {
    observedGeneration: pdb.metadata.generation, ...(Object.keys(disrupted).length ? { disruptedPods: disrupted } : {}),
    disruptionsAllowed: allowed, currentHealthy: healthy, desiredHealthy: desired, expectedPods: expected, conditions: [condition],
  };
}
