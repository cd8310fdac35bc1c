/** CronJob (batch/v1): creates Jobs on a repeating schedule. */
import { Obj, Opt, Str, Int32, Int64, Bool, List, Enum, Time, type Static } from '../schema.js';
import { kindProps, ObjectMeta, type KObject } from '../meta.js';
import type { ResourceDef } from '../resource.js';
import { field, type FieldError } from '../errors.js';
import { age, ageColumn, col, formatLabelSelector, nameColumn } from '../printers/util.js';
import { containerCells, nonNegative } from './apps-common.js';
import { defaultPodSpec } from './pod-defaults.js';
import { ObjectReference } from './pod-spec-common.js';
import { JobSpecSchema, type JobSpec } from './job.js';
import { validateJobSpec } from './job-validation.js';
import { knownTimeZone, parseSchedule } from './cron-schedule.js';

const B = 'io.k8s.api.batch.v1.';

export const JobTemplateSpecSchema = Obj(B + 'JobTemplateSpec', 'The Job a CronJob creates.', {
  metadata: Opt(ObjectMeta),
  spec: Opt(JobSpecSchema),
});

export const CronJobSchema = Obj(B + 'CronJob', 'Runs a Job on a schedule.', kindProps({
  spec: Opt(Obj(B + 'CronJobSpec', 'The schedule and the Job to create.', {
    schedule: Str('The schedule in Cron format.'),
    timeZone: Opt(Str('The time zone name for the schedule; the controller manager\'s by default.')),
    startingDeadlineSeconds: Opt(Int64('Deadline in seconds for starting a Job that missed its time.')),
    concurrencyPolicy: Opt(Enum('Allow (default), Forbid or Replace.', ['Allow', 'Forbid', 'Replace'])),
    suspend: Opt(Bool('Suspends subsequent executions.')),
    jobTemplate: JobTemplateSpecSchema,
    successfulJobsHistoryLimit: Opt(Int32('Finished successful Jobs kept; 3 by default.')),
    failedJobsHistoryLimit: Opt(Int32('Failed Jobs kept; 1 by default.')),
  }, { required: ['schedule', 'jobTemplate'] } as never)),
  status: Opt(Obj(B + 'CronJobStatus', 'The observed state of a CronJob.', {
    active: Opt(List(ObjectReference, 'Jobs running now.', { 'x-kubernetes-list-type': 'atomic' })),
    lastScheduleTime: Opt(Time),
    lastSuccessfulTime: Opt(Time),
  })),
}), { 'x-kubernetes-group-version-kind': [{ group: 'batch', version: 'v1', kind: 'CronJob' }] });
export type CronJob = Static<typeof CronJobSchema> & KObject;
/** A CronJob's status. */
export type CronJobStatus = NonNullable<CronJob['status']>;

/** SetDefaults_CronJob plus the Job template defaults. */
export function defaultCronJob(cj: CronJob): void {
  const spec = (cj.spec ??= { schedule: '', jobTemplate: {} });
  spec.concurrencyPolicy ||= 'Allow';
  spec.suspend ??= false;
  spec.successfulJobsHistoryLimit ??= 3;
  spec.failedJobsHistoryLimit ??= 1;
  // SetObjectDefaults_CronJob defaults only the pod template; SetDefaults_Job runs when the Job is created.
  const tpl = ((spec.jobTemplate ??= {}).spec ??= { template: {} }).template ??= {};
  defaultPodSpec((tpl.spec ??= { containers: [] } as never));
}

/** validateTimeZone. */
function validateTimeZone(tz: string, path: string): FieldError[] {
  if (tz === '') return [field.invalid(path, tz, 'timeZone must be nil or non-empty string')];
  for (const part of tz.split('/')) {
    if (part === '.' || part === '..' || part.startsWith('-') || !/^[A-Za-z._+\-0-9]+$/.test(part)) return [field.invalid(path, tz, `unknown time zone ${tz}`)];
  }
  if (tz.toLowerCase() === 'local') return [field.invalid(path, tz, 'timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones')];
  return knownTimeZone(tz) ? [] : [field.invalid(path, tz, `unknown time zone ${tz}`)];
}

/** ValidateCronJobCreate / ValidateCronJobSpec; `allowTZ` when the stored schedule already used TZ= (updates). */
export function validateCronJob(cj: CronJob, allowTZ = false): FieldError[] {
  const errs: FieldError[] = [];
  if ((cj.metadata.name ?? '').length > 52) errs.push(field.invalid('metadata.name', cj.metadata.name, 'must be no more than 52 characters'));
  const spec = cj.spec ?? { schedule: '', jobTemplate: {} };
  if (!spec.schedule) errs.push(field.required('spec.schedule', ''));
  else {
    try { parseSchedule(spec.schedule); } catch (e) { errs.push(field.invalid('spec.schedule', spec.schedule, (e as Error).message)); }
    if (allowTZ && spec.schedule.includes('TZ') && spec.timeZone !== undefined) {
      errs.push(field.invalid('spec.schedule', spec.schedule, 'cannot use both timeZone field and TZ or CRON_TZ in schedule'));
    } else if (!allowTZ && spec.schedule.includes('TZ')) {
      errs.push(field.invalid('spec.schedule', spec.schedule, 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead'));
    }
  }
  if (spec.startingDeadlineSeconds !== undefined) errs.push(...nonNegative(spec.startingDeadlineSeconds, 'spec.startingDeadlineSeconds'));
  const cp = spec.concurrencyPolicy ?? '';
  if (!cp) errs.push(field.required('spec.concurrencyPolicy', ''));
  else if (!['Allow', 'Forbid', 'Replace'].includes(cp)) errs.push(field.notSupported('spec.concurrencyPolicy', cp, ['Allow', 'Forbid', 'Replace']));
  if (spec.timeZone !== undefined) errs.push(...validateTimeZone(spec.timeZone, 'spec.timeZone'));
  for (const k of ['successfulJobsHistoryLimit', 'failedJobsHistoryLimit'] as const) {
    const v = spec[k];
    if (v !== undefined) errs.push(...nonNegative(v, `spec.${k}`));
  }
  errs.push(...validateJobSpec(spec.jobTemplate?.spec ?? ({ template: {} } as JobSpec), 'spec.jobTemplate.spec', false));
  return errs;
}

function printBoolPtr(v: boolean | undefined): string {
  return v === undefined ? '<unset>' : v ? 'True' : 'False';
}

export const cronJobDef: ResourceDef<CronJob> = {
  group: 'batch', version: 'v1', kind: 'CronJob', plural: 'cronjobs', singular: 'cronjob',
  namespaced: true, shortNames: ['cj'], categories: ['all'],
  schema: CronJobSchema, statusSubresource: true, generation: true,
  default: defaultCronJob,
  validate: (cj) => validateCronJob(cj),
  prepareForCreate: (cj) => { cj.status = {}; },
  columns: [
    nameColumn,
    col('Schedule', 'string', 'The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron.'),
    col('Timezone', 'string', 'The time zone name for the given schedule, see https://en.wikipedia.org/wiki/List_of_tz_database_time_zones.'),
    col('Suspend', 'boolean', 'This flag tells the controller to suspend subsequent executions, it does not apply to already started executions.  Defaults to false.'),
    col('Active', 'integer', 'A list of pointers to currently running jobs.'),
    col('Last Schedule', 'string', 'Information when was the last time the job was successfully scheduled.'),
    ageColumn,
    col('Containers', 'string', 'Names of each container in the template.', 1),
    col('Images', 'string', 'Images referenced by each container in the template.', 1),
    col('Selector', 'string', 'A label query over pods that should match the pod count.', 1),
  ],
  row: (cj, now) => [
    cj.metadata.name ?? '', cj.spec?.schedule ?? '', cj.spec?.timeZone ?? '<none>', printBoolPtr(cj.spec?.suspend),
    cj.status?.active?.length ?? 0, cj.status?.lastScheduleTime ? age(cj.status.lastScheduleTime, now) : '<none>',
    age(cj.metadata.creationTimestamp, now), ...containerCells(cj.spec?.jobTemplate?.spec?.template),
    formatLabelSelector(cj.spec?.jobTemplate?.spec?.selector),
  ],
};
