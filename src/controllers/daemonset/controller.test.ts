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

test('DaemonSet: one pod per node, bound through node-name affinity, default tolerations, status', async () => {
  const env = await testEnv({ nodes: 3 });
  try {
    await env.client.create(DS, daemonSet('agent'));
    await env.settle();
    const pods = env.pods();
    assert.deepEqual(nodesOf(pods), ['knet-control-plane', 'knet-worker', 'knet-worker2']);
    for (const p of pods) {
      assert.equal(targetNode(p), p.spec?.nodeName, 'required affinity names the node the scheduler bound');
      assert.ok(p.spec?.tolerations?.some((t) => t.key === 'node.kubernetes.io/not-ready' && t.effect === 'NoExecute' && t.operator === 'Exists'));
      assert.ok(p.spec?.tolerations?.some((t) => t.key === 'node.kubernetes.io/unschedulable' && t.effect === 'NoSchedule'));
      assert.equal(p.metadata.labels?.['pod-template-generation'], '1');
      assert.ok(p.metadata.labels?.['controller-revision-hash']);
    }
    const ds = env.client.get(DS, 'default', 'agent') as DaemonSet;
    assert.deepEqual({ ...ds.status }, {
      desiredNumberScheduled: 3, currentNumberScheduled: 3, numberMisscheduled: 0, numberReady: 3, updatedNumberScheduled: 3,
      numberAvailable: 3, observedGeneration: 1, collisionCount: 0,
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

    const cp = env.client.get(NODES, '', 'knet-control-plane')!;
    (cp as { spec?: Record<string, unknown> }).spec = { ...(cp as { spec?: Record<string, unknown> }).spec, taints: [{ key: 'dedicated', value: 'infra', effect: 'NoSchedule' }] };
    await env.client.update(NODES, cp);
    await env.client.create(DS, daemonSet('all'));
    await env.client.create(DS, daemonSet('tolerant', {}, { tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'infra', effect: 'NoSchedule' }] }));
    await env.settle();
    const on = (prefix: string) => nodesOf(env.pods().filter((p) => p.metadata.name!.startsWith(prefix)));
    assert.deepEqual(on('all-'), ['knet-worker', 'knet-worker2']);
    assert.deepEqual(on('tolerant-'), ['knet-control-plane', 'knet-worker', 'knet-worker2']);
    const all = env.client.get(DS, 'default', 'all') as DaemonSet;
    assert.equal(all.status?.desiredNumberScheduled, 2);

    const w2 = env.client.get(NODES, '', 'knet-worker2')!;
    (w2 as { spec?: Record<string, unknown> }).spec = { ...(w2 as { spec?: Record<string, unknown> }).spec, taints: [{ key: 'gone', effect: 'NoExecute' }] };
    await env.client.update(NODES, w2);
    await env.settle();
    assert.deepEqual(on('all-'), ['knet-worker']);
  } finally { await env.close(); }
});

test('DaemonSet RollingUpdate replaces one node at a time (maxUnavailable 1); maxSurge creates first; OnDelete waits', async () => {
  const env = await testEnv({ nodes: 3 });
  try {
    await env.client.create(DS, daemonSet('agent'));
    await env.settle();
    let ds = env.client.get(DS, 'default', 'agent') as DaemonSet;
    ds.spec!.template!.spec!.containers[0]!.image = 'busybox:1.37';
    await env.client.update(DS, ds);
    await env.controllers.idle();
    assert.equal(env.pods().filter((p) => p.metadata.deletionTimestamp).length, 1, 'one old pod at a time');
    await env.settle();
    let pods = env.pods();
    assert.equal(pods.length, 3);
    assert.ok(pods.every((p) => p.spec?.containers[0]?.image === 'busybox:1.37'));
    assert.ok(pods.every((p) => p.metadata.labels?.['pod-template-generation'] === '2'));
    ds = env.client.get(DS, 'default', 'agent') as DaemonSet;
    assert.equal(ds.status?.updatedNumberScheduled, 3);
    assert.equal(env.client.list({ resource: 'controllerrevisions', group: 'apps' }, 'default').length, 2);

    ds.spec!.updateStrategy = { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } };
    ds.spec!.template!.spec!.containers[0]!.image = 'busybox:1.38';
    await env.client.update(DS, ds);
    await env.controllers.idle();
    assert.equal(env.pods().length, 4, 'a surge pod comes up next to the old one');
    await env.settle();
    pods = env.pods();
    assert.equal(pods.length, 3);
    assert.ok(pods.every((p) => p.spec?.containers[0]?.image === 'busybox:1.38'));

    ds = env.client.get(DS, 'default', 'agent') as DaemonSet;
    ds.spec!.updateStrategy = { type: 'OnDelete' };
    ds.spec!.template!.spec!.containers[0]!.image = 'busybox:1.39';
    await env.client.update(DS, ds);
    await env.settle();
    assert.ok(env.pods().every((p) => p.spec?.containers[0]?.image === 'busybox:1.38'));
  } finally { await env.close(); }
});
