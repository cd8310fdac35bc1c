/**
 * The Job controller: runs a Job's pods until enough succeed (or it fails), tracking finished
 * pods with the `batch.kubernetes.io/job-tracking` finalizer through status.uncountedTerminatedPods
 * as upstream, and reporting active/ready/terminating, conditions and events.
 */
import type { Job, JobStatus } from '../../api/kinds/job.js';
import type { Pod } from '../../api/kinds/pod.js';
import type { Client } from '../../client/client.js';
import { keyOf, splitKey } from '../../client/informer.js';
import { WorkQueue } from '../../client/workqueue.js';
import { EventRecorder } from '../events.js';
import type { ControllerContext } from '../context.js';
import { PodIndex } from '../replicaset/pod-index.js';
import { controllerOf, isActive, isPodReady, isTerminating } from '../util/pods.js';
import { errorText, namespaceTerminating } from '../util/errors.js';
import { clone, rfc3339 } from '../../apiserver/storage/meta.js';
import { JOB_TRACKING_FINALIZER, activeRestarts, hasTrackingFinalizer, jobPod, podIndex } from './pods.js';
import { countReleased, recordFinished } from './tracking.js';
import { backoffDelay, decide, isFinished, recordedVerdict, setCondition, wantActive } from './status.js';
import { formatIndexes, parseIndexes } from './indexes.js';

const JOBS = { resource: 'jobs', group: 'batch' };
const PODS = { resource: 'pods' };
const BURST = 500;
const ORPHAN = 'pod:';

/** Options: the clock (tests inject one). */
export interface JobControllerOptions { now?: () => number }

/** A running Job controller. */
export interface JobController { stop(): void; queue: WorkQueue; recorder: EventRecorder }

/** Starts the controller. */
export function startJobController(client: Client, ctx: ControllerContext, opts: JobControllerOptions = {}): JobController {
  const { view } = ctx;
  const now = opts.now ?? Date.now;
  const recorder = new EventRecorder(client, 'job-controller');
  const queue: WorkQueue = new WorkQueue((key) => (key.startsWith(ORPHAN) ? releaseOrphan(key.slice(ORPHAN.length)) : reconcile(key)), 4);
  const later = ctx.batcher.batched(queue);
  /** Consecutive failures per Job UID and when the last one was counted (the backoff record). */
  const backoff = new Map<string, { failures: number; at: number }>();
  const onPod = (p: Pod | undefined) => {
    const ref = p && controllerOf(p);
    if (!p || ref?.kind !== 'Job') return;
    const job = view.jobs.get(p.metadata.namespace ?? '', ref.name);
    if (job?.metadata.uid === ref.uid) later(keyOf(job));
    else if (hasTrackingFinalizer(p)) queue.add(ORPHAN + keyOf(p));
  };
  const pods = new PodIndex(view, (prev, next) => { onPod(prev); onPod(next); });
  const offJobs = view.jobs.subscribe({
    add: (o) => queue.add(keyOf(o)), update: (_, o) => queue.add(keyOf(o)),
    delete: (o) => { backoff.delete(o.metadata.uid ?? ''); for (const p of pods.owned(o.metadata.uid ?? '')) onPod(p); },
  });

  async function removeFinalizer(p: Pod): Promise<void> {
    const fresh = client.get(PODS, p.metadata.namespace!, p.metadata.name!) as Pod | undefined;
    if (!fresh || fresh.metadata.uid !== p.metadata.uid || !hasTrackingFinalizer(fresh)) return;
    fresh.metadata.finalizers = fresh.metadata.finalizers!.filter((f) => f !== JOB_TRACKING_FINALIZER);
    if (!fresh.metadata.finalizers.length) delete fresh.metadata.finalizers;
    await client.update(PODS, fresh);
  }

  /** A pod whose Job is gone keeps no tracking finalizer (the orphan pod cleanup). */
  async function releaseOrphan(key: string): Promise<void> {
    const [ns, name] = splitKey(key);
    const p = view.pods.get(ns, name);
    const ref = p && controllerOf(p);
    if (!p || !ref || view.jobs.get(ns, ref.name)?.metadata.uid === ref.uid) return;
    await removeFinalizer(p);
  }

  async function reconcile(key: string): Promise<void> {
    const [ns, name] = splitKey(key);
    const seen = view.jobs.get(ns, name); // shared: never mutated here
    if (!seen) return;
    // A Job managed by another controller (spec.managedBy) is left alone, as upstream.
    if (seen.spec?.managedBy && seen.spec.managedBy !== 'kubernetes.io/job-controller') return;
    let job: Job = seen;
    const uid = job.metadata.uid!;
    const owned = pods.owned(uid);
    if (isFinished(job)) {
      await Promise.all(owned.filter(hasTrackingFinalizer).map(removeFinalizer));
      return;
    }
    const t = now();
    const st: JobStatus = clone(job.status ?? {});
    const indexed = job.spec?.completionMode === 'Indexed';
    const completed = parseIndexes(st.completedIndexes, job.spec?.completions ?? 0);
    // 1. Finished pods still holding the finalizer are recorded as uncounted, then released, then counted.
    const rec = recordFinished(job, st, owned, completed);
    if (rec.write) {
      if (indexed) st.completedIndexes = formatIndexes(completed);
      job = await client.update(JOBS, { ...job, status: st }, 'status') as Job;
    }
    await Promise.all(rec.release.map(removeFinalizer));
    const done = countReleased(st, rec.uncounted, new Set(pods.owned(uid).filter(hasTrackingFinalizer).map((p) => p.metadata.uid!)));
    if (done.failed) backoff.set(uid, { failures: (backoff.get(uid)?.failures ?? 0) + done.failed, at: t });
    else if (done.succeeded) backoff.delete(uid);
    // 2. Active pods, the verdict, and the pods to run.
    let active = owned.filter(isActive);
    const suspended = job.spec?.suspend === true;
    if (!suspended && !st.startTime) st.startTime = rfc3339(new Date(t));
    let verdict = recordedVerdict(job) ?? (rec.failJob ? { type: 'FailureTarget' as const, reason: 'PodFailurePolicy', message: rec.failJob } : undefined);
    verdict ??= decide({ ...job, status: st }, { succeeded: st.succeeded ?? 0, failed: st.failed ?? 0, active: active.length, completed, restarts: activeRestarts(active) }, t);
    let requeue: number | undefined;
    let syncErr: unknown;
    try {
      if (verdict) {
        setCondition(st, verdict.type, 'True', verdict.reason, verdict.message, t);
        await deletePods(job, active);
        active = [];
      } else if (suspended) {
        if (active.length) await deletePods(job, active);
        active = [];
        if (!job.status?.conditions?.some((c) => c.type === 'Suspended' && c.status === 'True')) {
          setCondition(st, 'Suspended', 'True', 'JobSuspended', 'Job suspended', t);
          recorder.event(job, 'Normal', 'Suspended', 'Job suspended');
        }
      } else {
        if (job.status?.conditions?.some((c) => c.type === 'Suspended' && c.status === 'True')) {
          setCondition(st, 'Suspended', 'False', 'JobResumed', 'Job resumed', t);
          st.startTime = rfc3339(new Date(t));
          recorder.event(job, 'Normal', 'Resumed', 'Job resumed');
        }
        // A Job being deleted (foreground) gets no new pods while its dependents go.
        if (!job.metadata.deletionTimestamp) requeue = await managePods(job, active, st.succeeded ?? 0, completed, t);
      }
    } catch (e) { syncErr = e; }
    const all = pods.owned(uid);
    const terminating = all.filter(isTerminating).length;
    // 3. The final condition once no pod of the Job is left running.
    if (verdict && terminating === 0 && !all.some((p) => isActive(p))) {
      if (verdict.type === 'SuccessCriteriaMet') {
        setCondition(st, 'Complete', 'True', verdict.reason, verdict.message, t);
        st.completionTime = rfc3339(new Date(t));
        recorder.event(job, 'Normal', 'Completed', 'Job completed');
      } else {
        setCondition(st, 'Failed', 'True', verdict.reason, verdict.message, t);
        recorder.event(job, 'Warning', verdict.reason, verdict.message);
      }
    }
    const running = all.filter((p) => isActive(p));
    st.active = running.length;
    st.ready = running.filter(isPodReady).length;
    st.terminating = terminating;
    if (indexed) st.completedIndexes = formatIndexes(completed);
    // active, succeeded and failed are omitempty in JobStatus; ready and terminating are pointers (0 is shown).
    for (const k of ['active', 'succeeded', 'failed'] as const) if (!st[k]) delete st[k];
    if (JSON.stringify(st) !== JSON.stringify(job.status ?? {})) await client.update(JOBS, { ...job, status: st }, 'status');
    if (syncErr !== undefined) throw syncErr;
    const ads = job.spec?.activeDeadlineSeconds;
    if (ads !== undefined && st.startTime && !verdict && !suspended) {
      const left = Date.parse(st.startTime) + ads * 1000 - t;
      requeue = Math.min(requeue ?? Infinity, Math.max(left, 0) + 10);
    }
    if (requeue !== undefined && Number.isFinite(requeue)) queue.addAfter(key, requeue);
  }

  /**
   * Creates or deletes pods towards the wanted number; returns a delay when the failure backoff
   * holds creation back. With podReplacementPolicy Failed, terminating pods still take their place.
   */
  async function managePods(job: Job, active: Pod[], succeeded: number, completed: Set<number>, t: number): Promise<number | undefined> {
    const par = job.spec?.parallelism ?? 1;
    const waiting = job.spec?.podReplacementPolicy === 'Failed' ? pods.owned(job.metadata.uid!).filter(isTerminating) : [];
    if (job.spec?.completionMode === 'Indexed') {
      const running = new Set([...active, ...waiting].map(podIndex));
      const missing: number[] = [];
      for (let i = 0; i < (job.spec.completions ?? 0) && missing.length + running.size < par; i++) {
        if (!completed.has(i) && !running.has(i)) missing.push(i);
      }
      if (active.length > par) return void await deletePods(job, active.slice(par));
      return createPods(job, missing, t);
    }
    const want = wantActive(job, succeeded, active.length);
    if (active.length > want) return void await deletePods(job, active.slice(0, active.length - want));
    return createPods(job, Array.from({ length: Math.min(want - active.length - waiting.length, BURST) }, () => undefined), t);
  }

  async function createPods(job: Job, indexes: (number | undefined)[], t: number): Promise<number | undefined> {
    if (!indexes.length) return undefined;
    const b = backoff.get(job.metadata.uid!);
    const wait = b ? b.at + backoffDelay(b.failures) - t : 0;
    if (wait > 0) return wait;
    let left = indexes;
    // Slow start: batches of 1, 2, 4, … stop at the first batch with a failure.
    for (let batch = 1; left.length; batch *= 2) {
      const now = left.slice(0, batch);
      left = left.slice(batch);
      const results = await Promise.allSettled(now.map((i) => createPod(job, i)));
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
    }
    return undefined;
  }

  async function createPod(job: Job, index: number | undefined): Promise<void> {
    try {
      const pod = await client.create(PODS, jobPod(job, index));
      recorder.event(job, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`);
    } catch (e) {
      if (namespaceTerminating(e)) return;
      recorder.event(job, 'Warning', 'FailedCreate', `Error creating: ${errorText(e)}`);
      throw e;
    }
  }

  async function deletePods(job: Job, victims: Pod[]): Promise<void> {
    const results = await Promise.allSettled(victims.map(async (p) => {
      await client.delete(PODS, p.metadata.namespace!, p.metadata.name!, { preconditions: { uid: p.metadata.uid } });
      recorder.event(job, 'Normal', 'SuccessfulDelete', `Deleted pod: ${p.metadata.name}`);
    }));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  return { stop: () => { offJobs(); pods.stop(); queue.stop(); }, queue, recorder };
}
