import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../api/meta.js';
import type { Pod } from '../../api/kinds/pod.js';
import { StatusError } from '../../api/errors.js';
import { testEnv, type TestEnv } from '../util/testenv.js';
import { fitErrorMessage, tolerates } from './filters.js';

const PODS = { resource: 'pods' };
const NODES = { resource: 'nodes' };

const pod = (name: string, spec: Record<string, unknown> = {}): KObject =>
  ({ metadata: { name, namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'nginx' }], ...spec } });
const getPod = (env: TestEnv, name: string) => env.client.get(PODS, 'default', name) as Pod;
const eventsFor = (env: TestEnv, name: string) => env.client.list({ resource: 'events' }, 'default')
  .filter((e) => (e as { involvedObject?: { name?: string } }).involvedObject?.name === name) as (KObject & { reason?: string; message?: string; type?: string; reportingComponent?: string; action?: string; eventTime?: string; series?: unknown })[];

async function editNode(env: TestEnv, name: string, f: (n: KObject & { spec?: Record<string, unknown> }) => void): Promise<void> {
  const n = env.client.get(NODES, '', name)!;
  f(n);
  await env.client.update(NODES, n);
}

test('scheduler: spreads pods, binds with PodScheduled and a Scheduled event', async () => {
  const env = await testEnv({ nodes: 2, kubelet: false });
  try {
    for (let i = 0; i < 4; i++) await env.client.create(PODS, pod(`p${i}`));
    await env.settle();
    const nodes = env.pods().map((p) => p.spec?.nodeName);
    assert.deepEqual(nodes.filter((n) => n === 'knet-control-plane').length, 2);
    assert.deepEqual(nodes.filter((n) => n === 'knet-worker').length, 2);
    const p0 = getPod(env, 'p0');
    const cond = p0.status?.conditions?.find((c) => c.type === 'PodScheduled');
    assert.equal(cond?.status, 'True');
    const [ev] = eventsFor(env, 'p0');
    assert.equal(ev?.reason, 'Scheduled');
    assert.equal(ev?.message, `Successfully assigned default/p0 to ${p0.spec?.nodeName}`);
    assert.equal(ev?.reportingComponent, 'default-scheduler');
    assert.equal(ev?.action, 'Binding');
    assert.match(ev?.eventTime ?? '', /\.\d{6}Z$/);
    // A pod with nodeName set is left alone; binding twice is refused like the API server does.
    await env.client.create(PODS, pod('fixed', { nodeName: 'knet-worker' }));
    await env.settle();
    assert.equal(eventsFor(env, 'fixed').length, 0);
    await assert.rejects(env.client.bind('default', 'fixed', 'knet-control-plane'), (e: unknown) =>
      e instanceof StatusError && e.code === 409 && e.message === 'Operation cannot be fulfilled on pods/binding "fixed": pod fixed is already assigned to node "knet-worker"');
  } finally {
    await env.close();
  }
});

test('scheduler: nodeSelector, affinity, taints and tolerations; unschedulable until a node fits', async () => {
  const env = await testEnv({ nodes: 2, kubelet: false });
  try {
    await env.client.create(PODS, pod('picky', { nodeSelector: { disk: 'ssd' } }));
    await env.settle();
    let p = getPod(env, 'picky');
    assert.equal(p.spec?.nodeName, undefined);
    const msg = "0/2 nodes are available: 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.";
    const c = p.status?.conditions?.find((x) => x.type === 'PodScheduled');
    assert.deepEqual([c?.status, c?.reason, c?.message], ['False', 'Unschedulable', msg]);
    const failed = eventsFor(env, 'picky');
    assert.deepEqual(failed.map((e) => [e.type, e.reason, e.message]), [['Warning', 'FailedScheduling', msg]]);
    await editNode(env, 'knet-worker', (n) => { n.metadata.labels = { ...n.metadata.labels, disk: 'ssd' }; });
    await env.settle();
    p = getPod(env, 'picky');
    assert.equal(p.spec?.nodeName, 'knet-worker');
    assert.equal(p.status?.conditions?.find((x) => x.type === 'PodScheduled')?.status, 'True');

    // Taint the worker: plain pods avoid it, tolerating ones may use it.
    await editNode(env, 'knet-worker', (n) => { n.spec = { ...n.spec, taints: [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }] }; });
    await env.client.create(PODS, pod('plain', { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: {
      nodeSelectorTerms: [{ matchExpressions: [{ key: 'disk', operator: 'Exists' }] }] } } } }));
    await env.settle();
    const m2 = '0/2 nodes are available: 1 node(s) didn\'t match Pod\'s node affinity/selector, 1 node(s) had untolerated taint(s). preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.';
    assert.equal(getPod(env, 'plain').status?.conditions?.find((x) => x.type === 'PodScheduled')?.message, m2);
    await env.client.create(PODS, pod('tolerant', {
      tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'db', effect: 'NoSchedule' }],
      affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }] }] } } },
    }));
    await env.client.create(PODS, pod('not-worker', { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: {
      nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'NotIn', values: ['knet-worker'] }] }] } } } }));
    await env.settle();
    assert.equal(getPod(env, 'tolerant').spec?.nodeName, 'knet-worker');
    assert.equal(getPod(env, 'not-worker').spec?.nodeName, 'knet-control-plane');
    // Cordoned nodes are unschedulable.
    await editNode(env, 'knet-control-plane', (n) => { n.spec = { ...n.spec, unschedulable: true }; });
    await env.client.create(PODS, pod('cordoned', { nodeSelector: { 'kubernetes.io/hostname': 'knet-control-plane' } }));
    await env.settle();
    assert.match(getPod(env, 'cordoned').status?.conditions?.[0]?.message ?? '', /^0\/2 nodes are available: 1 node\(s\) had untolerated taint\(s\), 1 node\(s\) were unschedulable\. /);
  } finally {
    await env.close();
  }
});

test('scheduler: NodePorts — a pod whose hostPort is taken on every node waits, and fits when the holder goes', async () => {
  const env = await testEnv({ nodes: 2, kubelet: false });
  try {
    const withPort = (name: string, hostPort: number, extra: Record<string, unknown> = {}) =>
      pod(name, { containers: [{ name: 'c', image: 'nginx', ports: [{ containerPort: 80, hostPort, ...extra }] }] });
    for (const n of ['a', 'b']) await env.client.create(PODS, withPort(n, 8080));
    await env.settle();
    assert.deepEqual(new Set(['a', 'b'].map((n) => getPod(env, n).spec?.nodeName)), new Set(['knet-control-plane', 'knet-worker']));
    await env.client.create(PODS, withPort('c', 8080));
    await env.client.create(PODS, withPort('udp', 8080, { protocol: 'UDP' }));
    await env.settle();
    assert.equal(getPod(env, 'c').spec?.nodeName, undefined);
    assert.equal(getPod(env, 'c').status?.conditions?.find((x) => x.type === 'PodScheduled')?.message,
      "0/2 nodes are available: 2 node(s) didn't have free ports for the requested pod ports. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.");
    assert.notEqual(getPod(env, 'udp').spec?.nodeName, undefined, 'another protocol does not conflict');
    const freed = getPod(env, 'a').spec?.nodeName;
    await env.client.delete(PODS, 'default', 'a', { gracePeriodSeconds: 0 });
    await env.settle();
    await new Promise((r) => setTimeout(r, 20));
    await env.settle();
    assert.equal(getPod(env, 'c').spec?.nodeName, freed);
  } finally {
    await env.close();
  }
});

test('filters: tolerations and messages', () => {
  assert.ok(tolerates({ operator: 'Exists' }, { key: 'a', effect: 'NoSchedule' }));
  assert.ok(!tolerates({ key: 'a', value: 'x' }, { key: 'a', value: 'y', effect: 'NoSchedule' }));
  assert.ok(!tolerates({ key: 'a', operator: 'Exists', effect: 'NoExecute' }, { key: 'a', effect: 'NoSchedule' }));
  assert.equal(fitErrorMessage({ metadata: {}, spec: { containers: [], preemptionPolicy: 'Never' } } as Pod, 1, ['node(s) had untolerated taint(s)']),
    '0/1 nodes are available: 1 node(s) had untolerated taint(s). preemption: not eligible due to preemptionPolicy=Never.');
});

test('scheduler: with workers the control plane is tainted NoSchedule as on kind; workloads land on workers, tolerating pods may use it', async () => {
  const env = await testEnv({ nodes: 3, kubelet: false, controlPlaneTaint: true });
  try {
    const cp = env.client.get(NODES, '', 'knet-control-plane') as KObject & { spec?: { taints?: unknown[] } };
    assert.deepEqual(cp.spec?.taints, [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }]);
    assert.equal((env.client.get(NODES, '', 'knet-worker') as KObject & { spec?: { taints?: unknown[] } }).spec?.taints, undefined);
    for (let i = 0; i < 4; i++) await env.client.create(PODS, pod(`w${i}`));
    await env.client.create(PODS, pod('cp', {
      nodeSelector: { 'node-role.kubernetes.io/control-plane': '' },
      tolerations: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }],
    }));
    await env.settle();
    assert.deepEqual(['w0', 'w1', 'w2', 'w3'].map((n) => getPod(env, n).spec?.nodeName).sort(), ['knet-worker', 'knet-worker', 'knet-worker2', 'knet-worker2']);
    assert.equal(getPod(env, 'cp').spec?.nodeName, 'knet-control-plane');
  } finally {
    await env.close();
  }
});

test('scheduler: a single node is not tainted (kind removes the taint when there are no workers)', async () => {
  const env = await testEnv({ nodes: 1, kubelet: false, controlPlaneTaint: true });
  try {
    assert.equal((env.client.get(NODES, '', 'knet-control-plane') as KObject & { spec?: { taints?: unknown[] } }).spec?.taints, undefined);
  } finally {
    await env.close();
  }
});
