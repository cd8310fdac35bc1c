/**
 * How long stopping a cluster may take. `knet down` sends SIGTERM and waits DOWN_DEADLINE_MS before
 * it kills; the cluster process bounds its own shutdown below that: pods get their grace period up
 * to POD_SHUTDOWN_GRACE_MS (as the kubelet's graceful node shutdown caps each pod's grace at its
 * shutdownGracePeriod), and whatever is still pending at SHUTDOWN_DEADLINE_MS is abandoned.
 * Abandoning loses nothing acknowledged: the store flushes every write before acknowledging it.
 */

/** How long `knet down` waits after SIGTERM before it sends SIGKILL. */
export const DOWN_DEADLINE_MS = 15_000;
/** The cluster process exits by then after SIGTERM, whatever is still pending. */
export const SHUTDOWN_DEADLINE_MS = 10_000;
/** The longest grace period a pod gets when the cluster stops (its own when shorter). */
export const POD_SHUTDOWN_GRACE_MS = 8_000;

/** Runs `stop`, but resolves 'timeout' once `deadlineMs` has passed without it finishing (a failure counts as finished). */
export async function withDeadline(stop: () => Promise<unknown>, deadlineMs: number): Promise<'done' | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'timeout'>((resolve) => { timer = setTimeout(() => resolve('timeout'), deadlineMs); });
  try {
    return await Promise.race([stop().then(() => 'done' as const, () => 'done' as const), late]);
  } finally {
    clearTimeout(timer);
  }
}
