import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CronJob } from '../../api/kinds/cronjob.js';
import type { Job } from '../../api/kinds/job.js';
import type { KObject } from '../../api/meta.js';
import { baseEnv } from '../util/testenv.js';
import { controllerGroup } from '../group.js';
import { startCronJobController, SCHEDULED_TIMESTAMP } from './controller.js';
import { rfc3339 } from '../../apiserver/storage/meta.js';

const JOBS = { resource: 'jobs', group: 'batch' };
const CRONJOBS = { resource: 'cronjobs', group: 'batch' };

/** A cluster with only the CronJob controller on a fake clock; Jobs finish when the test says so. */
async function cronEnv() {
  const { store, client, view, batcher } = await baseEnv(1);
  const clock = { t: 0 };
  const cc = startCronJobController(client, { view, batcher }, () => clock.t);
  const group = controllerGroup([cc], batcher);
  const jobs = () => (client.list(JOBS, 'default') as Job[]).filter((j) => !j.metadata.deletionTimestamp).map((j) => j.metadata.name!).sort();
  const cj = (name: string) => client.get(CRONJOBS, 'default', name) as CronJob;
  const events = () => client.list({ resource: 'events' }, 'default').map((e) => `${(e as KObject & { reason: string }).reason}: ${(e as KObject & { message: string }).message}`);
  /** Creates the CronJob; its creationTimestamp is the real time, so the fake clock is set back to it first. */
  async function create(name: string, spec: Record<string, unknown>): Promise<CronJob> {
    clock.t = Date.now();
    const o = await client.create(CRONJOBS, {
      metadata: { name, namespace: 'default' },
      spec: { schedule: '*/1 * * * *', jobTemplate: { spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'c', image: 'busybox' }] } } } }, ...spec },
    } as KObject);
    await group.idle();
    return o as CronJob;
  }
  async function at(name: string, t: number): Promise<void> {
    clock.t = t;
    cc.queue.add(`default/${name}`);
    await group.idle();
  }
  async function finish(jobName: string, type: 'Complete' | 'Failed', startTime: string): Promise<void> {
    const j = client.get(JOBS, 'default', jobName) as Job;
    const now = rfc3339(new Date(clock.t));
    j.status = { startTime, ...(type === 'Complete' ? { completionTime: now, succeeded: 1 } : { failed: 1 }), conditions: [{ type, status: 'True', lastTransitionTime: now }] };
    await client.update(JOBS, j as KObject, 'status');
    await group.idle();
  }
  const close = async () => { await group.idle(); group.stop(); view.stop(); await store.close(); };
  return { client, clock, jobs, cj, events, create, at, finish, close };
}

const minute = (t: number) => Math.ceil(t / 60_000) * 60_000;

describe('CronJob controller', () => {
  it('creates the Job of each schedule time with its name, annotation and owner, and tracks it', async () => {
    const env = await cronEnv();
    try {
      const c = await env.create('tick', {});
      assert.deepEqual(env.jobs(), [], 'nothing before the first schedule time');
      const first = minute(env.clock.t + 1);
      await env.at('tick', first + 5_000);
      const name = `tick-${first / 60_000}`;
      assert.deepEqual(env.jobs(), [name]);
      const job = env.client.get(JOBS, 'default', name) as Job;
      assert.equal(job.metadata.annotations?.[SCHEDULED_TIMESTAMP], new Date(first).toISOString().replace('.000Z', 'Z'));
      assert.equal(job.metadata.ownerReferences?.[0]?.uid, c.metadata.uid);
      assert.equal(job.spec?.backoffLimit, 6, 'the Job got the server defaults');
      assert.deepEqual(env.cj('tick').status?.active?.map((r) => r.name), [name]);
      assert.equal(env.cj('tick').status?.lastScheduleTime, rfc3339(new Date(first)));
      assert.ok(env.events().includes(`SuccessfulCreate: Created job ${name}`));
      await env.at('tick', first + 30_000);
      assert.deepEqual(env.jobs(), [name], 'the same time is not run twice');
      await env.finish(name, 'Complete', rfc3339(new Date(first)));
      assert.equal(env.cj('tick').status?.active, undefined);
      assert.equal(env.cj('tick').status?.lastSuccessfulTime, rfc3339(new Date(first + 30_000)));
      assert.ok(env.events().includes(`SawCompletedJob: Saw completed job: ${name}, condition: Complete`));
    } finally { await env.close(); }
  });

  it('missed times run only the latest; startingDeadlineSeconds skips a stale one', async () => {
    const env = await cronEnv();
    try {
      await env.create('late', {});
      const first = minute(env.clock.t + 1);
      await env.at('late', first + 4 * 60_000 + 10_000);
      assert.deepEqual(env.jobs(), [`late-${first / 60_000 + 4}`]);
      await env.create('strict', { startingDeadlineSeconds: 5 });
      const s = minute(env.clock.t + 1);
      await env.at('strict', s + 20_000);
      // Only times within the deadline are looked at (mostRecentScheduleTime with startingDeadlineSeconds).
      assert.deepEqual(env.jobs().filter((n) => n.startsWith('strict')), []);
      await env.at('strict', s + 60_000 + 2_000);
      assert.deepEqual(env.jobs().filter((n) => n.startsWith('strict')), [`strict-${s / 60_000 + 1}`]);
    } finally { await env.close(); }
  });

  it('Forbid waits for the running Job; Replace deletes it', async () => {
    const env = await cronEnv();
    try {
      await env.create('solo', { concurrencyPolicy: 'Forbid' });
      const first = minute(env.clock.t + 1);
      await env.at('solo', first + 1_000);
      await env.at('solo', first + 61_000);
      assert.deepEqual(env.jobs(), [`solo-${first / 60_000}`]);
      assert.ok(env.events().includes('JobAlreadyActive: Not starting job because prior execution is running and concurrency policy is Forbid'), env.events().join('\n'));
      await env.client.delete(CRONJOBS, 'default', 'solo');
      await env.create('swap', { concurrencyPolicy: 'Replace' });
      const s = minute(env.clock.t + 1);
      await env.at('swap', s + 1_000);
      await env.at('swap', s + 61_000);
      assert.deepEqual(env.jobs().filter((n) => n.startsWith('swap')), [`swap-${s / 60_000 + 1}`]);
      assert.ok(env.events().includes(`SuccessfulDelete: Deleted job swap-${s / 60_000}`), env.events().join('\n'));
      assert.deepEqual(env.cj('swap').status?.active?.map((r) => r.name), [`swap-${s / 60_000 + 1}`]);
    } finally { await env.close(); }
  });

  it('keeps successfulJobsHistoryLimit finished Jobs, deleting the oldest', async () => {
    const env = await cronEnv();
    try {
      await env.create('hist', { successfulJobsHistoryLimit: 1 });
      const first = minute(env.clock.t + 1);
      for (let i = 0; i < 3; i++) {
        const t = first + i * 60_000;
        await env.at('hist', t + 1_000);
        await env.finish(`hist-${t / 60_000}`, 'Complete', rfc3339(new Date(t)));
      }
      assert.deepEqual(env.jobs(), [`hist-${first / 60_000 + 2}`]);
      assert.ok(env.events().includes(`SuccessfulDelete: Deleted job hist-${first / 60_000}`));
    } finally { await env.close(); }
  });

  it('suspend creates nothing; a time zone shifts the schedule', async () => {
    const env = await cronEnv();
    try {
      await env.create('off', { suspend: true });
      await env.at('off', env.clock.t + 5 * 60_000);
      assert.deepEqual(env.jobs(), []);
      // 09:00 in Tokyo is 00:00 UTC.
      await env.create('tokyo', { schedule: '0 9 * * *', timeZone: 'Asia/Tokyo' });
      const midnight = Math.ceil((env.clock.t + 1) / 86_400_000) * 86_400_000;
      await env.at('tokyo', midnight - 60_000);
      assert.deepEqual(env.jobs(), []);
      await env.at('tokyo', midnight + 1_000);
      const name = `tokyo-${midnight / 60_000}`;
      assert.deepEqual(env.jobs(), [name]);
      const stamp = (env.client.get(JOBS, 'default', name) as Job).metadata.annotations?.[SCHEDULED_TIMESTAMP];
      assert.match(stamp ?? '', /^\d{4}-\d\d-\d\dT09:00:00\+09:00$/);
    } finally { await env.close(); }
  });
});
