/**
 * The CronJob controller (cronjob_controllerv2): creates a Job for each schedule time, honouring
 * time zones, startingDeadlineSeconds, concurrencyPolicy and suspend, keeps status.active,
 * lastScheduleTime and lastSuccessfulTime, and trims finished Jobs to the history limits.
 */
import type { CronJob, CronJobStatus } from '../../api/kinds/cronjob.js';
import type { Job } from '../../api/kinds/job.js';
import { hasJobCondition } from '../../api/kinds/job.js';
import { knownTimeZone, parseSchedule, type Schedule } from '../../api/kinds/cron-schedule.js';
import type { Client } from '../../client/client.js';
import { keyOf, splitKey } from '../../client/informer.js';
import { WorkQueue } from '../../client/workqueue.js';
import { StatusError } from '../../api/errors.js';
import { EventRecorder } from '../events.js';
import type { ControllerContext } from '../context.js';
import { controllerOf, controllerRef } from '../util/pods.js';
import { errorText, namespaceTerminating } from '../util/errors.js';
import { clone, rfc3339 } from '../../apiserver/storage/meta.js';
import { TOO_MANY_MISSED, jobNameFor, mostRecentScheduleTime, nextScheduleTime, rfc3339In } from './schedule.js';

const JOBS = { resource: 'jobs', group: 'batch' };
const CRONJOBS = { resource: 'cronjobs', group: 'batch' };
const JOBS_BY_CONTROLLER = 'controllerUID';
/** The annotation with a created Job's schedule time. */
export const SCHEDULED_TIMESTAMP = 'batch.kubernetes.io/cronjob-scheduled-timestamp';

/** A running CronJob controller. */
export interface CronJobController { stop(): void; queue: WorkQueue; recorder: EventRecorder }

const finishedCondition = (j: Job) => (hasJobCondition(j, 'Complete') ? 'Complete' : hasJobCondition(j, 'Failed') ? 'Failed' : undefined);
const jobsByController = (j: Job) => { const r = controllerOf(j); return r?.kind === 'CronJob' ? [r.uid] : []; };

/** Starts the controller; `now` is the clock (tests inject one). */
export function startCronJobController(client: Client, ctx: ControllerContext, now: () => number = Date.now): CronJobController {
  const { view } = ctx;
  const recorder = new EventRecorder(client, 'cronjob-controller');
  const queue: WorkQueue = new WorkQueue((key) => reconcile(key), 2);
  view.jobs.addIndexers({ [JOBS_BY_CONTROLLER]: jobsByController });
  const enqueueOwner = (j: Job) => {
    const r = controllerOf(j);
    if (r?.kind === 'CronJob') queue.add(`${j.metadata.namespace}/${r.name}`);
  };
  const offJobs = view.jobs.subscribe({ add: enqueueOwner, update: (_, j) => enqueueOwner(j), delete: enqueueOwner });
  const offCJ = view.cronJobs.subscribe({ add: (o) => queue.add(keyOf(o)), update: (_, o) => queue.add(keyOf(o)) });

  async function reconcile(key: string): Promise<void> {
    const [ns, name] = splitKey(key);
    const cj = view.cronJobs.get(ns, name);
    if (!cj) return;
    const jobs = view.jobs.byIndex(JOBS_BY_CONTROLLER, cj.metadata.uid!);
    const st: CronJobStatus = clone(cj.status ?? {});
    const { requeue, err } = await sync(cj, jobs, st);
    await cleanupFinishedJobs(cj, jobs);
    if (JSON.stringify(st) !== JSON.stringify(cj.status ?? {})) await client.update(CRONJOBS, { ...cj, status: st }, 'status');
    if (err !== undefined) throw err;
    if (requeue !== undefined) queue.addAfter(key, requeue);
  }

  /** syncCronJob: reconciles status.active and creates the Job of the latest unmet schedule time. */
  async function sync(cj: CronJob, jobs: Job[], st: CronJobStatus): Promise<{ requeue?: number; err?: unknown }> {
    const t = now();
    const active = (st.active ??= []);
    const children = new Set<string>();
    for (const j of jobs) {
      children.add(j.metadata.uid!);
      const i = active.findIndex((r) => r.uid === j.metadata.uid);
      const cond = finishedCondition(j);
      if (i < 0 && !cond) {
        recorder.event(cj, 'Warning', 'UnexpectedJob', `Saw a job that the controller did not create or forgot: ${j.metadata.name}`);
      } else if (i >= 0 && cond) {
        active.splice(i, 1);
        recorder.event(cj, 'Normal', 'SawCompletedJob', `Saw completed job: ${j.metadata.name}, condition: ${cond}`);
      }
      const done = cond === 'Complete' ? j.status?.completionTime : undefined;
      if (done && (!st.lastSuccessfulTime || Date.parse(st.lastSuccessfulTime) < Date.parse(done))) st.lastSuccessfulTime = done;
    }
    for (const r of [...active]) {
      if (children.has(r.uid ?? '') || client.get(JOBS, r.namespace ?? '', r.name ?? '')?.metadata.uid === r.uid) continue;
      recorder.event(cj, 'Normal', 'MissingJob', `Active job went missing: ${r.name}`);
      active.splice(active.indexOf(r), 1);
    }
    if (!active.length) delete st.active;
    const spec = cj.spec;
    if (cj.metadata.deletionTimestamp || !spec) return {};
    if (spec.timeZone !== undefined && !knownTimeZone(spec.timeZone)) {
      recorder.event(cj, 'Warning', 'UnknownTimeZone', `invalid timeZone: "${spec.timeZone}": unknown time zone ${spec.timeZone}`);
      return {};
    }
    if (spec.suspend) return {};
    let sched: Schedule;
    try { sched = parseSchedule(spec.schedule, spec.timeZone); } catch (e) {
      recorder.event(cj, 'Warning', 'UnparseableSchedule', `unparseable schedule: "${spec.schedule}" : ${errorText(e)}`);
      return {};
    }
    const untilNext = () => nextScheduleTime(sched, t) - t + 100;
    const recent = mostRecentScheduleTime(cj, t, sched);
    if (recent.missed > TOO_MANY_MISSED) {
      recorder.event(cj, 'Warning', 'TooManyMissedTimes', `too many missed start times: ${recent.missed}. Set or decrease .spec.startingDeadlineSeconds or check clock skew`);
    }
    const scheduled = recent.time;
    if (scheduled === undefined) return { requeue: untilNext() };
    if (spec.startingDeadlineSeconds !== undefined && scheduled + spec.startingDeadlineSeconds * 1000 < t) {
      recorder.event(cj, 'Warning', 'MissSchedule', `Missed scheduled time to start a job: ${new Date(scheduled).toUTCString().replace('GMT', '+0000')}`);
      return { requeue: untilNext() };
    }
    const jobName = jobNameFor(cj, scheduled);
    if ((st.active ?? []).some((r) => r.name === jobName) || (st.lastScheduleTime && Date.parse(st.lastScheduleTime) === scheduled)) return { requeue: untilNext() };
    if (spec.concurrencyPolicy === 'Forbid' && (st.active?.length ?? 0) > 0) {
      recorder.event(cj, 'Normal', 'JobAlreadyActive', 'Not starting job because prior execution is running and concurrency policy is Forbid');
      return { requeue: untilNext() };
    }
    if (spec.concurrencyPolicy === 'Replace') {
      for (const r of [...(st.active ?? [])]) {
        const j = client.get(JOBS, r.namespace ?? '', r.name ?? '');
        if (j && !(await deleteJob(cj, j as Job))) return { err: new Error(`could not replace job ${r.name}`) };
        st.active!.splice(st.active!.indexOf(r), 1);
      }
      if (!st.active?.length) delete st.active;
    }
    let created: Job;
    try {
      created = await client.create(JOBS, jobFromTemplate(cj, scheduled, jobName)) as Job;
    } catch (e) {
      if (namespaceTerminating(e)) return {};
      if (e instanceof StatusError && e.status.reason === 'AlreadyExists') return { requeue: untilNext() };
      recorder.event(cj, 'Warning', 'FailedCreate', `Error creating job: ${errorText(e)}`);
      return { err: e };
    }
    recorder.event(cj, 'Normal', 'SuccessfulCreate', `Created job ${created.metadata.name}`);
    (st.active ??= []).push({ kind: 'Job', namespace: created.metadata.namespace, name: created.metadata.name, uid: created.metadata.uid, apiVersion: 'batch/v1', resourceVersion: created.metadata.resourceVersion });
    st.lastScheduleTime = rfc3339(new Date(scheduled));
    return { requeue: untilNext() };
  }

  /** Deletes a Job with background propagation; false when that failed. */
  async function deleteJob(cj: CronJob, j: Job): Promise<boolean> {
    try {
      await client.delete(JOBS, j.metadata.namespace!, j.metadata.name!, { propagationPolicy: 'Background' });
    } catch (e) {
      recorder.event(cj, 'Warning', 'FailedDelete', `Deleted job: ${errorText(e)}`);
      return false;
    }
    recorder.event(cj, 'Normal', 'SuccessfulDelete', `Deleted job ${j.metadata.name}`);
    return true;
  }

  /** Deletes the oldest finished Jobs beyond the history limits (cleanupFinishedJobs). */
  async function cleanupFinishedJobs(cj: CronJob, jobs: Job[]): Promise<void> {
    const limits = { Complete: cj.spec?.successfulJobsHistoryLimit, Failed: cj.spec?.failedJobsHistoryLimit };
    for (const cond of ['Complete', 'Failed'] as const) {
      const limit = limits[cond];
      if (limit === undefined) continue;
      const done = jobs.filter((j) => finishedCondition(j) === cond && !j.metadata.deletionTimestamp);
      done.sort((a, b) => startOf(a) - startOf(b));
      for (const j of done.slice(0, Math.max(0, done.length - limit))) await deleteJob(cj, j);
    }
  }

  return { stop: () => { offJobs(); offCJ(); queue.stop(); }, queue, recorder };
}

function startOf(j: Job): number {
  const t = Date.parse(j.status?.startTime ?? '');
  return Number.isNaN(t) ? Number.MAX_SAFE_INTEGER : t;
}

/** The Job for one schedule time (getJobFromTemplate2). */
export function jobFromTemplate(cj: CronJob, scheduled: number, name: string): Job {
  const tpl = cj.spec?.jobTemplate ?? {};
  const annotations = { ...(tpl.metadata?.annotations ?? {}), [SCHEDULED_TIMESTAMP]: rfc3339In(scheduled, cj.spec?.timeZone) };
  const metadata: Job['metadata'] = { name, namespace: cj.metadata.namespace, annotations, ownerReferences: [controllerRef(cj)] };
  if (tpl.metadata?.labels) metadata.labels = { ...tpl.metadata.labels };
  return { apiVersion: 'batch/v1', kind: 'Job', metadata, spec: clone(tpl.spec ?? { template: {} }) } as Job;
}
