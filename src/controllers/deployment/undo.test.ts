import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Deployment } from '../../api/kinds/deployment.js';
import type { ReplicaSet } from '../../api/kinds/replicaset.js';
import type { Pod } from '../../api/kinds/pod.js';
import { deployment, testEnv, type TestEnv } from '../util/testenv.js';

const DEPLOY = { resource: 'deployments', group: 'apps' };
const RS = { resource: 'replicasets', group: 'apps' };

const getD = (env: TestEnv, name: string) => env.client.get(DEPLOY, 'default', name) as Deployment;
const rsList = (env: TestEnv) => env.client.list(RS, 'default') as ReplicaSet[];
const live = (env: TestEnv) => env.pods().filter((p) => !p.metadata.deletionTimestamp);

async function edit(env: TestEnv, name: string, change: (d: Deployment) => void): Promise<void> {
  const d = getD(env, name);
  change(d);
  await env.client.update(DEPLOY, d);
}

/**
 * The fake kubelet terminates gracefully like the node agent: the controllers delete a pod (it gets a
 * deletionTimestamp), and only a later kubelet pass removes it with gracePeriodSeconds=0.
 */
async function settleGracefully(env: TestEnv): Promise<void> {
  await env.settle();
  assert.equal(env.pods().filter((p) => p.metadata.deletionTimestamp).length, 0, 'no pod left terminating');
}

/** Every ReplicaSet's pods match its spec, its status saw its generation, and the deployment is complete. */
function assertConverged(env: TestEnv, name: string, image: string, n: number): void {
  for (const rs of rsList(env)) {
    const owned = live(env).filter((p: Pod) => p.metadata.ownerReferences?.[0]?.uid === rs.metadata.uid);
    const label = `${rs.metadata.name} (spec ${rs.spec?.replicas}, status ${JSON.stringify(rs.status)})`;
    assert.equal(owned.length, rs.spec?.replicas, label);
    assert.equal(rs.status?.replicas ?? 0, rs.spec?.replicas, label);
    assert.equal(rs.status?.observedGeneration, rs.metadata.generation, label);
  }
  const pods = live(env);
  assert.equal(pods.length, n);
  assert.ok(pods.every((p) => p.spec?.containers[0]?.image === image), pods.map((p) => p.spec?.containers[0]?.image).join());
  const d = getD(env, name);
  assert.deepEqual([d.status?.replicas ?? 0, d.status?.updatedReplicas ?? 0, d.status?.availableReplicas ?? 0], [n, n, n]);
}

test('Deployment: undo to a ReplicaSet scaled to 0 (graceful pod deletion) scales it back up', async () => {
  const env = await testEnv({ nodes: 2 });
  try {
    await env.client.create(DEPLOY, deployment('nginx', 3, 'nginx'));
    await settleGracefully(env);
    const first = rsList(env)[0]!;
    await edit(env, 'nginx', (d) => { d.spec!.template!.spec!.containers[0]!.image = 'nginx:1.27'; });
    await settleGracefully(env);
    assertConverged(env, 'nginx', 'nginx:1.27', 3);
    const genAtZero = (env.client.get(RS, 'default', first.metadata.name!) as ReplicaSet).metadata.generation!;
    // rollout undo: the old template comes back, and the first ReplicaSet is reused.
    await edit(env, 'nginx', (d) => { d.spec!.template!.spec!.containers[0]!.image = 'nginx'; });
    await settleGracefully(env);
    const reused = env.client.get(RS, 'default', first.metadata.name!) as ReplicaSet;
    assert.equal(reused.spec?.replicas, 3);
    assert.ok(reused.metadata.generation! > genAtZero, 'scaling up bumps the generation');
    assert.equal(reused.metadata.annotations?.['deployment.kubernetes.io/revision'], '3');
    assertConverged(env, 'nginx', 'nginx', 3);
    // And forth again.
    await edit(env, 'nginx', (d) => { d.spec!.template!.spec!.containers[0]!.image = 'nginx:1.27'; });
    await settleGracefully(env);
    assertConverged(env, 'nginx', 'nginx:1.27', 3);
  } finally {
    await env.close();
  }
});

test('Deployment: rollout restart, scale to 0 and back up', async () => {
  const env = await testEnv({ nodes: 2 });
  try {
    await env.client.create(DEPLOY, deployment('web', 3, 'nginx'));
    await settleGracefully(env);
    for (const at of ['2024-01-01T00:00:00Z', '2024-01-02T00:00:00Z']) {
      await edit(env, 'web', (d) => { d.spec!.template!.metadata!.annotations = { 'kubectl.kubernetes.io/restartedAt': at }; });
      await settleGracefully(env);
      assertConverged(env, 'web', 'nginx', 3);
    }
    await edit(env, 'web', (d) => { d.spec!.replicas = 0; });
    await settleGracefully(env);
    assertConverged(env, 'web', 'nginx', 0);
    await edit(env, 'web', (d) => { d.spec!.replicas = 3; });
    await settleGracefully(env);
    assertConverged(env, 'web', 'nginx', 3);
    // Undo of the restart (template without the annotation of the latest one) while scaling.
    await edit(env, 'web', (d) => { d.spec!.template!.metadata!.annotations = { 'kubectl.kubernetes.io/restartedAt': '2024-01-01T00:00:00Z' }; d.spec!.replicas = 2; });
    await settleGracefully(env);
    assertConverged(env, 'web', 'nginx', 2);
  } finally {
    await env.close();
  }
});
