// End-to-end: batch/v1 Jobs and CronJobs (issue 11) with the real kubectl: completions and
// parallelism, wait --for=condition=complete, logs job/x, backoffLimit, ttlSecondsAfterFinished,
// Indexed Jobs, and a CronJob triggered by `create job --from=cronjob/x`.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Knet, squash, until as poll } from './harness.js';

const until = <T>(what: string, f: () => Promise<T | undefined>, ms = 30_000): Promise<T> => poll(what, f, ms, 250);

/** A Job manifest with busybox running `command` (a JSON array), `spec` lines added under spec. */
function jobYaml(name: string, spec: string[], command: string): string {
  return ['apiVersion: batch/v1', 'kind: Job', 'metadata:', `  name: ${name}`, 'spec:', ...spec.map((l) => `  ${l}`),
    '  template:', '    spec:', '      restartPolicy: Never', '      containers:', '      - name: work', '        image: busybox',
    `        command: ${command}`, ''].join('\n');
}

const PARALLEL = jobYaml('para', ['completions: 3', 'parallelism: 2'], '["sh", "-c", "echo done by $HOSTNAME"]');
const FAILING = jobYaml('fails', ['backoffLimit: 1'], '["sh", "-c", "echo failing; exit 1"]');
const TTL = jobYaml('short-lived', ['ttlSecondsAfterFinished: 1'], '["true"]');
const INDEXED = jobYaml('idx', ['completions: 3', 'parallelism: 3', 'completionMode: Indexed'], '["sh", "-c", "echo index=$JOB_COMPLETION_INDEX host=$(hostname)"]');

const CRON = `apiVersion: batch/v1
kind: CronJob
metadata:
  name: tick
spec:
  schedule: "*/1 * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
          - name: hello
            image: busybox
            command: ["sh", "-c", "echo hello from the cronjob"]
`;

describe('jobs and cronjobs', () => {
  const knet = new Knet(['--nodes', '2']);
  const k = (...args: string[]) => knet.kubectl(args);
  before(async () => {
    await knet.start();
    // Created first, so its first schedule time (at most a minute away) passes while the other tests run.
    const c = await knet.kubectl(['apply', '-f', '-'], { input: CRON });
    assert.equal(c.code, 0, c.stderr);
  });
  after(async () => { await knet.cleanup(); });

  it('create job runs to completion; wait --for=condition=complete; logs job/x; get jobs columns', async () => {
    const c = await k('create', 'job', 'hi', '--image=busybox', '--', 'echo', 'hi there');
    assert.equal(c.stdout.trim(), 'job.batch/hi created', c.stderr);
    const w = await k('wait', '--for=condition=complete', 'job/hi', '--timeout=30s');
    assert.equal(w.code, 0, w.stderr + (await k('describe', 'job', 'hi')).stdout);
    assert.equal(w.stdout.trim(), 'job.batch/hi condition met');
    const logs = await k('logs', 'job/hi');
    assert.equal(logs.stdout, 'hi there\n', logs.stderr);
    for (const version of ['default', '1.27', '1.33']) {
      const get = squash((await knet.kubectl(['get', 'jobs'], { version })).stdout).split('\n');
      assert.equal(get[0], 'NAME STATUS COMPLETIONS DURATION AGE', version);
      assert.match(get[1] ?? '', /^hi Complete 1\/1 \d+s \d+s$/, version);
    }
    const wide = squash((await k('get', 'job', 'hi', '-o', 'wide')).stdout).split('\n');
    assert.equal(wide[0], 'NAME STATUS COMPLETIONS DURATION AGE CONTAINERS IMAGES SELECTOR');
    assert.match(wide[1] ?? '', /^hi Complete 1\/1 \d+s \d+s hi busybox batch\.kubernetes\.io\/controller-uid=[0-9a-f-]{36}$/);
    const spec = JSON.parse((await k('get', 'job', 'hi', '-o', 'json')).stdout) as { metadata: { uid: string; labels: Record<string, string> }; spec: Record<string, unknown>; status: Record<string, unknown> };
    assert.equal(spec.spec['backoffLimit'], 6);
    assert.equal(spec.spec['completionMode'], 'NonIndexed');
    assert.equal(spec.spec['manualSelector'], false);
    assert.deepEqual(spec.spec['selector'], { matchLabels: { 'batch.kubernetes.io/controller-uid': spec.metadata.uid } });
    assert.equal(spec.metadata.labels['batch.kubernetes.io/job-name'], 'hi');
    assert.equal(spec.status['succeeded'], 1);
    assert.deepEqual((spec.status['conditions'] as { type: string; status: string; reason: string }[]).map((x) => [x.type, x.status, x.reason]),
      [['SuccessCriteriaMet', 'True', 'CompletionsReached'], ['Complete', 'True', 'CompletionsReached']]);
    const pods = JSON.parse((await k('get', 'pods', '-l', 'job-name=hi', '-o', 'json')).stdout) as { items: { metadata: { finalizers?: string[] }; status: { phase: string } }[] };
    assert.equal(pods.items.length, 1);
    assert.equal(pods.items[0]!.status.phase, 'Succeeded');
    assert.equal(pods.items[0]!.metadata.finalizers, undefined, 'the tracking finalizer is removed once counted');
    const desc = (await k('describe', 'job', 'hi')).stdout;
    assert.match(desc, /Pods Statuses:\s+0 Active \(0 Ready\) \/ 1 Succeeded \/ 0 Failed/);
    assert.match(desc, /Normal\s+SuccessfulCreate\s+\S+\s+job-controller\s+Created pod: hi-[a-z0-9]{5}/);
    assert.match(desc, /Normal\s+Completed\s+\S+\s+job-controller\s+Job completed/);
  });

  it('completions 3 with parallelism 2 completes with three pods', async () => {
    assert.equal((await knet.kubectl(['apply', '-f', '-'], { input: PARALLEL })).code, 0);
    const w = await k('wait', '--for=condition=complete', 'job/para', '--timeout=45s');
    assert.equal(w.code, 0, w.stderr + (await k('describe', 'job', 'para')).stdout);
    const pods = (await k('get', 'pods', '-l', 'batch.kubernetes.io/job-name=para', '-o', 'jsonpath={.items[*].status.phase}')).stdout.split(' ');
    assert.deepEqual(pods, ['Succeeded', 'Succeeded', 'Succeeded']);
    assert.match(squash((await k('get', 'job', 'para')).stdout), /\npara Complete 3\/3 /);
    const logs = await k('logs', 'job/para');
    assert.match(logs.stdout, /^done by para-[a-z0-9]{5}\n$/);
    assert.equal((await k('delete', 'job', 'para')).stdout.trim(), 'job.batch "para" deleted');
    await until('pods of the deleted job gone', async () => ((await k('get', 'pods', '-l', 'job-name=para', '-o', 'name')).stdout.trim() === '' ? true : undefined));
  });

  it('a failing job stops at backoffLimit with Failed/BackoffLimitExceeded', async () => {
    assert.equal((await knet.kubectl(['apply', '-f', '-'], { input: FAILING })).code, 0);
    const w = await k('wait', '--for=condition=failed', 'job/fails', '--timeout=60s');
    assert.equal(w.code, 0, w.stderr + (await k('describe', 'job', 'fails')).stdout);
    const conds = (await k('get', 'job', 'fails', '-o', 'jsonpath={range .status.conditions[*]}{.type}/{.reason}{"\\n"}{end}')).stdout;
    assert.equal(conds, 'FailureTarget/BackoffLimitExceeded\nFailed/BackoffLimitExceeded\n');
    assert.equal((await k('get', 'job', 'fails', '-o', 'jsonpath={.status.failed}')).stdout, '2');
    assert.match(squash((await k('get', 'job', 'fails')).stdout), /\nfails Failed 0\/1 /);
    const phases = (await k('get', 'pods', '-l', 'job-name=fails', '-o', 'jsonpath={.items[*].status.phase}')).stdout.split(' ');
    assert.deepEqual(phases, ['Failed', 'Failed']);
    const ev = (await k('get', 'events', '--field-selector', 'involvedObject.name=fails,reason=BackoffLimitExceeded', '-o', 'jsonpath={.items[*].message}')).stdout;
    assert.equal(ev, 'Job has reached the specified backoff limit');
  });

  it('ttlSecondsAfterFinished deletes the finished job and its pods', async () => {
    assert.equal((await knet.kubectl(['apply', '-f', '-'], { input: TTL })).code, 0);
    await until('job deleted', async () => ((await k('get', 'job', 'short-lived')).code !== 0 ? true : undefined));
    await until('pods deleted', async () => ((await k('get', 'pods', '-l', 'job-name=short-lived', '-o', 'name')).stdout.trim() === '' ? true : undefined));
  });

  it('an Indexed job gives each pod its index and hostname', async () => {
    assert.equal((await knet.kubectl(['apply', '-f', '-'], { input: INDEXED })).code, 0);
    const w = await k('wait', '--for=condition=complete', 'job/idx', '--timeout=45s');
    assert.equal(w.code, 0, w.stderr + (await k('describe', 'job', 'idx')).stdout);
    assert.equal((await k('get', 'job', 'idx', '-o', 'jsonpath={.status.completedIndexes}')).stdout, '0-2');
    const names = (await k('get', 'pods', '-l', 'job-name=idx', '-o', 'jsonpath={.items[*].metadata.name}')).stdout.split(' ');
    const lines: string[] = [];
    for (const n of names) lines.push((await k('logs', n)).stdout.trim());
    assert.deepEqual(lines.sort(), ['index=0 host=idx-0', 'index=1 host=idx-1', 'index=2 host=idx-2']);
  });

  it('restartPolicy Always is refused with the upstream message', async () => {
    const r = await k('create', 'job', 'bad', '--image=busybox', '--dry-run=server', '-o', 'yaml');
    assert.equal(r.code, 0, r.stderr); // kubectl create job sets restartPolicy Never
    const always = PARALLEL.replace('name: para', 'name: always').replace('restartPolicy: Never', 'restartPolicy: Always');
    const a = await knet.kubectl(['apply', '-f', '-'], { input: always });
    assert.notEqual(a.code, 0);
    assert.match(a.stderr, /spec\.template\.spec\.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"/);
  });

  it('a CronJob is listed as upstream and create job --from=cronjob runs it', async () => {
    for (const version of ['default', '1.27', '1.33']) {
      const get = squash((await knet.kubectl(['get', 'cronjobs'], { version })).stdout).split('\n');
      assert.equal(get[0], 'NAME SCHEDULE TIMEZONE SUSPEND ACTIVE LAST SCHEDULE AGE', version);
      assert.match(get[1] ?? '', /^tick \*\/1 \* \* \* \* <none> False [01] (<none>|\d+s) \d+s$/, version);
    }
    const c = await k('create', 'job', 'manual', '--from=cronjob/tick');
    assert.equal(c.stdout.trim(), 'job.batch/manual created', c.stderr);
    const w = await k('wait', '--for=condition=complete', 'job/manual', '--timeout=30s');
    assert.equal(w.code, 0, w.stderr + (await k('describe', 'job', 'manual')).stdout);
    assert.equal((await k('logs', 'job/manual')).stdout, 'hello from the cronjob\n');
    const owner = (await k('get', 'job', 'manual', '-o', 'jsonpath={.metadata.ownerReferences[0].kind}/{.metadata.ownerReferences[0].name}')).stdout;
    assert.equal(owner, 'CronJob/tick');
    const bad = await knet.kubectl(['apply', '-f', '-'], { input: CRON.replace('name: tick', 'name: tz').replace('"*/1 * * * *"', '"CRON_TZ=UTC */1 * * * *"') });
    assert.match(bad.stderr, /spec\.schedule: Invalid value: "CRON_TZ=UTC \*\/1 \* \* \* \*": cannot use TZ or CRON_TZ in schedule, use timeZone field instead/);
  });

  it('the one-minute schedule fires: a Job named by the minute, annotated, completed and tracked', async () => {
    const last = await until('lastScheduleTime', async () => (await k('get', 'cronjob', 'tick', '-o', 'jsonpath={.status.lastScheduleTime}')).stdout || undefined, 75_000);
    const t = Date.parse(last);
    assert.equal(t % 60_000, 0, 'on a minute');
    const name = `tick-${t / 60_000}`;
    const stamp = (await k('get', 'job', name, '-o', 'jsonpath={.metadata.annotations.batch\\.kubernetes\\.io/cronjob-scheduled-timestamp}')).stdout;
    assert.equal(stamp, last);
    const w = await k('wait', '--for=condition=complete', `job/${name}`, '--timeout=30s');
    assert.equal(w.code, 0, w.stderr);
    await until('lastSuccessfulTime', async () => (await k('get', 'cronjob', 'tick', '-o', 'jsonpath={.status.lastSuccessfulTime}')).stdout || undefined);
    const get = squash((await k('get', 'cronjobs', 'tick')).stdout).split('\n');
    assert.match(get[1] ?? '', /^tick \*\/1 \* \* \* \* <none> False 0 \d+s \d+s$/);
    const ev = (await k('get', 'events', '--field-selector', 'involvedObject.kind=CronJob,reason=SuccessfulCreate', '-o', 'jsonpath={.items[*].message}')).stdout;
    assert.match(ev, new RegExp(`Created job ${name}`));
  });
});
