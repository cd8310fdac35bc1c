/** Rollout strategies (RollingUpdate, Recreate) and scaling of paused or resized deployments. */
import type { Deployment } from '../../api/kinds/deployment.js';
import type { ReplicaSet } from '../../api/kinds/replicaset.js';
import type { Pod } from '../../api/kinds/pod.js';
import type { SyncContext } from './context.js';
import { cleanup, newAndOld, newRSNewReplicas, scaleRS } from './replicasets.js';
import { isComplete, syncRolloutStatus, syncStatus } from './status.js';
import { DESIRED, MAX_REPLICAS, active, availableReplicas, byCreation, maxSurge, maxUnavailable, specReplicas } from './util.js';

const replicas = (d: Deployment) => d.spec?.replicas ?? 1;
const size = (rs: ReplicaSet) => rs.spec?.replicas ?? 0;
/** Go's math.Round: halves away from zero. */
const goRound = (x: number) => Math.sign(x) * Math.round(Math.abs(x));
const withNew = (old: ReplicaSet[], n?: ReplicaSet) => (n ? [...old, n] : old);

/** rolloutRolling: scale the new ReplicaSet up, then old ones down, within surge and unavailability limits. */
export async function rolloutRolling(ctx: SyncContext, d: Deployment, list: ReplicaSet[]): Promise<void> {
  const { newRS, oldRSs } = await newAndOld(ctx, d, list, true);
  const all = withNew(oldRSs, newRS);
  if (newRS && await reconcileNew(ctx, all, newRS, d)) return syncRolloutStatus(ctx, all, newRS, d);
  if (newRS && await reconcileOld(ctx, all, active(oldRSs), newRS, d)) return syncRolloutStatus(ctx, all, newRS, d);
  if (isComplete(d, d.status ?? {})) await cleanup(ctx, oldRSs, d);
  return syncRolloutStatus(ctx, all, newRS, d);
}

async function reconcileNew(ctx: SyncContext, all: ReplicaSet[], newRS: ReplicaSet, d: Deployment): Promise<boolean> {
  if (size(newRS) === replicas(d)) return false;
  if (size(newRS) > replicas(d)) return scaleRS(ctx, newRS, replicas(d), d);
  return scaleRS(ctx, newRS, newRSNewReplicas(d, all, newRS), d);
}

async function reconcileOld(ctx: SyncContext, all: ReplicaSet[], oldRSs: ReplicaSet[], newRS: ReplicaSet, d: Deployment): Promise<boolean> {
  if (specReplicas(oldRSs) === 0) return false;
  const minAvailable = replicas(d) - maxUnavailable(d);
  const newUnavailable = size(newRS) - (newRS.status?.availableReplicas ?? 0);
  const maxScaledDown = specReplicas(all) - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return false;
  // Unhealthy replicas first: they do not count towards availability anyway.
  let cleaned = 0;
  for (const rs of [...oldRSs].sort(byCreation)) {
    if (cleaned >= maxScaledDown) break;
    const avail = rs.status?.availableReplicas ?? 0;
    if (size(rs) === 0 || size(rs) === avail) continue;
    const n = Math.min(maxScaledDown - cleaned, size(rs) - avail);
    await scaleRS(ctx, rs, size(rs) - n, d);
    cleaned += n;
  }
  // Then healthy ones, as far as availability allows.
  const allNow = [...oldRSs, newRS];
  const availableNow = availableReplicas(allNow);
  let scaledDown = 0;
  if (availableNow > minAvailable) {
    const budget = availableNow - minAvailable;
    for (const rs of [...oldRSs].sort(byCreation)) {
      if (scaledDown >= budget) break;
      if (size(rs) === 0) continue;
      const n = Math.min(size(rs), budget - scaledDown);
      await scaleRS(ctx, rs, size(rs) - n, d);
      scaledDown += n;
    }
  }
  return cleaned + scaledDown > 0;
}

/** rolloutRecreate: scale everything old to zero, wait for its pods to go, then scale the new one up. */
export async function rolloutRecreate(ctx: SyncContext, d: Deployment, list: ReplicaSet[], podsOf: (rs: ReplicaSet) => Pod[]): Promise<void> {
  let { newRS, oldRSs } = await newAndOld(ctx, d, list, false);
  let all = withNew(oldRSs, newRS);
  let scaled = false;
  for (const rs of active(oldRSs)) if (await scaleRS(ctx, rs, 0, d)) scaled = true;
  if (scaled) return syncRolloutStatus(ctx, all, newRS, d);
  const oldRunning = oldRSs.some((rs) => (rs.status?.replicas ?? 0) > 0 ||
    podsOf(rs).some((p) => p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed'));
  if (oldRunning) return syncRolloutStatus(ctx, all, newRS, d);
  if (!newRS) {
    ({ newRS, oldRSs } = await newAndOld(ctx, d, list, true));
    all = withNew(oldRSs, newRS);
  }
  if (newRS) await scaleRS(ctx, newRS, replicas(d), d);
  if (isComplete(d, d.status ?? {})) await cleanup(ctx, oldRSs, d);
  return syncRolloutStatus(ctx, all, newRS, d);
}

/** isScalingEvent: some active ReplicaSet was sized for a different replica count. */
export async function isScalingEvent(ctx: SyncContext, d: Deployment, list: ReplicaSet[]): Promise<boolean> {
  const { newRS, oldRSs } = await newAndOld(ctx, d, list, false);
  return active(withNew(oldRSs, newRS)).some((rs) => {
    const v = rs.metadata.annotations?.[DESIRED];
    return v !== undefined && Number(v) !== replicas(d);
  });
}

/** sync: scaling and cleanup for paused deployments and scaling events, then status. */
export async function sync(ctx: SyncContext, d: Deployment, list: ReplicaSet[]): Promise<void> {
  const { newRS, oldRSs } = await newAndOld(ctx, d, list, false);
  await scale(ctx, d, newRS, oldRSs);
  if (d.spec?.paused) await cleanup(ctx, oldRSs, d);
  return syncStatus(ctx, withNew(oldRSs, newRS), newRS, d);
}

async function scale(ctx: SyncContext, d: Deployment, newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[]): Promise<void> {
  const activeAll = active(withNew(oldRSs, newRS));
  if (activeAll.length <= 1) {
    // FindActiveOrLatest: the only active ReplicaSet, else the new one, else the newest old one.
    const target = activeAll[0] ?? newRS ?? [...oldRSs].sort(byCreation).at(-1);
    if (target && size(target) !== replicas(d)) await scaleRS(ctx, target, replicas(d), d);
    return;
  }
  if (newRS && Number(newRS.metadata.annotations?.[DESIRED]) === replicas(d) && size(newRS) === replicas(d) &&
    (newRS.status?.availableReplicas ?? 0) === replicas(d)) {
    for (const rs of active(oldRSs)) await scaleRS(ctx, rs, 0, d);
    return;
  }
  if (d.spec?.strategy?.type === 'Recreate') return;
  const allowed = replicas(d) > 0 ? replicas(d) + maxSurge(d) : 0;
  const toAdd = allowed - specReplicas(activeAll);
  // Larger first; newer first when scaling up, older first when scaling down.
  const newer = (a: ReplicaSet, b: ReplicaSet) => byCreation(b, a);
  activeAll.sort((a, b) => size(b) - size(a) || (toAdd > 0 ? newer(a, b) : byCreation(a, b)));
  const sizes = new Map<ReplicaSet, number>();
  let added = 0;
  for (const rs of activeAll) {
    const p = toAdd !== 0 ? proportion(rs, d, toAdd, added) : 0;
    sizes.set(rs, size(rs) + p);
    added += p;
  }
  for (const [i, rs] of activeAll.entries()) {
    let n = sizes.get(rs)!;
    if (i === 0 && toAdd !== 0) n = Math.max(0, n + toAdd - added);
    await scaleRS(ctx, rs, n, d, true);
  }
}

function proportion(rs: ReplicaSet, d: Deployment, toAdd: number, added: number): number {
  if (size(rs) === 0 || toAdd === 0 || toAdd === added) return 0;
  let fraction: number;
  if (replicas(d) === 0) fraction = -size(rs);
  else {
    let before = Number(rs.metadata.annotations?.[MAX_REPLICAS] ?? 0) || 0;
    if (!before) before = d.status?.replicas ?? 0;
    fraction = before === 0 ? 0 : goRound((size(rs) * (replicas(d) + maxSurge(d))) / before) - size(rs);
  }
  const allowed = toAdd - added;
  return allowed > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}
