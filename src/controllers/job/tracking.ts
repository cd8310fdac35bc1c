/**
 * Finished-pod accounting with the tracking finalizer (trackJobStatusAndRemoveFinalizers): finished
 * pods are first recorded in status.uncountedTerminatedPods, then their finalizer is removed, then
 * they move into succeeded/failed, so a pod is counted once even across restarts.
 */
import type { Job, JobStatus } from '../../api/kinds/job.js';
import type { Pod } from '../../api/kinds/pod.js';
import { hasTrackingFinalizer, isPodFailed, isTerminal, podIndex } from './pods.js';
import { applyPodFailurePolicy } from './failure-policy.js';

type Uncounted = { succeeded: string[]; failed: string[] };

/**
 * The outcome of recording: pods whose finalizer is to go, whether the status must be written
 * before that, and the message of a podFailurePolicy FailJob rule that matched.
 */
export interface Recorded { release: Pod[]; write: boolean; uncounted: Uncounted; failJob?: string }

function setUncounted(st: JobStatus, u: Uncounted): void {
  st.uncountedTerminatedPods = { ...(u.succeeded.length ? { succeeded: u.succeeded } : {}), ...(u.failed.length ? { failed: u.failed } : {}) };
}

/** Records the finished pods that still hold the finalizer in `st` (and succeeded indexes in `completed`). */
export function recordFinished(job: Job, st: JobStatus, owned: Pod[], completed: Set<number>): Recorded {
  const u: Uncounted = { succeeded: [...(st.uncountedTerminatedPods?.succeeded ?? [])], failed: [...(st.uncountedTerminatedPods?.failed ?? [])] };
  const known = new Set([...u.succeeded, ...u.failed]);
  const completions = job.spec?.completions ?? 0;
  const finished = owned.filter((p) => hasTrackingFinalizer(p) && (isTerminal(p) || p.metadata.deletionTimestamp));
  const fresh = finished.filter((p) => !known.has(p.metadata.uid!) && (p.status?.phase === 'Succeeded' || isPodFailed(p, job)));
  let failJob: string | undefined;
  for (const p of fresh) {
    if (p.status?.phase !== 'Succeeded') {
      // podFailurePolicy rules apply to pods that reached the Failed phase.
      const outcome = p.status?.phase === 'Failed' ? applyPodFailurePolicy(job, p) : { action: 'Count' as const };
      if (outcome.action === 'FailJob') failJob ??= outcome.message;
      if (outcome.action !== 'Ignore') u.failed.push(p.metadata.uid!);
      continue;
    }
    u.succeeded.push(p.metadata.uid!);
    const i = podIndex(p);
    if (job.spec?.completionMode === 'Indexed' && i !== undefined && i < completions) completed.add(i);
  }
  if (fresh.length) setUncounted(st, u);
  const release = finished.filter((p) => known.has(p.metadata.uid!) || fresh.includes(p));
  return { release, write: fresh.length > 0, uncounted: u, ...(failJob ? { failJob } : {}) };
}

/** Moves the uncounted pods no longer held by the finalizer into succeeded/failed; returns how many of each. */
export function countReleased(st: JobStatus, u: Uncounted, stillHeld: Set<string>): { succeeded: number; failed: number } {
  const done = { succeeded: u.succeeded.filter((x) => !stillHeld.has(x)).length, failed: u.failed.filter((x) => !stillHeld.has(x)).length };
  st.succeeded = (st.succeeded ?? 0) + done.succeeded;
  st.failed = (st.failed ?? 0) + done.failed;
  setUncounted(st, { succeeded: u.succeeded.filter((x) => stillHeld.has(x)), failed: u.failed.filter((x) => stillHeld.has(x)) });
  return done;
}
