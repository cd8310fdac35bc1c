import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CronJob } from '../../api/kinds/cronjob.js';
import { parseSchedule } from '../../api/kinds/cron-schedule.js';
import { jobNameFor, mostRecentScheduleTime, rfc3339In } from './schedule.js';

const at = (s: string) => Date.parse(s);
const cj = (created: string, extra: { last?: string; sds?: number } = {}): CronJob => ({
  metadata: { name: 'tick', namespace: 'default', creationTimestamp: created },
  spec: { schedule: '*/1 * * * *', jobTemplate: {}, ...(extra.sds !== undefined ? { startingDeadlineSeconds: extra.sds } : {}) },
  status: extra.last ? { lastScheduleTime: extra.last } : {},
} as CronJob);

describe('mostRecentScheduleTime (cronjob utils.go)', () => {
  const every = parseSchedule('*/1 * * * *');

  it('nothing before the first schedule time after creation', () => {
    assert.deepEqual(mostRecentScheduleTime(cj('2026-01-01T10:00:10Z'), at('2026-01-01T10:00:50Z'), every), { missed: 0 });
  });

  it('the one time that passed', () => {
    assert.deepEqual(mostRecentScheduleTime(cj('2026-01-01T10:00:10Z'), at('2026-01-01T10:01:05Z'), every), { time: at('2026-01-01T10:01:00Z'), missed: 1 });
  });

  it('the latest of several missed times, counting them', () => {
    const r = mostRecentScheduleTime(cj('2026-01-01T10:00:10Z', { last: '2026-01-01T10:01:00Z' }), at('2026-01-01T10:05:30Z'), every);
    assert.deepEqual(r, { time: at('2026-01-01T10:05:00Z'), missed: 4 });
  });

  it('startingDeadlineSeconds limits how far back it looks', () => {
    const r = mostRecentScheduleTime(cj('2026-01-01T00:00:00Z', { sds: 120 }), at('2026-01-01T10:05:30Z'), every);
    assert.deepEqual(r, { time: at('2026-01-01T10:05:00Z'), missed: 2 });
    const many = mostRecentScheduleTime(cj('2026-01-01T00:00:00Z'), at('2026-01-01T10:05:30Z'), every);
    assert.equal(many.missed, 605);
  });

  it('irregular schedules find the true latest time', () => {
    const weekdays = parseSchedule('0 9 * * 1-5');
    // Created Friday 2026-01-02 08:00; by Monday 10:00 the Friday and Monday 09:00 times passed (not the weekend).
    const r = mostRecentScheduleTime(cj('2026-01-02T08:00:00Z'), at('2026-01-05T10:00:00Z'), weekdays);
    assert.equal(new Date(r.time!).toISOString(), '2026-01-05T09:00:00.000Z');
    assert.equal(r.missed >= 2, true);
    const sat = mostRecentScheduleTime(cj('2026-01-01T08:00:00Z'), at('2026-01-03T12:00:00Z'), weekdays);
    assert.equal(new Date(sat.time!).toISOString(), '2026-01-02T09:00:00.000Z', 'on Saturday the latest is Friday 09:00');
  });

  it('@every counts from the first activation', () => {
    const r = mostRecentScheduleTime(cj('2026-01-01T10:00:00Z'), at('2026-01-01T10:10:00Z'), parseSchedule('@every 3m'));
    assert.deepEqual(r, { time: at('2026-01-01T10:09:00Z'), missed: 3 });
  });
});

describe('job names and the scheduled-timestamp annotation', () => {
  it('names the Job by minutes since the epoch', () => {
    assert.equal(jobNameFor(cj('2026-01-01T00:00:00Z'), at('2026-01-01T10:01:00Z')), `tick-${at('2026-01-01T10:01:00Z') / 60000}`);
  });

  it('formats the time in the CronJob time zone as Go RFC3339 does', () => {
    assert.equal(rfc3339In(at('2026-01-01T10:01:00Z'), undefined), '2026-01-01T10:01:00Z');
    assert.equal(rfc3339In(at('2026-01-01T10:01:00Z'), 'Europe/Berlin'), '2026-01-01T11:01:00+01:00');
    assert.equal(rfc3339In(at('2026-07-01T10:01:00Z'), 'America/New_York'), '2026-07-01T06:01:00-04:00');
    assert.equal(rfc3339In(at('2026-01-01T10:01:00Z'), 'Europe/London'), '2026-01-01T10:01:00Z');
  });
});
