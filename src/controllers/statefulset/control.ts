/**
 * One pass of StatefulSet pod management (stateful_set_control.go updateStatefulSet): create missing
 * ordinals, replace failed pods, delete condemned ordinals from the highest down, then roll the
 * template out from the highest ordinal down to the partition. OrderedReady stops at the first pod
 * that is not Running and Ready; Parallel does everything at once.
 */
import type { StatefulSet } from '../../api/kinds/statefulset.js';
import type { Pod } from '../../api/kinds/pod.js';
import type { PodTemplateSpec } from '../../api/kinds/pod-spec.js';
import { scaled } from '../deployment/util.js';
import { isPodAvailable, isPodReady } from '../util/pods.js';
import { identityMatches, newPod, ordinalOf, revisionOf, setIdentity, startOrdinal } from './identity.js';

/** A revision's name and pod template. */
export interface Revision { name: string; template: PodTemplateSpec }

/** The writes a pass may make. */
export interface SetOps {
  createPod(pod: Pod, ord: number): Promise<void>;
  deletePod(pod: Pod): Promise<void>;
  /** Deletes a pod of an ordinal beyond the replicas (scale down). */
  condemn(pod: Pod): Promise<void>;
  updatePod(pod: Pod): Promise<void>;
}

const terminating = (p: Pod) => !!p.metadata.deletionTimestamp;
const failed = (p: Pod) => p.status?.phase === 'Failed' || p.status?.phase === 'Succeeded';
/** isRunningAndReady. */
export const runningAndReady = (p: Pod) => p.status?.phase === 'Running' && isPodReady(p);
const healthy = (p: Pod, minReady: number, now: number) => runningAndReady(p) && !terminating(p) && isPodAvailable(p, minReady, now);

/** The pods of the set split into the replicas (by ordinal index) and the condemned (highest ordinal first). */
export function splitPods(s: StatefulSet, pods: Pod[]): { replicas: (Pod | undefined)[]; condemned: Pod[] } {
  const start = startOrdinal(s), n = s.spec?.replicas ?? 1;
  const replicas: (Pod | undefined)[] = Array.from({ length: n }, () => undefined);
  const condemned: Pod[] = [];
  for (const p of pods) {
    const ord = ordinalOf(s, p);
    if (ord >= start && ord < start + n) replicas[ord - start] = p;
    else if (ord >= 0) condemned.push(p);
  }
  condemned.sort((a, b) => ordinalOf(s, b) - ordinalOf(s, a));
  return { replicas, condemned };
}

/** The revision a new pod of ordinal `ord` gets: current below the partition, update at or above it. */
function revisionFor(s: StatefulSet, ord: number, current: Revision, update: Revision): Revision {
  const st = s.spec?.updateStrategy;
  if (st?.type !== 'RollingUpdate') return update;
  const below = st.rollingUpdate ? ord < startOrdinal(s) + (st.rollingUpdate.partition ?? 0) : ord < startOrdinal(s) + (s.status?.currentReplicas ?? 0);
  return below ? current : update;
}

/** Runs one pass; returns when it must wait (OrderedReady) or has nothing left to do. */
export async function syncPods(ops: SetOps, s: StatefulSet, pods: Pod[], current: Revision, update: Revision, now: number): Promise<void> {
  const monotonic = s.spec?.podManagementPolicy !== 'Parallel';
  const minReady = s.spec?.minReadySeconds ?? 0;
  const start = startOrdinal(s);
  const { replicas, condemned } = splitPods(s, pods);
  const firstUnhealthy = [...replicas, ...condemned].find((p) => !p || !healthy(p, minReady, now));

  for (let i = 0; i < replicas.length; i++) {
    const p = replicas[i], ord = start + i;
    if (p && failed(p) && !terminating(p)) {
      await ops.deletePod(p);
      replicas[i] = undefined;
      if (monotonic) return;
      continue;
    }
    if (!p) {
      const rev = revisionFor(s, ord, current, update);
      await ops.createPod(newPod(s, rev.template, rev.name, ord), ord);
      if (monotonic) return;
      continue;
    }
    if (terminating(p) || !healthy(p, minReady, now)) {
      if (monotonic) return;
      continue;
    }
    if (!identityMatches(s, p, ord)) {
      const fixed = structuredClone(p);
      setIdentity(s, fixed, ord);
      await ops.updatePod(fixed);
    }
  }

  for (const p of condemned) {
    if (terminating(p)) {
      if (monotonic) return;
      continue;
    }
    // OrderedReady deletes an unhealthy condemned pod only when it is the first unhealthy one.
    if (monotonic && !healthy(p, minReady, now) && firstUnhealthy !== p) return;
    await ops.condemn(p);
    if (monotonic) return;
  }

  const st = s.spec?.updateStrategy;
  if (st?.type !== 'RollingUpdate') return;
  const updateMin = Math.min(st.rollingUpdate?.partition ?? 0, replicas.length);
  const maxUnavailable = Math.max(1, scaled(st.rollingUpdate?.maxUnavailable ?? 1, replicas.length, true));
  let unavailable = 0;
  for (let t = replicas.length - 1; t >= updateMin; t--) {
    const p = replicas[t];
    if (!p || !healthy(p, minReady, now)) unavailable++;
  }
  for (let t = replicas.length - 1; t >= updateMin && unavailable < maxUnavailable; t--) {
    const p = replicas[t];
    if (!p || terminating(p) || revisionOf(p) === update.name) continue;
    await ops.deletePod(p);
    unavailable++;
  }
}
