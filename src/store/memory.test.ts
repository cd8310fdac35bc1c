import assert from 'node:assert/strict';
import { it } from 'node:test';
import { runStoreContract } from './contract-suite.js';
import { MemoryStore } from './memory.js';
import { openStore } from './index.js';

runStoreContract('MemoryStore', async (historySize) => new MemoryStore({ historySize, onWatcherError: () => undefined }));

it('openStore: ephemeral gives a MemoryStore; durable needs a dir', async () => {
  const s = await openStore({ ephemeral: true });
  assert.ok(s instanceof MemoryStore);
  await s.close();
  await assert.rejects(openStore({ ephemeral: false }), /data directory is required/);
});

it('MemoryStore lists fast from 10,000 objects by prefix', async () => {
  const s = new MemoryStore();
  const writes = [];
  for (let i = 0; i < 10_000; i++) writes.push(s.create(`/core/configmaps/ns${i % 100}/cm${i}`, { metadata: { name: `cm${i}` } }));
  await Promise.all(writes);
  assert.equal(s.list('/core/configmaps/ns7/').items.length, 100);
  assert.equal(s.list('/core/configmaps/').items.length, 10_000);
  await s.close();
});
