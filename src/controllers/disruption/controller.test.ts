import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../api/meta.js';
import type { PodDisruptionBudget } from '../../api/kinds/pdb.js';
import { baseEnv } from '../util/testenv.js';
import { controllerGroup } from '../group.js';
import { startDisruptionController } from './controller.js';

const PDB = { resource: 'poddisruptionbudgets', group: 'policy' };

test('disruption controller: expectedPods of a StatefulSet\'s pods is its replicas (upstream getExpectedScale), not the pods that exist', async () => {
  const { store, client, view, batcher } = await baseEnv(1);
  const dc = startDisruptionController(client, { view, batcher } as never);
  const group = controllerGroup([dc], batcher);
  try {
    const labels = { app: 'db' };
    const sts = await client.create({ resource: 'statefulsets', group: 'apps' }, {
      apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db', namespace: 'default' },
      spec: { replicas: 3, serviceName: 'db', selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
    });
    const owner = [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db', uid: sts.metadata.uid!, controller: true }];
    // Two of the three pods exist (the third is still being created).
    for (const i of [0, 1]) {
      await client.create({ resource: 'pods' }, { metadata: { name: `db-${i}`, namespace: 'default', labels, ownerReferences: owner }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } as KObject);
    }
    await client.create(PDB, { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'db', namespace: 'default' }, spec: { maxUnavailable: 1, selector: { matchLabels: labels } } } as KObject);
    const end = Date.now() + 5000;
    let pdb: PodDisruptionBudget | undefined;
    while (Date.now() < end) {
      await group.idle();
      pdb = client.get(PDB, 'default', 'db') as PodDisruptionBudget;
      if (pdb.status?.expectedPods !== undefined) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.equal(pdb?.status?.expectedPods, 3);
    assert.equal(pdb?.status?.desiredHealthy, 2);
  } finally {
    group.stop();
    view.stop();
    await store.close();
  }
});
