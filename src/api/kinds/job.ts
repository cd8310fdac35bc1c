/** Job (batch/v1): runs pods until a number of them complete. */
import { Obj, Opt, Str, Int32, Int64, Bool, List, Enum, Time, type Static } from '../schema.js';
import { kindProps, LabelSelector, type KObject } from '../meta.js';
import type { ResourceDef } from '../resource.js';
import { age, ageColumn, col, formatLabelSelector, humanDuration, nameColumn } from '../printers/util.js';
import { PodTemplateSpecSchema } from './pod-spec.js';
import { containerCells } from './apps-common.js';
import { defaultJob, generateSelector, validateJob, validateJobUpdate } from './job-validation.js';

const B = 'io.k8s.api.batch.v1.';

const PodFailurePolicyRuleSchema = Obj(B + 'PodFailurePolicyRule', 'An action taken when a pod failure matches.', {
  action: Str('FailJob, FailIndex, Ignore or Count.'),
  onExitCodes: Opt(Obj(B + 'PodFailurePolicyOnExitCodesRequirement', 'Matches container exit codes.', {
    containerName: Opt(Str('The container whose exit code is checked; all when absent.')),
    operator: Str('In or NotIn.'),
    values: List(Int32('An exit code.'), 'Exit codes.', { 'x-kubernetes-list-type': 'set' }),
  })),
  onPodConditions: Opt(List(Obj(B + 'PodFailurePolicyOnPodConditionsPattern', 'Matches a pod condition.', {
    type: Str('The pod condition type.'),
    status: Opt(Str('The condition status; True by default.')),
  }), 'Pod condition patterns.', { 'x-kubernetes-list-type': 'atomic' })),
});

const SuccessPolicyRuleSchema = Obj(B + 'SuccessPolicyRule', 'A rule declaring the Job succeeded.', {
  succeededIndexes: Opt(Str('Indexes that must succeed, as in `1,3-5`.')),
  succeededCount: Opt(Int32('How many of succeededIndexes must succeed.')),
});

export const JobSpecSchema = Obj(B + 'JobSpec', 'The desired behaviour of a Job.', {
  parallelism: Opt(Int32('Maximum pods running at once.')),
  completions: Opt(Int32('Successfully finished pods needed; absent means any success ends the Job.')),
  activeDeadlineSeconds: Opt(Int64('Seconds after startTime before the Job is terminated.')),
  podFailurePolicy: Opt(Obj(B + 'PodFailurePolicy', 'How pod failures are handled.', {
    rules: List(PodFailurePolicyRuleSchema, 'Rules evaluated in order.', { 'x-kubernetes-list-type': 'atomic' }),
  })),
  successPolicy: Opt(Obj(B + 'SuccessPolicy', 'When the Job is declared succeeded.', {
    rules: List(SuccessPolicyRuleSchema, 'Rules.', { 'x-kubernetes-list-type': 'atomic' }),
  })),
  backoffLimit: Opt(Int32('Retries before the Job fails; 6 by default.')),
  backoffLimitPerIndex: Opt(Int32('Retries per index (Indexed Jobs).')),
  maxFailedIndexes: Opt(Int32('Failed indexes before the Job fails.')),
  selector: Opt(LabelSelector),
  manualSelector: Opt(Bool('Whether the selector is chosen by the user rather than generated.')),
  template: PodTemplateSpecSchema,
  ttlSecondsAfterFinished: Opt(Int32('Seconds after finishing before the Job is deleted.')),
  completionMode: Opt(Enum('NonIndexed (default) or Indexed.', ['NonIndexed', 'Indexed'])),
  suspend: Opt(Bool('Whether the Job controller should create no pods.')),
  podReplacementPolicy: Opt(Enum('When replacement pods are created.', ['TerminatingOrFailed', 'Failed'])),
  managedBy: Opt(Str('The controller that manages the Job.')),
}, { required: ['template'] } as never);

export const JobConditionSchema = Obj(B + 'JobCondition', 'One aspect of the state of a Job.', {
  type: Str('Complete, Failed, Suspended, FailureTarget or SuccessCriteriaMet.'),
  status: Str('True, False or Unknown.'),
  lastProbeTime: Opt(Time),
  lastTransitionTime: Opt(Time),
  reason: Opt(Str('Reason for the last transition, in CamelCase.')),
  message: Opt(Str('Human-readable details.')),
});

export const JobStatusSchema = Obj(B + 'JobStatus', 'The observed state of a Job.', {
  conditions: Opt(List(JobConditionSchema, 'Latest observations of the Job.', { 'x-kubernetes-patch-merge-key': 'type', 'x-kubernetes-patch-strategy': 'merge', 'x-kubernetes-list-type': 'atomic' })),
  startTime: Opt(Time),
  completionTime: Opt(Time),
  active: Opt(Int32('Pods pending or running.')),
  succeeded: Opt(Int32('Pods that succeeded.')),
  failed: Opt(Int32('Pods that failed.')),
  terminating: Opt(Int32('Pods terminating.')),
  completedIndexes: Opt(Str('Completed indexes, as in `1,3-5`.')),
  failedIndexes: Opt(Str('Failed indexes, as in `1,3-5`.')),
  uncountedTerminatedPods: Opt(Obj(B + 'UncountedTerminatedPods', 'Finished pods not yet counted in the status.', {
    succeeded: Opt(List(Str('A pod UID.'), 'Succeeded pod UIDs.', { 'x-kubernetes-list-type': 'set' })),
    failed: Opt(List(Str('A pod UID.'), 'Failed pod UIDs.', { 'x-kubernetes-list-type': 'set' })),
  })),
  ready: Opt(Int32('Active pods that are ready.')),
});

export const JobSchema = Obj(B + 'Job', 'A single job: pods run until enough of them finish successfully.', kindProps({
  spec: Opt(JobSpecSchema),
  status: Opt(JobStatusSchema),
}), { 'x-kubernetes-group-version-kind': [{ group: 'batch', version: 'v1', kind: 'Job' }] });
export type Job = Static<typeof JobSchema> & KObject;
/** A Job's spec. */
export type JobSpec = NonNullable<Job['spec']>;
/** A Job's status. */
export type JobStatus = NonNullable<Job['status']>;
/** One Job condition. */
export type JobCondition = Static<typeof JobConditionSchema>;

/** Whether the Job has a True condition of this type (hasJobCondition). */
export function hasJobCondition(job: Pick<Job, 'status'>, type: string): boolean {
  return !!job.status?.conditions?.some((c) => c.type === type && c.status === 'True');
}

/** The Status cell of the printer (printJob, 1.30+). */
export function jobStatusCell(job: Job): string {
  if (hasJobCondition(job, 'Complete')) return 'Complete';
  if (hasJobCondition(job, 'Failed')) return 'Failed';
  if (job.metadata.deletionTimestamp) return 'Terminating';
  if (hasJobCondition(job, 'Suspended')) return 'Suspended';
  if (hasJobCondition(job, 'FailureTarget')) return 'FailureTarget';
  if (hasJobCondition(job, 'SuccessCriteriaMet')) return 'SuccessCriteriaMet';
  return 'Running';
}

function completionsCell(job: Job): string {
  const done = job.status?.succeeded ?? 0;
  if (job.spec?.completions !== undefined) return `${done}/${job.spec.completions}`;
  const par = job.spec?.parallelism ?? 0;
  return par > 1 ? `${done}/1 of ${par}` : `${done}/1`;
}

function durationCell(job: Job, now: Date): string {
  const start = job.status?.startTime;
  if (!start) return '';
  const end = job.status?.completionTime ? Date.parse(job.status.completionTime) : now.getTime();
  return humanDuration(end - Date.parse(start));
}

export const jobDef: ResourceDef<Job> = {
  group: 'batch', version: 'v1', kind: 'Job', plural: 'jobs', singular: 'job',
  namespaced: true, shortNames: [], categories: ['all'],
  schema: JobSchema, statusSubresource: true, generation: true,
  default: defaultJob,
  validate: (job) => validateJob(job),
  validateUpdate: (job, old) => validateJobUpdate(job, old),
  prepareForCreate: (job) => { job.status = {}; generateSelector(job); },
  columns: [
    nameColumn,
    col('Status', 'string', 'Status of the job.'),
    col('Completions', 'string', 'The number of pods which reached phase Succeeded.'),
    col('Duration', 'string', 'Time required to complete the job.'),
    ageColumn,
    col('Containers', 'string', 'Names of each container in the template.', 1),
    col('Images', 'string', 'Images referenced by each container in the template.', 1),
    col('Selector', 'string', 'A label query over pods that should match the pod count.', 1),
  ],
  row: (job, now) => [
    job.metadata.name ?? '', jobStatusCell(job), completionsCell(job), durationCell(job, now),
    age(job.metadata.creationTimestamp, now), ...containerCells(job.spec?.template), formatLabelSelector(job.spec?.selector),
  ],
};
