/** How the Job controller makes and reads its pods: the tracking finalizer, completion indexes and phases. */
import type { Job } from '../../api/kinds/job.js';
import type { Pod } from '../../api/kinds/pod.js';
import { podFromTemplate } from '../util/pods.js';

/** The finalizer that keeps a finished pod until the Job counted it. */
export const JOB_TRACKING_FINALIZER = 'batch.kubernetes.io/job-tracking';
/** The annotation (and label) carrying an Indexed Job pod's index. */
export const COMPLETION_INDEX = 'batch.kubernetes.io/job-completion-index';

/** Whether the pod still carries the tracking finalizer. */
export function hasTrackingFinalizer(p: Pod): boolean {
  return !!p.metadata.finalizers?.includes(JOB_TRACKING_FINALIZER);
}

/** Succeeded or Failed. */
export function isTerminal(p: Pod): boolean {
  return p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';
}

/** isPodFailed: Failed, or deleted before succeeding (unless only failed pods are replaced). */
export function isPodFailed(p: Pod, job: Job): boolean {
  if (p.status?.phase === 'Failed') return true;
  if (job.spec?.podReplacementPolicy === 'Failed') return false;
  return !!p.metadata.deletionTimestamp && p.status?.phase !== 'Succeeded';
}

/** The completion index of a pod of an Indexed Job, or undefined. */
export function podIndex(p: Pod): number | undefined {
  const v = p.metadata.annotations?.[COMPLETION_INDEX] ?? p.metadata.labels?.[COMPLETION_INDEX];
  return v !== undefined && /^\d+$/.test(v) ? Number(v) : undefined;
}

/** A pod for the Job (getPodsForJob's template): the tracking finalizer and, for Indexed Jobs, its index, hostname and JOB_COMPLETION_INDEX. */
export function jobPod(job: Job, index: number | undefined): Pod {
  const pod = podFromTemplate(job.spec?.template ?? {}, job);
  pod.metadata.finalizers = [...(pod.metadata.finalizers ?? []), JOB_TRACKING_FINALIZER];
  if (index === undefined) return pod;
  pod.metadata.generateName = `${job.metadata.name}-${index}-`;
  pod.metadata.annotations = { ...(pod.metadata.annotations ?? {}), [COMPLETION_INDEX]: String(index) };
  pod.metadata.labels = { ...(pod.metadata.labels ?? {}), [COMPLETION_INDEX]: String(index) };
  const spec = pod.spec!;
  spec.hostname ||= `${job.metadata.name}-${index}`;
  const env = { name: 'JOB_COMPLETION_INDEX', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: `metadata.annotations['${COMPLETION_INDEX}']` } } };
  for (const c of [...(spec.initContainers ?? []), ...spec.containers]) {
    if (!(c.env ?? []).some((e) => e.name === 'JOB_COMPLETION_INDEX')) c.env = [...(c.env ?? []), env];
  }
  return pod;
}

/** Container restarts of pending or running pods (pastBackoffLimitOnFailure's count). */
export function activeRestarts(pods: Pod[]): number {
  let n = 0;
  for (const p of pods) {
    if (p.status?.phase !== 'Running' && p.status?.phase !== 'Pending') continue;
    for (const c of [...(p.status.initContainerStatuses ?? []), ...(p.status.containerStatuses ?? [])]) n += c.restartCount ?? 0;
  }
  return n;
}
