import { test } from 'node:test';
import assert from 'node:assert/strict';
import { persistentVolumeClaimDef } from '../api/kinds/pvc.js';
import { persistentVolumeDef } from '../api/kinds/pv.js';
import { storageClassDef } from '../api/kinds/storageclass.js';
import type { KObject } from '../api/meta.js';
import { storeKey } from '../api/registry.js';
import { MemoryStore } from '../store/memory.js';
import { storageAdmission } from './storage-admission.js';
import { createObject } from './storage/write.js';

const sc = (name: string, created: string, annotations?: Record<string, string>): KObject => ({
  apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', provisioner: 'rancher.io/local-path',
  metadata: { name, creationTimestamp: created, ...(annotations ? { annotations } : {}) },
} as KObject);
const claim = (spec: Record<string, unknown> = {}, annotations?: Record<string, string>): KObject => ({
  apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data', ...(annotations ? { annotations } : {}) },
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, ...spec },
});

async function classOf(classes: KObject[], pvc: KObject): Promise<string | undefined> {
  const store = new MemoryStore();
  for (const c of classes) await store.create(storeKey(storageClassDef, '', c.metadata.name), c);
  const out = (await createObject(store, persistentVolumeClaimDef, 'default', pvc, {}, storageAdmission(store))).object;
  assert.deepEqual(out.metadata.finalizers, ['kubernetes.io/pvc-protection']);
  return (out.spec as { storageClassName?: string }).storageClassName;
}

// Cases from plugin/pkg/admission/storage/storageclass/setdefault/admission_test.go.
test('DefaultStorageClass: the newest default class is set on a claim without one', async () => {
  const DEF = { 'storageclass.kubernetes.io/is-default-class': 'true' };
  assert.equal(await classOf([], claim()), undefined);
  assert.equal(await classOf([sc('a', '2024-01-01T00:00:00Z')], claim()), undefined);
  assert.equal(await classOf([sc('a', '2024-01-01T00:00:00Z', DEF), sc('b', '2024-01-02T00:00:00Z', DEF)], claim()), 'b');
  assert.equal(await classOf([sc('a', '2024-01-01T00:00:00Z', { 'storageclass.beta.kubernetes.io/is-default-class': 'true' })], claim()), 'a');
});

test('DefaultStorageClass: an explicit class, even "", and the beta annotation are kept', async () => {
  const classes = [sc('standard', '2024-01-01T00:00:00Z', { 'storageclass.kubernetes.io/is-default-class': 'true' })];
  assert.equal(await classOf(classes, claim({ storageClassName: '' })), '');
  assert.equal(await classOf(classes, claim({ storageClassName: 'fast' })), 'fast');
  assert.equal(await classOf(classes, claim({}, { 'volume.beta.kubernetes.io/storage-class': 'slow' })), undefined);
});

test('StorageObjectInUseProtection: a new volume gets kubernetes.io/pv-protection once', async () => {
  const store = new MemoryStore();
  const pv = { apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'pv1', finalizers: ['kubernetes.io/pv-protection'] },
    spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: '/tmp/pv1' } } };
  const out = (await createObject(store, persistentVolumeDef, '', pv, {}, storageAdmission(store))).object;
  assert.deepEqual(out.metadata.finalizers, ['kubernetes.io/pv-protection']);
});
