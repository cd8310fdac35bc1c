import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../api/meta.js';
import type { ReplicaSet } from '../../api/kinds/replicaset.js';
import { testEnv } from '../util/testenv.js';
import { podsToDelete } from '../util/pods.js';
import type { Pod } from '../../api/kinds/pod.js';

const RS = { resource: 'replicasets', group: 'apps' };

function replicaSet(name: string, replicas: number): KObject {
  return {
    apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name, namespace: 'default' },
    spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
  };
}

test('ReplicaSet: creates, scales, reports status, emits events, adopts and releases', async () => {
  const env = await testEnv({ nodes: 2 });
  try {
    await env.client.create(RS, replicaSet('web', 3));
    await env.settle();
    let pods = env.pods();
    assert.equal(pods.length, 3);
    for (const p of pods) {
      assert.match(p.metadata.name!, /^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
      const ref = p.metadata.ownerReferences?.[0];
      assert.equal(ref?.kind, 'ReplicaSet');
      assert.equal(ref?.controller, true);
      assert.equal(ref?.blockOwnerDeletion, true);
      assert.ok(p.spec?.nodeName);
    }
    let rs = env.client.get(RS, 'default', 'web') as ReplicaSet;
    assert.deepEqual({ ...rs.status, conditions: undefined }, {
      replicas: 3, fullyLabeledReplicas: 3, readyReplicas: 3, availableReplicas: 3, terminatingReplicas: 0, observedGeneration: 1, conditions: undefined,
    });
    const events = env.client.list({ resource: 'events' }, 'default').filter((e) => (e as { reason?: string }).reason === 'SuccessfulCreate');
    assert.equal(events.length, 3);
    const ev = events[0] as KObject & { message?: string; source?: { component?: string }; count?: number; involvedObject?: { kind?: string } };
    assert.match(ev.message!, /^Created pod: web-/);
    assert.equal(ev.source?.component, 'replicaset-controller');
    assert.equal(ev.involvedObject?.kind, 'ReplicaSet');
    assert.match(ev.metadata.name!, /^web\.[0-9a-f]+$/);

    // Scale down to 1.
    rs.spec!.replicas = 1;
    await env.client.update(RS, rs);
    await env.settle();
    assert.equal(env.pods().length, 1);
    rs = env.client.get(RS, 'default', 'web') as ReplicaSet;
    assert.equal(rs.status?.replicas, 1);
    assert.equal(rs.status?.observedGeneration, 2);

    // An orphan with matching labels is adopted (and an extra one deleted).
    await env.client.create({ resource: 'pods' }, { metadata: { name: 'orphan', namespace: 'default', labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
    await env.settle();
    pods = env.pods();
    assert.equal(pods.length, 1);
    // Changing a pod's labels releases it and a replacement is created.
    const p = env.client.get({ resource: 'pods' }, 'default', pods[0]!.metadata.name!)!;
    p.metadata.labels = { app: 'other' };
    await env.client.update({ resource: 'pods' }, p);
    await env.settle();
    const released = env.client.get({ resource: 'pods' }, 'default', p.metadata.name!)!;
    assert.equal(released.metadata.ownerReferences, undefined);
    assert.equal(env.pods().filter((x) => x.metadata.labels?.app === 'web').length, 1);
  } finally {
    await env.close();
  }
});

test('ReplicaSet: readiness and minReadySeconds', async () => {
  const env = await testEnv({ nodes: 1, kubelet: false });
  try {
    const rs = replicaSet('slow', 2);
    (rs.spec as { minReadySeconds?: number }).minReadySeconds = 1;
    await env.client.create(RS, rs);
    await env.settle();
    let st = (env.client.get(RS, 'default', 'slow') as ReplicaSet).status;
    assert.equal(st?.replicas, 2);
    assert.equal(st?.readyReplicas, undefined);
    await env.kubelet();
    await env.controllers.idle();
    st = (env.client.get(RS, 'default', 'slow') as ReplicaSet).status;
    assert.equal(st?.readyReplicas, 2);
    assert.equal(st?.availableReplicas, undefined);
    await new Promise((r) => setTimeout(r, 1200));
    await env.controllers.idle();
    st = (env.client.get(RS, 'default', 'slow') as ReplicaSet).status;
    assert.equal(st?.availableReplicas, 2);
  } finally {
    await env.close();
  }
});

test('ReplicaSet: deleting it garbage-collects its pods', async () => {
  const env = await testEnv({ nodes: 1, gc: true });
  try {
    await env.client.create(RS, replicaSet('gone', 2));
    await env.settle();
    assert.equal(env.pods().length, 2);
    await env.client.delete(RS, 'default', 'gone');
    await env.settle();
    assert.equal(env.pods().length, 0);
  } finally {
    await env.close();
  }
});

test('ReplicaSet: scaled to 0 with graceful pod deletion, then back up', async () => {
  const env = await testEnv({ nodes: 2, kubelet: false });
  const scale = async (n: number) => {
    const rs = env.client.get(RS, 'default', 'g') as ReplicaSet;
    rs.spec!.replicas = n;
    await env.client.update(RS, rs);
    await env.controllers.idle();
  };
  try {
    await env.client.create(RS, replicaSet('g', 3));
    await env.drive();
    await scale(0);
    // Deleted pods linger with a deletionTimestamp until the kubelet removes them.
    assert.equal(env.pods().filter((p) => p.metadata.deletionTimestamp).length, 3);
    assert.equal((env.client.get(RS, 'default', 'g') as ReplicaSet).status?.terminatingReplicas, 3);
    await scale(2);
    assert.equal(env.pods().filter((p) => !p.metadata.deletionTimestamp).length, 2, 'terminating pods are not counted as replicas');
    await env.drive();
    const rs = env.client.get(RS, 'default', 'g') as ReplicaSet;
    assert.equal(env.pods().length, 2);
    assert.deepEqual([rs.status?.replicas, rs.status?.readyReplicas, rs.status?.terminatingReplicas, rs.status?.observedGeneration], [2, 2, 0, rs.metadata.generation]);
    await scale(0);
    await env.drive();
    await scale(1);
    await env.drive();
    assert.equal(env.pods().length, 1);
  } finally {
    await env.close();
  }
});

test('podsToDelete prefers unscheduled, not ready, then newer pods', () => {
  const mk = (name: string, node: string | undefined, ready: boolean, created: string): Pod => ({
    metadata: { name, creationTimestamp: created }, spec: { containers: [], ...(node ? { nodeName: node } : {}) },
    status: { phase: node ? 'Running' : 'Pending', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
  }) as Pod;
  const pods = [mk('old-ready', 'n1', true, '2024-01-01T00:00:00Z'), mk('new-ready', 'n2', true, '2024-01-02T00:00:00Z'),
    mk('unready', 'n1', false, '2024-01-01T00:00:00Z'), mk('pending', undefined, false, '2024-01-01T00:00:00Z')];
  assert.deepEqual(podsToDelete(pods, [], 3).map((p) => p.metadata.name), ['pending', 'unready', 'new-ready']);
});

test('ReplicaSet in a terminating namespace: creates are refused, which is no error, no event and no log line (replica_set.go)', async () => {
  const env = await testEnv({ nodes: 1 });
  const logged: unknown[][] = [];
  const orig = console.error;
  console.error = (...args: unknown[]) => { logged.push(args); };
  try {
    await env.client.create({ resource: 'namespaces' }, { metadata: { name: 'shop' } });
    await env.client.create(RS, { ...replicaSet('web', 0), metadata: { name: 'web', namespace: 'shop' } });
    await env.settle();
    await env.client.delete({ resource: 'namespaces' }, '', 'shop');
    const rs = env.client.get(RS, 'shop', 'web') as ReplicaSet;
    await env.client.update(RS, { ...rs, spec: { ...rs.spec!, replicas: 2 } } as KObject);
    await env.settle();
    assert.equal(env.pods('shop').length, 0);
    const failed = env.client.list({ resource: 'events' }, 'shop').filter((e) => (e as { reason?: string }).reason === 'FailedCreate');
    assert.deepEqual(failed, []);
    assert.deepEqual(logged, []);
  } finally {
    console.error = orig;
    await env.close();
  }
});
