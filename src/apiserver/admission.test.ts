// NamespaceLifecycle on delete (plugin/pkg/admission/namespace/lifecycle): default, kube-system and
// kube-public may not be deleted; other namespaces may.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StatusError } from '../api/errors.js';
import { baseEnv } from '../controllers/util/testenv.js';

test('default, kube-system and kube-public may not be deleted: 403 "this namespace may not be deleted"; others may', async () => {
  const { client, store } = await baseEnv(1);
  const NS = { resource: 'namespaces' };
  for (const name of ['kube-system', 'kube-public', 'kube-node-lease', 'team']) if (!client.get(NS, '', name)) await client.create(NS, { metadata: { name } });
  for (const name of ['default', 'kube-system', 'kube-public']) {
    await assert.rejects(client.delete(NS, '', name), (e: StatusError) => e.status.code === 403 && e.status.reason === 'Forbidden'
      && e.status.message === `namespaces "${name}" is forbidden: this namespace may not be deleted`);
    assert.equal(client.get(NS, '', name)?.metadata.deletionTimestamp, undefined, `${name} untouched`);
  }
  await client.delete(NS, '', 'kube-node-lease');
  await client.delete(NS, '', 'team');
  await store.close();
});
