import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Deployment } from '../../api/kinds/deployment.js';
import type { ReplicaSet } from '../../api/kinds/replicaset.js';
import type { KObject } from '../../api/meta.js';
import { deployment, testEnv, type TestEnv } from '../util/testenv.js';
import { isPodReady } from '../util/pods.js';
import { computeHash } from './util.js';

const DEPLOY = { resource: 'deployments', group: 'apps' };
const RS = { resource: 'replicasets', group: 'apps' };

const getD = (env: TestEnv, name: string) => env.client.get(DEPLOY, 'default', name) as Deployment;
const rsList = (env: TestEnv) => (env.client.list(RS, 'default') as ReplicaSet[]).slice().sort((a, b) => Number(a.metadata.annotations?.['deployment.kubernetes.io/revision']) - Number(b.metadata.annotations?.['deployment.kubernetes.io/revision']));
const events = (env: TestEnv, reason: string) => env.client.list({ resource: 'events' }, 'default')
  .filter((e) => (e as { reason?: string }).reason === reason).map((e) => (e as { message?: string }).message);

async function setImage(env: TestEnv, name: string, image: string): Promise<void> {
  const d = getD(env, name);
  d.spec!.template!.spec!.containers[0]!.image = image;
  await env.client.update(DEPLOY, d);
}

test('computeHash renders like upstream names', () => {
  assert.match(computeHash({ metadata: { labels: { app: 'web' } } }), /^[4-9bcdf]{1,10}$/);
  assert.notEqual(computeHash({}), computeHash({}, 1));
});

test('Deployment: rollout to completion, status, annotations and events', async () => {
  const env = await testEnv({ nodes: 2 });
  try {
    await env.client.create(DEPLOY, deployment('web', 3));
    await env.settle();
    const [rs] = rsList(env);
    assert.ok(rs);
    assert.match(rs.metadata.name!, /^web-[4-9bcdf]{1,10}$/);
    const hash = rs.metadata.labels?.['pod-template-hash'];
    assert.equal(rs.metadata.name, `web-${hash}`);
    assert.equal(rs.spec?.selector?.matchLabels?.['pod-template-hash'], hash);
    assert.equal(rs.spec?.template?.metadata?.labels?.['pod-template-hash'], hash);
    assert.deepEqual(rs.metadata.annotations, {
      'deployment.kubernetes.io/desired-replicas': '3', 'deployment.kubernetes.io/max-replicas': '4', 'deployment.kubernetes.io/revision': '1',
    });
    assert.equal(rs.metadata.ownerReferences?.[0]?.kind, 'Deployment');
    const d = getD(env, 'web');
    assert.equal(d.metadata.annotations?.['deployment.kubernetes.io/revision'], '1');
    const st = d.status!;
    assert.deepEqual([st.observedGeneration, st.replicas, st.updatedReplicas, st.readyReplicas, st.availableReplicas, st.unavailableReplicas],
      [1, 3, 3, 3, 3, undefined]);
    assert.deepEqual(st.conditions?.map((c) => [c.type, c.status, c.reason, c.message]), [
      ['Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.'],
      ['Progressing', 'True', 'NewReplicaSetAvailable', `ReplicaSet "${rs.metadata.name}" has successfully progressed.`],
    ]);
    assert.deepEqual(events(env, 'ScalingReplicaSet'), [`Scaled up replica set ${rs.metadata.name} from 0 to 3`]);
    assert.equal(env.pods().length, 3);
    // Scaling.
    const d2 = getD(env, 'web');
    d2.spec!.replicas = 5;
    await env.client.update(DEPLOY, d2);
    await env.settle();
    assert.equal(env.pods().length, 5);
    assert.ok(events(env, 'ScalingReplicaSet').includes(`Scaled up replica set ${rs.metadata.name} from 3 to 5`));
    assert.equal(rsList(env)[0]!.metadata.annotations?.['deployment.kubernetes.io/desired-replicas'], '5');
  } finally {
    await env.close();
  }
});

test('Deployment: rolling update respects maxSurge/maxUnavailable; undo reuses the old ReplicaSet', async () => {
  const env = await testEnv({ nodes: 2, kubelet: false });
  try {
    const strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 1 } };
    await env.client.create(DEPLOY, deployment('web', 4, 'nginx:1.25', { strategy }));
    await env.controllers.idle();
    for (let i = 0; i < 10 && await env.kubelet(); i++) await env.controllers.idle();
    assert.equal(getD(env, 'web').status?.availableReplicas, 4);
    await setImage(env, 'web', 'nginx:1.26');
    for (let i = 0; i < 50; i++) {
      await env.controllers.idle();
      const live = env.pods().filter((p) => !p.metadata.deletionTimestamp);
      assert.ok(live.length <= 5, `at most replicas+surge pods, saw ${live.length}`);
      assert.ok(live.filter(isPodReady).length >= 3, 'at least replicas-unavailable ready pods');
      if (await env.kubelet() === 0) break;
    }
    await env.drive();
    let [old, cur] = rsList(env);
    assert.equal(old?.spec?.replicas, 0);
    assert.equal(cur?.spec?.replicas, 4);
    assert.equal(cur?.metadata.annotations?.['deployment.kubernetes.io/revision'], '2');
    let d = getD(env, 'web');
    assert.equal(d.metadata.annotations?.['deployment.kubernetes.io/revision'], '2');
    assert.equal(d.status?.updatedReplicas, 4);
    assert.equal(d.status?.conditions?.find((c) => c.type === 'Progressing')?.reason, 'NewReplicaSetAvailable');
    assert.ok(env.pods().every((p) => p.spec?.containers[0]?.image === 'nginx:1.26'));
    // Undo: kubectl copies the old template back; the controller reuses that ReplicaSet.
    await setImage(env, 'web', 'nginx:1.25');
    await env.drive();
    const all = rsList(env);
    assert.equal(all.length, 2);
    [cur, old] = [all.find((r) => r.metadata.name === old!.metadata.name)!, all.find((r) => r.metadata.name === cur!.metadata.name)!];
    assert.equal(cur.metadata.annotations?.['deployment.kubernetes.io/revision'], '3');
    assert.equal(cur.metadata.annotations?.['deployment.kubernetes.io/revision-history'], '1');
    assert.equal(cur.spec?.replicas, 4);
    assert.equal(old.spec?.replicas, 0);
    d = getD(env, 'web');
    assert.equal(d.metadata.annotations?.['deployment.kubernetes.io/revision'], '3');
  } finally {
    await env.close();
  }
});

test('Deployment: Recreate never runs old and new pods together', async () => {
  const env = await testEnv({ nodes: 2, kubelet: false });
  try {
    await env.client.create(DEPLOY, deployment('db', 2, 'postgres:15', { strategy: { type: 'Recreate' } }));
    await env.controllers.idle();
    for (let i = 0; i < 10 && await env.kubelet(); i++) await env.controllers.idle();
    await setImage(env, 'db', 'postgres:16');
    for (let i = 0; i < 20; i++) {
      await env.controllers.idle();
      const images = new Set(env.pods().map((p) => p.spec?.containers[0]?.image));
      assert.ok(images.size <= 1, 'old and new pods at once');
      if (await env.kubelet() === 0) break;
    }
    await env.drive();
    assert.deepEqual(env.pods().map((p) => p.spec?.containers[0]?.image), ['postgres:16', 'postgres:16']);
    assert.equal(getD(env, 'db').status?.updatedReplicas, 2);
  } finally {
    await env.close();
  }
});

test('Deployment: revisionHistoryLimit, restart, pause', async () => {
  const env = await testEnv({ nodes: 2 });
  try {
    await env.client.create(DEPLOY, deployment('app', 1, 'nginx:1', { revisionHistoryLimit: 1 }));
    await env.settle();
    for (const v of ['2', '3', '4']) {
      await setImage(env, 'app', `nginx:${v}`);
      await env.settle();
    }
    const list = rsList(env);
    assert.equal(list.length, 2);
    assert.deepEqual(list.map((r) => r.metadata.annotations?.['deployment.kubernetes.io/revision']), ['3', '4']);
    // rollout restart: a template annotation makes a new ReplicaSet.
    const d = getD(env, 'app');
    d.spec!.template!.metadata!.annotations = { 'kubectl.kubernetes.io/restartedAt': '2024-01-01T00:00:00Z' };
    await env.client.update(DEPLOY, d);
    await env.settle();
    assert.equal(rsList(env).at(-1)?.metadata.annotations?.['deployment.kubernetes.io/revision'], '5');
    // Paused: template changes wait.
    const p = getD(env, 'app');
    p.spec!.paused = true;
    await env.client.update(DEPLOY, p);
    await env.settle();
    await setImage(env, 'app', 'nginx:9');
    await env.settle();
    // No new ReplicaSet while paused; every ReplicaSet counts as old, so history shrinks to the limit.
    assert.deepEqual(rsList(env).map((x) => x.metadata.annotations?.['deployment.kubernetes.io/revision']), ['5']);
    const prog = getD(env, 'app').status?.conditions?.find((c) => c.type === 'Progressing');
    assert.deepEqual([prog?.status, prog?.reason, prog?.message], ['Unknown', 'DeploymentPaused', 'Deployment is paused']);
    const r = getD(env, 'app');
    r.spec!.paused = false;
    await env.client.update(DEPLOY, r);
    await env.settle();
    assert.ok(env.pods().every((x) => x.spec?.containers[0]?.image === 'nginx:9'));
    assert.equal(getD(env, 'app').status?.conditions?.find((c) => c.type === 'Progressing')?.reason, 'NewReplicaSetAvailable');
  } finally {
    await env.close();
  }
});

test('Deployment: proportional scaling during a stuck rollout', async () => {
  const env = await testEnv({ nodes: 2 });
  try {
    await env.client.create(DEPLOY, deployment('px', 10));
    await env.settle();
    // New pods never become ready: the rollout stalls with both ReplicaSets active.
    const names = new Set(env.pods().map((p) => p.metadata.name!));
    env.holdBack = (p) => !names.has(p.metadata.name!);
    await setImage(env, 'px', 'nginx:broken');
    await env.settle();
    const before = rsList(env).map((r) => r.spec?.replicas ?? 0);
    assert.equal(before.reduce((a, b) => a + b, 0), 13); // 10 + maxSurge 3
    const d = getD(env, 'px');
    d.spec!.replicas = 20;
    await env.client.update(DEPLOY, d);
    await env.settle();
    const after = rsList(env).map((r) => r.spec?.replicas ?? 0);
    assert.equal(after.reduce((a, b) => a + b, 0), 25); // 20 + maxSurge 5
    assert.ok(after.every((n, i) => n > before[i]!), `both grew: ${before} → ${after}`);
  } finally {
    await env.close();
  }
});

export type { KObject };
