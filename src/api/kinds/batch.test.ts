import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jobDef, type Job } from './job.js';
import { cronJobDef, type CronJob } from './cronjob.js';
import { generateSelector } from './job-validation.js';
import { formatFieldError } from '../errors.js';

const now = new Date('2026-01-01T01:00:00Z');
const UID = '0b5b7a9e-1111-4222-8333-944445555666';

/** What `kubectl create job hi --image=busybox -- echo hi` sends, after the server gave it a UID. */
function created(): Job {
  return {
    kind: 'Job', apiVersion: 'batch/v1',
    metadata: { name: 'hi', namespace: 'default', uid: UID, creationTimestamp: '2026-01-01T00:00:00Z' },
    spec: { template: { metadata: {}, spec: { restartPolicy: 'Never', containers: [{ name: 'hi', image: 'busybox', command: ['echo', 'hi'], resources: {} }] } } },
  };
}
const prepared = (j = created()) => { jobDef.prepareForCreate?.(j); jobDef.default?.(j); return j; };
const errors = (j: Job) => (jobDef.validate?.(j, { operation: 'create' }) ?? []).map(formatFieldError);

test('Job defaults and the generated selector are those of kube-apiserver', () => {
  const j = prepared();
  const { template, ...rest } = j.spec!;
  assert.deepEqual(rest, {
    backoffLimit: 6, completionMode: 'NonIndexed', completions: 1, manualSelector: false, parallelism: 1,
    podReplacementPolicy: 'TerminatingOrFailed', suspend: false,
    selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': UID } },
  });
  const labels = { 'batch.kubernetes.io/controller-uid': UID, 'batch.kubernetes.io/job-name': 'hi', 'controller-uid': UID, 'job-name': 'hi' };
  assert.deepEqual(template.metadata?.labels, labels);
  assert.deepEqual(j.metadata.labels, labels, 'the Job takes the template labels when it has none');
  assert.equal(template.spec?.terminationGracePeriodSeconds, 30);
  assert.deepEqual(errors(j), []);
  const work = created();
  work.spec!.parallelism = 3;
  prepared(work);
  assert.equal(work.spec!.completions, undefined, 'a work queue Job keeps completions unset');
});

test('Job validation messages', () => {
  const always = created();
  always.spec!.template.spec!.restartPolicy = 'Always';
  assert.deepEqual(errors(prepared(always)), ['spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"']);
  const neg = prepared();
  neg.spec!.backoffLimit = -1;
  neg.spec!.completionMode = 'Sometimes' as never;
  assert.deepEqual(errors(neg), [
    'spec.backoffLimit: Invalid value: -1: must be greater than or equal to 0',
    'spec.completionMode: Unsupported value: "Sometimes": supported values: "NonIndexed", "Indexed"',
  ]);
  const indexed = created();
  indexed.spec!.parallelism = 2;
  indexed.spec!.completionMode = 'Indexed';
  assert.deepEqual(errors(prepared(indexed)), ['spec.completions: Required value: when completion mode is Indexed']);
  const policy = created();
  policy.spec!.template.spec!.restartPolicy = 'OnFailure';
  policy.spec!.podFailurePolicy = { rules: [{ action: 'FailJob', onExitCodes: { operator: 'In', values: [0, 3] } }, { action: 'Retry', onPodConditions: [] }] };
  assert.deepEqual(errors(prepared(policy)), [
    'spec.template.spec.restartPolicy: Invalid value: "OnFailure": only "Never" is supported when podFailurePolicy is specified',
    'spec.podFailurePolicy.rules[0].onExitCodes.values[0]: Invalid value: 0: must not be 0 for the In operator',
    'spec.podFailurePolicy.rules[1].action: Unsupported value: "Retry": supported values: "Count", "FailIndex", "FailJob", "Ignore"',
  ]);
  const wrongUid = created();
  wrongUid.spec!.selector = { matchLabels: { 'batch.kubernetes.io/controller-uid': 'other' } };
  generateSelector(wrongUid);
  assert.match(errors(wrongUid)[0] ?? '', /^spec\.selector: Invalid value: .*: `selector` not auto-generated$/);
});

test('Job template is immutable once started; selector always', () => {
  const old = prepared();
  const next = prepared(JSON.parse(JSON.stringify(old)) as Job);
  next.spec!.template.spec!.containers[0]!.image = 'busybox:1.36';
  assert.deepEqual((jobDef.validateUpdate?.(next, old) ?? []).map((e) => e.field), ['spec.template']);
  const suspended = prepared();
  suspended.spec!.suspend = true;
  const moved = JSON.parse(JSON.stringify(suspended)) as Job;
  moved.spec!.template.spec!.nodeSelector = { disk: 'ssd' };
  assert.deepEqual(jobDef.validateUpdate?.(moved, suspended) ?? [], [], 'scheduling directives of a suspended, unstarted Job may change');
});

test('Job printer: STATUS, COMPLETIONS and DURATION as printJob', () => {
  const j = prepared();
  const row = (o: Job) => jobDef.row(o, now);
  assert.deepEqual(row(j).slice(0, 5), ['hi', 'Running', '0/1', '', '60m']);
  j.status = { startTime: '2026-01-01T00:00:00Z', completionTime: '2026-01-01T00:00:07Z', succeeded: 1, conditions: [{ type: 'Complete', status: 'True' }] };
  assert.deepEqual(row(j), ['hi', 'Complete', '1/1', '7s', '60m', 'hi', 'busybox', `batch.kubernetes.io/controller-uid=${UID}`]);
  j.status = { startTime: '2026-01-01T00:58:00Z', conditions: [{ type: 'FailureTarget', status: 'True' }] };
  assert.deepEqual(row(j).slice(1, 4), ['FailureTarget', '0/1', '2m']);
  j.status.conditions = [{ type: 'Suspended', status: 'True' }];
  assert.equal(row(j)[1], 'Suspended');
  j.spec!.completions = undefined;
  j.spec!.parallelism = 3;
  assert.equal(row(j)[2], '0/1 of 3');
  assert.deepEqual(jobDef.columns.map((c) => c.name), ['Name', 'Status', 'Completions', 'Duration', 'Age', 'Containers', 'Images', 'Selector']);
});

function cron(spec: Partial<NonNullable<CronJob['spec']>> = {}): CronJob {
  const cj: CronJob = {
    kind: 'CronJob', apiVersion: 'batch/v1', metadata: { name: 'tick', namespace: 'default', creationTimestamp: '2026-01-01T00:00:00Z' },
    spec: { schedule: '*/1 * * * *', jobTemplate: { spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'c', image: 'busybox' }] } } } }, ...spec },
  };
  cronJobDef.default?.(cj);
  return cj;
}
const cronErrors = (cj: CronJob) => (cronJobDef.validate?.(cj, { operation: 'create' }) ?? []).map(formatFieldError);

test('CronJob defaults, validation and printer', () => {
  const cj = cron();
  assert.equal(cj.spec?.concurrencyPolicy, 'Allow');
  assert.equal(cj.spec?.suspend, false);
  assert.equal(cj.spec?.successfulJobsHistoryLimit, 3);
  assert.equal(cj.spec?.failedJobsHistoryLimit, 1);
  assert.equal(cj.spec?.jobTemplate.spec?.backoffLimit, undefined, 'Job defaults wait for the Job');
  assert.deepEqual(cronErrors(cj), []);
  assert.deepEqual(cronErrors(cron({ schedule: 'CRON_TZ=UTC 0 * * * *' })), ['spec.schedule: Invalid value: "CRON_TZ=UTC 0 * * * *": cannot use TZ or CRON_TZ in schedule, use timeZone field instead']);
  assert.deepEqual(cronErrors(cron({ schedule: 'every minute' })), ['spec.schedule: Invalid value: "every minute": expected exactly 5 fields, found 2: [every minute]']);
  assert.deepEqual(cronErrors(cron({ timeZone: 'Mars/Olympus' })), ['spec.timeZone: Invalid value: "Mars/Olympus": unknown time zone Mars/Olympus']);
  assert.deepEqual(cronErrors(cron({ timeZone: 'Local' })), ['spec.timeZone: Invalid value: "Local": timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones']);
  assert.deepEqual(cronErrors(cron({ concurrencyPolicy: 'Sometimes' })), ['spec.concurrencyPolicy: Unsupported value: "Sometimes": supported values: "Allow", "Forbid", "Replace"']);
  const always = cron();
  always.spec!.jobTemplate.spec!.template.spec!.restartPolicy = 'Always';
  assert.deepEqual(cronErrors(always), ['spec.jobTemplate.spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"']);
  const long = cron();
  long.metadata.name = 'x'.repeat(53);
  assert.deepEqual(cronErrors(long), [`metadata.name: Invalid value: "${'x'.repeat(53)}": must be no more than 52 characters`]);
  assert.deepEqual(cronJobDef.row(cj, now), ['tick', '*/1 * * * *', '<none>', 'False', 0, '<none>', '60m', 'c', 'busybox', '<none>']);
  cj.spec!.timeZone = 'Europe/Berlin';
  cj.status = { active: [{ name: 'tick-1' }], lastScheduleTime: '2026-01-01T00:59:00Z' };
  assert.deepEqual(cronJobDef.row(cj, now).slice(0, 6), ['tick', '*/1 * * * *', 'Europe/Berlin', 'False', 1, '60s']);
});
