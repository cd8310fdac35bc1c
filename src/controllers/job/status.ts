/** Job status arithmetic: conditions, how many pods to run, and when the Job succeeds or fails (syncJob's decisions). */
import { hasJobCondition, type Job, type JobCondition, type JobStatus } from '../../api/kinds/job.js';
import { rfc3339 } from '../../apiserver/storage/meta.js';
import { parseIndexes } from './indexes.js';

/** Reasons and messages of the finishing conditions (batch/v1 JobReason*). */
export const FINISH = {
  backoff: { reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' },
  deadline: { reason: 'DeadlineExceeded', message: 'Job was active longer than specified deadline' },
  completions: { reason: 'CompletionsReached', message: 'Reached expected number of succeeded pods' },
} as const;

/** A finishing verdict: the interim condition type and its reason. */
export interface Verdict { type: 'FailureTarget' | 'SuccessCriteriaMet'; reason: string; message: string }

/** Sets (or flips) a condition, keeping lastTransitionTime when the status is unchanged (ensureJobConditionStatus). */
export function setCondition(st: JobStatus, type: string, status: 'True' | 'False', reason: string, message: string, now: number): void {
  const conds = (st.conditions ??= []);
  const c = conds.find((x) => x.type === type);
  const t = rfc3339(new Date(now));
  if (!c) { conds.push({ type, status, lastProbeTime: t, lastTransitionTime: t, reason, message } as JobCondition); return; }
  if (c.status === status && c.reason === reason && c.message === message) return;
  if (c.status !== status) c.lastTransitionTime = t;
  Object.assign(c, { status, reason, message, lastProbeTime: t });
}

/** The interim verdict already recorded in the status, if any. */
export function recordedVerdict(job: Job): Verdict | undefined {
  for (const type of ['FailureTarget', 'SuccessCriteriaMet'] as const) {
    const c = job.status?.conditions?.find((x) => x.type === type && x.status === 'True');
    if (c) return { type, reason: c.reason ?? '', message: c.message ?? '' };
  }
  return undefined;
}

/** Whether the Job finished (Complete or Failed is True). */
export function isFinished(job: Job): boolean {
  return hasJobCondition(job, 'Complete') || hasJobCondition(job, 'Failed');
}

/** What the counts say now: failure (backoff, deadline) before success, as syncJob checks them. */
export interface Counts { succeeded: number; failed: number; active: number; completed: Set<number>; restarts: number }

/** The verdict for counts at `now`, or undefined while the Job goes on. */
export function decide(job: Job, c: Counts, now: number): Verdict | undefined {
  const spec = job.spec;
  const limit = spec?.backoffLimit ?? 6;
  const onFailure = spec?.template?.spec?.restartPolicy === 'OnFailure';
  const pastOnFailure = onFailure && (limit === 0 ? c.restarts > 0 : c.restarts >= limit);
  if (c.failed > limit || pastOnFailure) return { type: 'FailureTarget', ...FINISH.backoff };
  const start = job.status?.startTime ? Date.parse(job.status.startTime) : NaN;
  if (spec?.activeDeadlineSeconds !== undefined && !spec.suspend && now - start >= spec.activeDeadlineSeconds * 1000) {
    return { type: 'FailureTarget', ...FINISH.deadline };
  }
  const completions = spec?.completions;
  const policy = spec?.completionMode === 'Indexed' ? matchSuccessPolicy(job, c.completed) : undefined;
  if (policy !== undefined) return { type: 'SuccessCriteriaMet', reason: 'SuccessPolicy', message: `Matched rules at index ${policy}` };
  const done = completions === undefined ? c.succeeded > 0 && c.active === 0
    : spec?.completionMode === 'Indexed' ? c.completed.size >= completions : c.succeeded >= completions;
  return done ? { type: 'SuccessCriteriaMet', ...FINISH.completions } : undefined;
}

/**
 * The index of the first successPolicy rule the completed indexes satisfy (matchSuccessPolicy):
 * succeededIndexes all done (or succeededCount of them), or succeededCount indexes done.
 */
export function matchSuccessPolicy(job: Job, completed: Set<number>): number | undefined {
  const rules = job.spec?.successPolicy?.rules ?? [];
  const completions = job.spec?.completions ?? 0;
  for (let i = 0; i < rules.length; i++) {
    const r = rules[i]!;
    if (r.succeededIndexes !== undefined) {
      const wanted = parseIndexes(r.succeededIndexes, completions);
      const done = [...wanted].filter((x) => completed.has(x)).length;
      if (r.succeededCount !== undefined ? done >= r.succeededCount : wanted.size > 0 && done === wanted.size) return i;
    } else if (r.succeededCount !== undefined && completed.size >= r.succeededCount) return i;
  }
  return undefined;
}

/** How many pods should run (NonIndexed): parallelism, capped by the completions left. */
export function wantActive(job: Job, succeeded: number, active: number): number {
  const par = job.spec?.parallelism ?? 1;
  const completions = job.spec?.completions;
  if (completions === undefined) return succeeded > 0 ? active : par;
  return Math.max(0, Math.min(par, completions - succeeded));
}

/** The delay before a replacement pod after `failures` consecutive failures (10s doubling, at most 10 minutes). */
export function backoffDelay(failures: number): number {
  return failures <= 0 ? 0 : Math.min(10_000 * 2 ** (failures - 1), 600_000);
}
