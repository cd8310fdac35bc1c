/** The CronJob controller's time arithmetic (utils.go): the most recent missed schedule, the next one, and Job names. */
import type { CronJob } from '../../api/kinds/cronjob.js';
import type { Schedule } from '../../api/kinds/cron-schedule.js';

/** The most recent unmet schedule time at `now` and how many were missed (mostRecentScheduleTime). */
export interface Missed { time?: number; missed: number }

/** More missed times than this give the TooManyMissedTimes warning. */
export const TOO_MANY_MISSED = 100;

/**
 * The latest schedule time in (earliest, now], where earliest is the last schedule (or the
 * creation) moved up to `now - startingDeadlineSeconds` when that is later.
 */
export function mostRecentScheduleTime(cj: CronJob, now: number, sched: Schedule): Missed {
  let earliest = Date.parse(cj.status?.lastScheduleTime ?? cj.metadata.creationTimestamp ?? '');
  if (Number.isNaN(earliest)) earliest = now;
  const sds = cj.spec?.startingDeadlineSeconds;
  if (sds !== undefined) earliest = Math.max(earliest, now - sds * 1000);
  const t1 = sched.next(earliest);
  if (t1 > now) return { missed: 0 };
  const t2 = sched.next(t1);
  if (t2 > now) return { time: t1, missed: 1 };
  // Upstream estimates the count from the first interval; the time itself is the latest activation.
  const missed = Math.floor((now - t1) / (t2 - t1)) + 1;
  return { time: Math.max(t2, sched.latest(now, t1)), missed: Math.max(missed, 2) };
}

/** The first schedule time after `now` (nextScheduleTime's requeue target). */
export function nextScheduleTime(sched: Schedule, now: number): number {
  return sched.next(now);
}

/** The name of the Job for a schedule time: `<cronjob>-<minutes since the epoch>` (getJobName). */
export function jobNameFor(cj: CronJob, scheduled: number): string {
  return `${cj.metadata.name}-${Math.floor(scheduled / 60_000)}`;
}

/** RFC 3339 of an instant in a time zone, as Go's time.Format(time.RFC3339) prints it (`Z` for UTC). */
export function rfc3339In(t: number, tz: string | undefined): string {
  const zone = tz || 'UTC';
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-US', {
    timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).formatToParts(new Date(t)).map((p) => [p.type, p.value]));
  const local = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  const off = Math.round((local - Math.floor(t / 1000) * 1000) / 60_000);
  const sign = off < 0 ? '-' : '+', a = Math.abs(off);
  const zoneText = off === 0 ? 'Z' : `${sign}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}${zoneText}`;
}
