/** The TTL-after-finished controller: deletes finished Jobs `ttlSecondsAfterFinished` after they finished (background propagation). */
import type { Job } from '../../api/kinds/job.js';
import type { Client } from '../../client/client.js';
import { keyOf, splitKey } from '../../client/informer.js';
import { WorkQueue } from '../../client/workqueue.js';
import { EventRecorder } from '../events.js';
import type { ControllerContext } from '../context.js';

const JOBS = { resource: 'jobs', group: 'batch' };

/** When a Job finished: its Complete or Failed condition's transition time (jobFinishTime). */
export function finishTime(job: Job): number | undefined {
  const c = job.status?.conditions?.find((x) => (x.type === 'Complete' || x.type === 'Failed') && x.status === 'True');
  if (!c) return undefined;
  const t = Date.parse(c.lastTransitionTime ?? '');
  return Number.isNaN(t) ? undefined : t;
}

/** Milliseconds until the Job expires (0: now), or undefined when it never does (timeLeft). */
export function expiresIn(job: Job, now: number): number | undefined {
  const ttl = job.spec?.ttlSecondsAfterFinished;
  const done = finishTime(job);
  if (ttl === undefined || done === undefined || job.metadata.deletionTimestamp) return undefined;
  return Math.max(0, done + ttl * 1000 - now);
}

/** A running TTL-after-finished controller. */
export interface TTLController { stop(): void; queue: WorkQueue; recorder: EventRecorder }

/** Starts the controller; `now` is the clock (tests inject one). */
export function startTTLAfterFinishedController(client: Client, ctx: ControllerContext, now: () => number = Date.now): TTLController {
  const recorder = new EventRecorder(client, 'ttl-after-finished-controller');
  const queue: WorkQueue = new WorkQueue((key) => reconcile(key), 2);
  const off = ctx.view.jobs.subscribe({ add: (o) => queue.add(keyOf(o)), update: (_, o) => queue.add(keyOf(o)) });

  async function reconcile(key: string): Promise<void> {
    const [ns, name] = splitKey(key);
    const job = ctx.view.jobs.get(ns, name);
    if (!job) return;
    const left = expiresIn(job, now());
    if (left === undefined) return;
    if (left > 0) { queue.addAfter(key, left); return; }
    // The controller checks the fresh object before deleting it, as upstream does.
    const fresh = client.get(JOBS, ns, name) as Job | undefined;
    if (!fresh || fresh.metadata.uid !== job.metadata.uid || (expiresIn(fresh, now()) ?? 1) > 0) return;
    await client.delete(JOBS, ns, name, { propagationPolicy: 'Background', preconditions: { uid: fresh.metadata.uid, resourceVersion: fresh.metadata.resourceVersion } });
  }

  return { stop: () => { off(); queue.stop(); }, queue, recorder };
}
