import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from '../../api/registry.js';
import { allKinds } from '../../api/kinds/index.js';
import type { KObject } from '../../api/meta.js';
import { openStore } from '../../store/index.js';
import { Client } from '../../client/client.js';
import { MemoryFileSystem } from '../../images/fs.js';
import { namespaceLifecycle } from '../../apiserver/admission.js';
import { VolumeSync } from './volume-sync.js';

test('mounted ConfigMaps follow edits on the next sync; subPath mounts and gone pods do not', async () => {
  const store = await openStore({ ephemeral: true });
  const client = new Client(store, new Registry(allKinds), namespaceLifecycle(store), 'test');
  try {
    await client.create({ resource: 'namespaces' }, { metadata: { name: 'kube-system' } });
    const cm = await client.create({ resource: 'configmaps' }, { metadata: { name: 'coredns', namespace: 'kube-system' }, data: { Corefile: 'v1' } } as KObject);
    const pod = await client.create({ resource: 'pods' }, { metadata: { name: 'coredns-1', namespace: 'kube-system' }, spec: { containers: [{ name: 'c', image: 'x' }] } } as KObject);
    const fs = new MemoryFileSystem({ '/etc/coredns/Corefile': 'v1', '/etc/single': 'v1' });
    const vols = [{ name: 'config-volume', configMap: { name: 'coredns', items: [{ key: 'Corefile', path: 'Corefile' }] } }, { name: 'sub', configMap: { name: 'coredns' } }];
    const sync = new VolumeSync(client, 60_000);
    sync.track(pod, fs, [{ name: 'config-volume', mountPath: '/etc/coredns' }, { name: 'sub', mountPath: '/etc/single', subPath: 'Corefile' }], vols);
    await client.update({ resource: 'configmaps' }, { ...cm, data: { Corefile: 'v2' } });
    assert.equal(fs.read('/etc/coredns/Corefile')?.toString(), 'v1', 'not before the sync');
    sync.sync();
    assert.equal(fs.read('/etc/coredns/Corefile')?.toString(), 'v2');
    assert.equal(fs.read('/etc/single')?.toString(), 'v1', 'subPath mounts never update');
    await client.delete({ resource: 'pods' }, 'kube-system', 'coredns-1');
    await client.update({ resource: 'configmaps' }, { ...(client.peek({ resource: 'configmaps' }, 'kube-system', 'coredns') as KObject), data: { Corefile: 'v3' } });
    sync.sync();
    assert.equal(fs.read('/etc/coredns/Corefile')?.toString(), 'v2', 'a deleted pod is forgotten');
    sync.stop();
  } finally {
    await store.close();
  }
});

test('keys removed from a mounted Secret disappear from the volume on the next sync; the projected token stays', async () => {
  const store = await openStore({ ephemeral: true });
  const client = new Client(store, new Registry(allKinds), namespaceLifecycle(store), 'test');
  try {
    await client.create({ resource: 'namespaces' }, { metadata: { name: 'shop' } });
    const sec = await client.create({ resource: 'secrets' }, { metadata: { name: 'creds', namespace: 'shop' }, data: { user: Buffer.from('u').toString('base64'), pass: Buffer.from('p').toString('base64') } } as KObject);
    await client.create({ resource: 'configmaps' }, { metadata: { name: 'kube-root-ca.crt', namespace: 'shop' }, data: { 'ca.crt': 'PEM' } } as KObject);
    const pod = await client.create({ resource: 'pods' }, { metadata: { name: 'web', namespace: 'shop' }, spec: { automountServiceAccountToken: false, containers: [{ name: 'c', image: 'x' }] } } as KObject);
    const api = '/var/run/secrets/kubernetes.io/serviceaccount';
    const fs = new MemoryFileSystem({ '/etc/creds/user': 'u', '/etc/creds/pass': 'p', [`${api}/token`]: 'jwt', [`${api}/ca.crt`]: 'PEM', [`${api}/namespace`]: 'shop' });
    const vols = [{ name: 'creds', secret: { secretName: 'creds' } }, { name: 'api', projected: { sources: [{ serviceAccountToken: { path: 'token' } }, { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } }, { downwardAPI: { items: [{ path: 'namespace', fieldRef: { fieldPath: 'metadata.namespace' } }] } }] } }];
    const sync = new VolumeSync(client, 60_000);
    sync.track(pod, fs, [{ name: 'creds', mountPath: '/etc/creds' }, { name: 'api', mountPath: api }], vols);
    await client.update({ resource: 'secrets' }, { ...sec, data: { user: Buffer.from('u2').toString('base64') } });
    sync.sync();
    assert.deepEqual(fs.list('/etc/creds'), ['user']);
    assert.equal(fs.read('/etc/creds/user')?.toString(), 'u2');
    assert.deepEqual(fs.list(api)?.sort(), ['ca.crt', 'namespace', 'token']);
    sync.stop();
  } finally {
    await store.close();
  }
});
