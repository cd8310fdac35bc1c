import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from '../api/registry.js';
import { allKinds } from '../api/kinds/index.js';
import { namespaceLifecycle } from '../apiserver/admission.js';
import { openStore } from '../store/index.js';
import { Client, type AnyWatchEvent } from './client.js';

test('listAndWatchAll: every object with its resource, then changes of every resource from that point', async () => {
  const store = await openStore({ ephemeral: true });
  try {
    const client = new Client(store, new Registry(allKinds), namespaceLifecycle(store), 'test');
    await client.create({ resource: 'namespaces' }, { metadata: { name: 'default' } });
    await client.create({ resource: 'configmaps' }, { metadata: { name: 'cm', namespace: 'default' }, data: { a: '1' } });
    const events: AnyWatchEvent[] = [];
    const { items, handle } = client.listAndWatchAll((e) => events.push(e));
    assert.deepEqual(items.map((i) => `${i.def.plural}/${i.object.metadata.name}`).sort(), ['configmaps/cm', 'namespaces/default']);
    assert.equal(events.length, 0, 'what was listed is not sent again');
    await client.create({ resource: 'deployments', group: 'apps' }, {
      metadata: { name: 'web', namespace: 'default' },
      spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
    });
    await client.delete({ resource: 'configmaps' }, 'default', 'cm');
    assert.deepEqual(events.map((e) => `${e.type} ${e.def.group}/${e.def.plural} ${e.object.metadata.name}`), ['ADDED apps/deployments web', 'DELETED /configmaps cm']);
    assert.equal(events[1]?.prevObject?.metadata.name, 'cm');
    handle.stop();
    await client.create({ resource: 'configmaps' }, { metadata: { name: 'after', namespace: 'default' } });
    assert.equal(events.length, 2, 'nothing after stop');
  } finally { await store.close(); }
});
