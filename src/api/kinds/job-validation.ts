/** Job defaulting (SetDefaults_Job), selector generation (jobStrategy) and validation (ValidateJob, ValidateJobUpdate). */
import type { Job, JobSpec } from './job.js';
import { field, type FieldError } from '../errors.js';
import { GoValue, goStringMap } from '../gofmt.js';
import { selectorMatches, selectorValue, validateLabelSelector } from '../labels.js';
import { randomSuffix } from '../../apiserver/storage/meta.js';
import { defaultPodSpec } from './pod-defaults.js';
import { validatePodTemplateSpec } from './pod-validation.js';
import { nonNegative, semanticEqual } from './apps-common.js';

/** The label selecting a Job's pods by its UID. */
export const CONTROLLER_UID_LABEL = 'batch.kubernetes.io/controller-uid';
/** The label naming a pod's Job. */
export const JOB_NAME_LABEL = 'batch.kubernetes.io/job-name';
/** The pre-1.27 spellings of the two labels, still set. */
export const LEGACY_CONTROLLER_UID_LABEL = 'controller-uid';
/** The pre-1.27 job-name label. */
export const LEGACY_JOB_NAME_LABEL = 'job-name';

/** SetDefaults_Job plus pod template defaults. */
export function defaultJob(job: Job): void {
  const spec = (job.spec ??= { template: {} });
  if (spec.completions === undefined && spec.parallelism === undefined) spec.completions = 1;
  spec.parallelism ??= 1;
  spec.backoffLimit ??= spec.backoffLimitPerIndex !== undefined ? 2147483647 : 6;
  const tplLabels = spec.template?.metadata?.labels;
  if (tplLabels && Object.keys(job.metadata.labels ?? {}).length === 0) job.metadata.labels = { ...tplLabels };
  spec.completionMode ??= 'NonIndexed';
  spec.suspend ??= false;
  spec.podReplacementPolicy ??= spec.podFailurePolicy ? 'Failed' : 'TerminatingOrFailed';
  spec.manualSelector ??= false;
  for (const r of spec.podFailurePolicy?.rules ?? []) for (const p of r.onPodConditions ?? []) p.status ||= 'True';
  spec.template ??= {};
  defaultPodSpec((spec.template.spec ??= { containers: [] } as never));
}

/**
 * generateSelector of the Job strategy (on create, unless manualSelector): the template gets the
 * job-name and controller-uid labels (both spellings) and the selector matches the UID.
 */
export function generateSelector(job: Job): void {
  const spec = job.spec;
  if (!spec || spec.manualSelector === true) return;
  // kube-apiserver names the object before the strategy runs; knet does it here for this kind.
  if (!job.metadata.name && job.metadata.generateName) job.metadata.name = job.metadata.generateName + randomSuffix();
  const name = job.metadata.name ?? '', uid = job.metadata.uid ?? '';
  const tpl = (spec.template ??= {});
  const labels = ((tpl.metadata ??= {}).labels ??= {});
  for (const k of [LEGACY_JOB_NAME_LABEL, JOB_NAME_LABEL]) labels[k] ??= name;
  for (const k of [LEGACY_CONTROLLER_UID_LABEL, CONTROLLER_UID_LABEL]) labels[k] ??= uid;
  const sel = (spec.selector ??= {});
  (sel.matchLabels ??= {})[CONTROLLER_UID_LABEL] ??= uid;
}

/** ValidateGeneratedSelector: the selector and template labels must be the generated ones. */
function validateGenerated(job: Job): FieldError[] {
  const errs: FieldError[] = [];
  const uid = job.metadata.uid ?? '';
  const spec = job.spec;
  if (!spec?.selector) return errs;
  if (!selectorMatches(spec.selector, { [CONTROLLER_UID_LABEL]: uid })) {
    errs.push(field.invalid('spec.selector', selectorValue(spec.selector), '`selector` not auto-generated'));
  }
  const labels = spec.template?.metadata?.labels ?? {};
  const want: [string, string][] = [[CONTROLLER_UID_LABEL, uid], [JOB_NAME_LABEL, job.metadata.name ?? '']];
  for (const [k, v] of want) {
    if (labels[k] !== undefined && labels[k] !== v) errs.push(field.invalid(`spec.template.metadata.labels[${k}]`, labels[k], `must be '${v}'`));
  }
  return errs;
}

/** validateJobSpec: counts, completion mode and the pod template (restartPolicy OnFailure or Never). */
export function validateJobSpec(spec: JobSpec, path: string, requireSelector: boolean): FieldError[] {
  const errs: FieldError[] = [];
  for (const k of ['parallelism', 'completions', 'activeDeadlineSeconds', 'backoffLimit', 'ttlSecondsAfterFinished'] as const) {
    const v = spec[k];
    if (v !== undefined) errs.push(...nonNegative(v, `${path}.${k}`));
  }
  if (spec.activeDeadlineSeconds !== undefined && spec.activeDeadlineSeconds <= 0) {
    errs.push(field.invalid(`${path}.activeDeadlineSeconds`, spec.activeDeadlineSeconds, 'must be greater than 0'));
  }
  if (spec.completionMode !== undefined && spec.completionMode !== 'NonIndexed' && spec.completionMode !== 'Indexed') {
    errs.push(field.notSupported(`${path}.completionMode`, spec.completionMode, ['NonIndexed', 'Indexed']));
  }
  if (spec.completionMode === 'Indexed' && spec.completions === undefined) {
    errs.push(field.required(`${path}.completions`, 'when completion mode is Indexed'));
  }
  if (spec.selector) errs.push(...validateLabelSelector(spec.selector, `${path}.selector`));
  else if (requireSelector) errs.push(field.required(`${path}.selector`, ''));
  const labels = spec.template?.metadata?.labels;
  if (spec.selector && !selectorMatches(spec.selector, labels ?? {})) {
    errs.push(field.invalid(`${path}.template.metadata.labels`, new GoValue(goStringMap(labels)), '`selector` does not match template `labels`'));
  }
  errs.push(...validatePodTemplateSpec(spec.template, `${path}.template`));
  const restart = spec.template?.spec?.restartPolicy ?? '';
  if (restart !== 'OnFailure' && restart !== 'Never') {
    errs.push(field.notSupported(`${path}.template.spec.restartPolicy`, restart, ['OnFailure', 'Never']));
  }
  if (spec.podFailurePolicy) errs.push(...validatePodFailurePolicy(spec, path));
  return errs;
}

/** validatePodFailurePolicy: restartPolicy Never, known actions and operators, no 0 for `In`. */
function validatePodFailurePolicy(spec: JobSpec, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const restart = spec.template?.spec?.restartPolicy ?? '';
  if (restart !== 'Never') errs.push(field.invalid(`${path}.template.spec.restartPolicy`, restart, 'only "Never" is supported when podFailurePolicy is specified'));
  (spec.podFailurePolicy?.rules ?? []).forEach((r, i) => {
    const rp = `${path}.podFailurePolicy.rules[${i}]`;
    if (!['Count', 'FailIndex', 'FailJob', 'Ignore'].includes(r.action)) errs.push(field.notSupported(`${rp}.action`, r.action, ['Count', 'FailIndex', 'FailJob', 'Ignore']));
    const ec = r.onExitCodes;
    if (ec && ec.operator !== 'In' && ec.operator !== 'NotIn') errs.push(field.notSupported(`${rp}.onExitCodes.operator`, ec.operator, ['In', 'NotIn']));
    if (ec?.operator === 'In') ec.values.forEach((v, j) => { if (v === 0) errs.push(field.invalid(`${rp}.onExitCodes.values[${j}]`, 0, 'must not be 0 for the In operator')); });
  });
  return errs;
}

/** ValidateJob (create). */
export function validateJob(job: Job): FieldError[] {
  const errs = job.spec?.manualSelector === true ? [] : validateGenerated(job);
  errs.push(...validateJobSpec(job.spec ?? { template: {} }, 'spec', true));
  return errs;
}

type Template = JobSpec['template'];

/** The template without the scheduling directives a suspended, never-started Job may change. */
function withoutScheduling(t: Template): unknown {
  const spec = { ...(t.spec ?? {}) } as Record<string, unknown>;
  for (const k of ['nodeSelector', 'affinity', 'tolerations', 'schedulingGates']) delete spec[k];
  return { spec };
}

/** ValidateJobSpecUpdate: selector, completion mode and (unless suspended and not started) template are immutable. */
export function validateJobUpdate(job: Job, old: Job): FieldError[] {
  const errs = validateJobSpec(job.spec ?? { template: {} }, 'spec', true);
  const spec = job.spec ?? { template: {} }, was = old.spec ?? { template: {} };
  if (!semanticEqual(spec.selector, was.selector)) errs.push(field.invalid('spec.selector', selectorValue(spec.selector), 'field is immutable'));
  const elastic = spec.completionMode === 'Indexed' && spec.completions === spec.parallelism && was.completions === was.parallelism;
  if (spec.completions !== was.completions && !elastic) errs.push(field.invalid('spec.completions', spec.completions ?? null, 'field is immutable'));
  if (spec.completionMode !== was.completionMode) errs.push(field.invalid('spec.completionMode', spec.completionMode ?? '', 'field is immutable'));
  const mutableScheduling = was.suspend === true && !old.status?.startTime;
  const same = mutableScheduling ? semanticEqual(withoutScheduling(spec.template), withoutScheduling(was.template)) : semanticEqual(spec.template, was.template);
  if (!same) errs.push(field.invalid('spec.template', new GoValue('core.PodTemplateSpec{...}'), 'field is immutable'));
  return errs;
}
