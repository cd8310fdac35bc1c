import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Job } from '../../api/kinds/job.js';
import type { Pod } from '../../api/kinds/pod.js';
import type { KObject } from '../../api/meta.js';
import { baseEnv } from '../util/testenv.js';
import { controllerGroup } from '../group.js';
import { startJobController } from './controller.js';
import { JOB_TRACKING_FINALIZER } from './pods.js';

const JOBS = { resource: 'jobs', group: 'batch' };
const PODS = { resource: 'pods' };

/** A cluster with only the Job controller, on a fake clock; pods change phase when the test says so. */
async function jobEnv() {
  const { store, client, view, batcher } = await baseEnv(1);
  const clock = { t: Date.parse('2026-03-01T12:00:00Z') };
  const jc = startJobController(client, { view, batcher }, { now: () => clock.t });
  const group = controllerGroup([jc], batcher);
  const pods = () => (client.list(PODS, 'default') as Pod[]).sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : 1));
  const job = (name: string) => client.get(JOBS, 'default', name) as Job;
  const events = () => client.list({ resource: 'events' }, 'default').map((e) => `${(e as KObject & { reason: string }).reason}: ${(e as KObject & { message: string }).message}`);
  async function setPhase(p: Pod, phase: string, restartCount = 0, exitCode?: number): Promise<void> {
    const fresh = client.get(PODS, 'default', p.metadata.name!) as Pod;
    const state = exitCode === undefined ? {} : { state: { terminated: { exitCode } } };
    fresh.status = { ...fresh.status, phase, containerStatuses: [{ name: 'c', image: 'busybox', imageID: '', ready: false, restartCount, ...state }] } as Pod['status'];
    await client.update(PODS, fresh as KObject, 'status');
    await group.idle();
  }
  async function create(name: string, spec: Record<string, unknown>): Promise<Job> {
    await client.create(JOBS, {
      metadata: { name, namespace: 'default' },
      spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } }, ...spec },
    } as KObject);
    await group.idle();
    return job(name);
  }
  /** Advances the fake clock and resyncs the Job. */
  async function tick(name: string, ms: number): Promise<void> {
    clock.t += ms;
    jc.queue.add(`default/${name}`);
    await group.idle();
  }
  const close = async () => { await group.idle(); group.stop(); view.stop(); await store.close(); };
  return { client, clock, pods, job, events, setPhase, create, tick, close, group };
}

const conditions = (j: Job) => (j.status?.conditions ?? []).map((c) => `${c.type}=${c.status}/${c.reason}`);

describe('Job controller', () => {
  it('completions 3, parallelism 2: runs two, then one, then completes and releases the finalizers', async () => {
    const env = await jobEnv();
    try {
      await env.create('work', { completions: 3, parallelism: 2 });
      let pods = env.pods();
      assert.equal(pods.length, 2);
      for (const p of pods) {
        assert.deepEqual(p.metadata.finalizers, [JOB_TRACKING_FINALIZER]);
        assert.equal(p.metadata.labels?.['batch.kubernetes.io/job-name'], 'work');
        assert.equal(p.metadata.labels?.['job-name'], 'work');
        assert.equal(p.metadata.ownerReferences?.[0]?.kind, 'Job');
      }
      assert.equal(env.job('work').status?.active, 2);
      assert.equal(env.job('work').status?.startTime, '2026-03-01T12:00:00Z');
      await env.setPhase(pods[0]!, 'Succeeded');
      await env.setPhase(pods[1]!, 'Succeeded');
      pods = env.pods();
      assert.equal(pods.length, 3, 'one more pod for the last completion');
      assert.equal(env.job('work').status?.succeeded, 2);
      assert.deepEqual(pods.filter((p) => p.status?.phase === 'Succeeded').map((p) => p.metadata.finalizers), [undefined, undefined]);
      await env.setPhase(pods.find((p) => p.status?.phase === 'Pending')!, 'Succeeded');
      const j = env.job('work');
      assert.deepEqual(conditions(j), ['SuccessCriteriaMet=True/CompletionsReached', 'Complete=True/CompletionsReached']);
      assert.equal(j.status?.succeeded, 3);
      assert.equal(j.status?.active, undefined, 'active is omitempty');
      assert.equal(j.status?.ready, 0, 'ready is a pointer: 0 is written');
      assert.equal(j.status?.completionTime, '2026-03-01T12:00:00Z');
      assert.deepEqual(j.status?.uncountedTerminatedPods, {});
      assert.equal(env.pods().length, 3);
      const ev = env.events();
      assert.equal(ev.filter((e) => e.startsWith('SuccessfulCreate: Created pod: work-')).length, 3);
      assert.ok(ev.includes('Completed: Job completed'));
    } finally { await env.close(); }
  });

  it('backoffLimit with restartPolicy Never: waits the pod failure backoff, then fails with BackoffLimitExceeded', async () => {
    const env = await jobEnv();
    try {
      await env.create('flaky', { backoffLimit: 1 });
      await env.setPhase(env.pods()[0]!, 'Failed');
      assert.equal(env.job('flaky').status?.failed, 1);
      assert.equal(env.pods().length, 1, 'no replacement before the 10s backoff');
      await env.tick('flaky', 5_000);
      assert.equal(env.pods().length, 1);
      await env.tick('flaky', 5_001);
      assert.equal(env.pods().length, 2, 'replaced after 10s');
      await env.setPhase(env.pods().find((p) => p.status?.phase === 'Pending')!, 'Failed');
      const j = env.job('flaky');
      assert.equal(j.status?.failed, 2);
      assert.deepEqual(conditions(j), ['FailureTarget=True/BackoffLimitExceeded', 'Failed=True/BackoffLimitExceeded']);
      assert.equal(j.status?.conditions?.[1]?.message, 'Job has reached the specified backoff limit');
      assert.equal(j.status?.completionTime, undefined);
      assert.ok(env.events().includes('BackoffLimitExceeded: Job has reached the specified backoff limit'));
    } finally { await env.close(); }
  });

  it('podFailurePolicy: Ignore replaces the pod without counting it; FailJob fails the Job at once', async () => {
    const env = await jobEnv();
    try {
      const rules = [{ action: 'Ignore', onExitCodes: { operator: 'In', values: [7] } }, { action: 'FailJob', onExitCodes: { operator: 'In', values: [42] } }];
      await env.create('policy', { backoffLimit: 5, podFailurePolicy: { rules } });
      assert.equal(env.job('policy').spec?.podReplacementPolicy, 'Failed', 'defaulted from the policy');
      await env.setPhase(env.pods()[0]!, 'Failed', 0, 7);
      assert.equal(env.job('policy').status?.failed, undefined, 'ignored');
      assert.equal(env.pods().length, 2, 'replaced at once: no backoff for an ignored failure');
      await env.setPhase(env.pods().find((p) => p.status?.phase === 'Pending')!, 'Failed', 0, 42);
      const j = env.job('policy');
      assert.deepEqual(conditions(j), ['FailureTarget=True/PodFailurePolicy', 'Failed=True/PodFailurePolicy']);
      assert.match(j.status?.conditions?.[1]?.message ?? '', /^Container c for pod default\/policy-[a-z0-9]{5} failed with exit code 42 matching FailJob rule at index 1$/);
      assert.equal(j.status?.failed, 1);
    } finally { await env.close(); }
  });

  it('restartPolicy OnFailure counts container restarts against backoffLimit and deletes the running pod', async () => {
    const env = await jobEnv();
    try {
      await env.create('restarts', { backoffLimit: 2, template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'c', image: 'busybox' }] } } });
      const p = env.pods()[0]!;
      await env.setPhase(p, 'Running', 1);
      assert.deepEqual(conditions(env.job('restarts')), []);
      await env.setPhase(p, 'Running', 2);
      const j = env.job('restarts');
      assert.deepEqual(conditions(j), ['FailureTarget=True/BackoffLimitExceeded', 'Failed=True/BackoffLimitExceeded']);
      assert.equal(env.pods().length, 0, 'the deleted pod went once its finalizer was removed');
      assert.equal(j.status?.failed, 1);
    } finally { await env.close(); }
  });

  it('activeDeadlineSeconds fails the Job with DeadlineExceeded on the fake clock', async () => {
    const env = await jobEnv();
    try {
      await env.create('slow', { activeDeadlineSeconds: 30 });
      await env.tick('slow', 29_000);
      assert.deepEqual(conditions(env.job('slow')), []);
      await env.tick('slow', 1_000);
      const j = env.job('slow');
      assert.deepEqual(conditions(j), ['FailureTarget=True/DeadlineExceeded', 'Failed=True/DeadlineExceeded']);
      assert.equal(j.status?.conditions?.[0]?.message, 'Job was active longer than specified deadline');
      assert.equal(env.pods().length, 0);
    } finally { await env.close(); }
  });

  it('Indexed: one pod per index with its annotation, label, hostname and JOB_COMPLETION_INDEX', async () => {
    const env = await jobEnv();
    try {
      await env.create('idx', { completions: 3, parallelism: 2, completionMode: 'Indexed' });
      let pods = env.pods();
      assert.deepEqual(pods.map((p) => p.metadata.annotations?.['batch.kubernetes.io/job-completion-index']), ['0', '1']);
      assert.deepEqual(pods.map((p) => p.spec?.hostname), ['idx-0', 'idx-1']);
      assert.match(pods[0]!.metadata.name!, /^idx-0-[a-z0-9]{5}$/);
      assert.deepEqual(pods[0]!.spec?.containers[0]?.env, [{ name: 'JOB_COMPLETION_INDEX', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: "metadata.annotations['batch.kubernetes.io/job-completion-index']" } } }]);
      await env.setPhase(pods[1]!, 'Succeeded');
      assert.equal(env.job('idx').status?.completedIndexes, '1');
      pods = env.pods();
      assert.deepEqual(pods.map((p) => p.metadata.labels?.['batch.kubernetes.io/job-completion-index']).sort(), ['0', '1', '2']);
      await env.setPhase(pods.find((p) => p.spec?.hostname === 'idx-0')!, 'Succeeded');
      await env.setPhase(pods.find((p) => p.spec?.hostname === 'idx-2')!, 'Succeeded');
      assert.equal(env.job('idx').status?.completedIndexes, '0-2');
      assert.deepEqual(conditions(env.job('idx')).slice(-1), ['Complete=True/CompletionsReached']);
    } finally { await env.close(); }
  });

  it('successPolicy: the Job succeeds when its rule is met and the other pods are stopped', async () => {
    const env = await jobEnv();
    try {
      await env.create('leader', { completions: 3, parallelism: 3, completionMode: 'Indexed', successPolicy: { rules: [{ succeededIndexes: '0' }] } });
      assert.equal(env.pods().length, 3);
      await env.setPhase(env.pods().find((p) => p.spec?.hostname === 'leader-1')!, 'Succeeded');
      assert.deepEqual(conditions(env.job('leader')), []);
      await env.setPhase(env.pods().find((p) => p.spec?.hostname === 'leader-0')!, 'Succeeded');
      const j = env.job('leader');
      assert.deepEqual(conditions(j), ['SuccessCriteriaMet=True/SuccessPolicy', 'Complete=True/SuccessPolicy']);
      assert.equal(j.status?.conditions?.[0]?.message, 'Matched rules at index 0');
      assert.equal(j.status?.completedIndexes, '0-1');
      assert.deepEqual(env.pods().map((p) => p.spec?.hostname).sort(), ['leader-0', 'leader-1'], 'the running pod was deleted');
    } finally { await env.close(); }
  });

  it('suspend creates nothing and reports Suspended; resuming starts the pods', async () => {
    const env = await jobEnv();
    try {
      await env.create('later', { suspend: true });
      assert.equal(env.pods().length, 0);
      assert.deepEqual(conditions(env.job('later')), ['Suspended=True/JobSuspended']);
      assert.equal(env.job('later').status?.startTime, undefined);
      const j = env.job('later');
      j.spec!.suspend = false;
      await env.client.update(JOBS, j as KObject);
      await env.group.idle();
      assert.equal(env.pods().length, 1);
      assert.deepEqual(conditions(env.job('later')), ['Suspended=False/JobResumed']);
    } finally { await env.close(); }
  });

  it('a Job in foreground deletion gets no new pods', async () => {
    const env = await jobEnv();
    try {
      await env.create('fg', { completions: 2 });
      await env.client.delete(JOBS, 'default', 'fg', { propagationPolicy: 'Foreground' });
      await env.setPhase(env.pods()[0]!, 'Succeeded');
      assert.equal(env.pods().length, 1, 'no pod for the second completion');
      assert.equal(env.job('fg').status?.succeeded, 1);
      assert.ok(env.job('fg').metadata.deletionTimestamp);
    } finally { await env.close(); }
  });

  it('pods of a deleted Job lose the tracking finalizer', async () => {
    const env = await jobEnv();
    try {
      await env.create('gone', {});
      const p = env.pods()[0]!;
      await env.client.delete(JOBS, 'default', 'gone');
      await env.client.delete(PODS, 'default', p.metadata.name!);
      await env.group.idle();
      assert.equal(env.pods().length, 0, 'the pod was released and removed');
    } finally { await env.close(); }
  });
});
