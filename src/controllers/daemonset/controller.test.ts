import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../api/meta.js';
import type { DaemonSet } from '../../api/kinds/daemonset.js';
import type { Pod } from '../../api/kinds/pod.js';
import { testEnv } from '../util/testenv.js';
import { targetNode } from './placement.js';

const DS = { resource: 'daemonsets', group: 'apps' };
const NODES = { resource: 'nodes' };

function daemonSet(name: string, extra: Record<string, unknown> = {}, podSpec: Record<string, unknown> = {}): KObject {
  return {
    apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name, namespace: 'default' },
    spec: {
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'agent', image: 'busybox:1.36' }], ...podSpec } }, ...extra,
    },
  };
}

const nodesOf = (pods: Pod[]) => pods.map((p) => p.spec?.nodeName ?? '').sort();
type TaintedNode = KObject & { spec?: { taints?: { key: string; value?: string; effect: string }[] } };
/** Nodes without NoSchedule/NoExecute taints (the control plane may carry kind's control-plane taint). */
const untainted = (env: { client: { list(r: { resource: string }): KObject[] } }) => (env.client.list(NODES) as TaintedNode[])
  .filter((n) => !(n.spec?.taints ?? []).some((t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute')).map((n) => n.metadata.name!).sort();
async function taint(env: { client: { get(r: { resource: string }, ns: string, n: string): KObject | undefined; update(r: { resource: string }, o: KObject): Promise<KObject> } }, node: string, t: { key: string; value?: string; effect: string }): Promise<void> {
  const n = env.client.get(NODES, '', node) as TaintedNode;
  n.spec = { ...n.spec, taints: [...(n.spec?.taints ?? []), t] };
  await env.client.update(NODES, n);
}

test('DaemonSet: one pod per node, bound through node-name affinity, default tolerations, status', async () => {
  const env = await testEnv({ nodes: 3 });
  try {
    await env.client.create(DS, daemonSet('agent'));
    await env.settle();
    const pods = env.pods();
    const eligible = untainted(env);
    assert.ok(eligible.length >= 2);
    assert.deepEqual(nodesOf(pods), eligible);
    for (const p of pods) {
      assert.equal(targetNode(p), p.spec?.nodeName, 'required affinity names the node the scheduler bound');
      assert.ok(p.spec?.tolerations?.some((t) => t.key === 'node.kubernetes.io/not-ready' && t.effect === 'NoExecute' && t.operator === 'Exists'));
      assert.ok(p.spec?.tolerations?.some((t) => t.key === 'node.kubernetes.io/unschedulable' && t.effect === 'NoSchedule'));
      assert.equal(p.metadata.labels?.['pod-template-generation'], '1');
      assert.ok(p.metadata.labels?.['controller-revision-hash']);
    }
    const ds = env.client.get(DS, 'default', 'agent') as DaemonSet;
    assert.deepEqual({ ...ds.status }, {
      desiredNumberScheduled: eligible.length, currentNumberScheduled: eligible.length, numberMisscheduled: 0, numberReady: eligible.length,
      updatedNumberScheduled: eligible.length, numberAvailable: eligible.length, observedGeneration: 1, collisionCount: 0,
    });
  } finally { await env.close(); }
});

test('DaemonSet: nodeSelector and taints choose the nodes; a NoExecute taint evicts', async () => {
  const env = await testEnv({ nodes: 3 });
  try {
    const worker = env.client.get(NODES, '', 'knet-worker')!;
    worker.metadata.labels = { ...worker.metadata.labels, disk: 'ssd' };
    await env.client.update(NODES, worker);
    await env.client.create(DS, daemonSet('ssd', {}, { nodeSelector: { disk: 'ssd' } }));
    await env.settle();
    assert.deepEqual(nodesOf(env.pods()), ['knet-worker']);

    const eligible = untainted(env);
    await taint(env, 'knet-worker2', { key: 'dedicated', value: 'infra', effect: 'NoSchedule' });
    await env.client.create(DS, daemonSet('all'));
    await env.client.create(DS, daemonSet('tolerant', {}, { tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'infra', effect: 'NoSchedule' }] }));
    await env.settle();
    const on = (prefix: string) => nodesOf(env.pods().filter((p) => p.metadata.name!.startsWith(prefix)));
    assert.deepEqual(on('all-'), eligible.filter((n) => n !== 'knet-worker2'));
    assert.deepEqual(on('tolerant-'), eligible);
    const all = env.client.get(DS, 'default', 'all') as DaemonSet;
    assert.equal(all.status?.desiredNumberScheduled, eligible.length - 1);

    await taint(env, 'knet-worker', { key: 'gone', effect: 'NoExecute' });
    await env.settle();
    assert.deepEqual(on('all-'), eligible.filter((n) => n !== 'knet-worker2' && n !== 'knet-worker'));
    assert.deepEqual(on('ssd-'), [], 'an untolerated NoExecute taint evicts the daemon pod');
  } finally { await env.close(); }
});

test('DaemonSet RollingUpdate replaces one node at a time (maxUnavailable 1); maxSurge creates first; OnDelete waits', async () => {
  const env = await testEnv({ nodes: 3 });
  try {
    await env.client.create(DS, daemonSet('agent'));
    await env.settle();
    const n = untainted(env).length;
    let ds = env.client.get(DS, 'default', 'agent') as DaemonSet;
    ds.spec!.template!.spec!.containers[0]!.image = 'busybox:1.37';
    await env.client.update(DS, ds);
    await env.controllers.idle();
    assert.equal(env.pods().filter((p) => p.metadata.deletionTimestamp).length, 1, 'one old pod at a time');
    await env.settle();
    let pods = env.pods();
    assert.equal(pods.length, n);
    assert.ok(pods.every((p) => p.spec?.containers[0]?.image === 'busybox:1.37'));
    assert.ok(pods.every((p) => p.metadata.labels?.['pod-template-generation'] === '2'));
    ds = env.client.get(DS, 'default', 'agent') as DaemonSet;
    assert.equal(ds.status?.updatedNumberScheduled, n);
    assert.equal(env.client.list({ resource: 'controllerrevisions', group: 'apps' }, 'default').length, 2);

    ds.spec!.updateStrategy = { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } };
    ds.spec!.template!.spec!.containers[0]!.image = 'busybox:1.38';
    await env.client.update(DS, ds);
    await env.controllers.idle();
    assert.equal(env.pods().length, n + 1, 'a surge pod comes up next to the old one');
    await env.settle();
    pods = env.pods();
    assert.equal(pods.length, n);
    assert.ok(pods.every((p) => p.spec?.containers[0]?.image === 'busybox:1.38'));

    ds = env.client.get(DS, 'default', 'agent') as DaemonSet;
    ds.spec!.updateStrategy = { type: 'OnDelete' };
    ds.spec!.template!.spec!.containers[0]!.image = 'busybox:1.39';
    await env.client.update(DS, ds);
    await env.settle();
    assert.ok(env.pods().every((p) => p.spec?.containers[0]?.image === 'busybox:1.38'));
  } finally { await env.close(); }
});
