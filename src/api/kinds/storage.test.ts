import { test } from 'node:test';
import assert from 'node:assert/strict';
import { persistentVolumeClaimDef, type PersistentVolumeClaim } from './pvc.js';
import { persistentVolumeDef, type PersistentVolume } from './pv.js';
import { storageClassDef, type StorageClass } from './storageclass.js';
import { accessModesString } from './storage-common.js';
import { formatFieldError } from '../errors.js';

const now = new Date('2024-01-01T01:00:00Z');
const meta = (name: string, namespace?: string) => ({ name, ...(namespace ? { namespace } : {}), creationTimestamp: '2024-01-01T00:00:00Z' });

function claim(spec: PersistentVolumeClaim['spec'] = { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } }): PersistentVolumeClaim {
  return { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: meta('data', 'default'), spec };
}

test('PVC: defaults volumeMode Filesystem and prints as kube-apiserver (pending, then bound)', () => {
  const pvc = claim();
  persistentVolumeClaimDef.default?.(pvc);
  persistentVolumeClaimDef.prepareForCreate?.(pvc);
  assert.equal(pvc.spec?.volumeMode, 'Filesystem');
  assert.deepEqual(persistentVolumeClaimDef.row(pvc, now), ['data', 'Pending', '', '', '', '', '<unset>', '60m', 'Filesystem']);
  pvc.spec = { ...pvc.spec, volumeName: 'pvc-1', storageClassName: 'standard' };
  pvc.status = { phase: 'Bound', accessModes: ['ReadWriteOnce'], capacity: { storage: '1Gi' } };
  assert.deepEqual(persistentVolumeClaimDef.row(pvc, now), ['data', 'Bound', 'pvc-1', '1Gi', 'RWO', 'standard', '<unset>', '60m', 'Filesystem']);
});

test('PVC validation: accessModes and resources[storage] are required (upstream paths)', () => {
  const errs = persistentVolumeClaimDef.validate?.(claim({}), { operation: 'create' }) ?? [];
  assert.deepEqual(errs.map(formatFieldError), [
    'spec.accessModes: Required value: at least 1 access mode is required',
    'spec.resources[storage]: Required value',
  ]);
  const bad = claim({ accessModes: ['ReadWriteSometimes'], resources: { requests: { storage: '0' } }, volumeMode: 'Raw' });
  assert.deepEqual((persistentVolumeClaimDef.validate?.(bad, { operation: 'create' }) ?? []).map(formatFieldError), [
    'spec.accessModes: Unsupported value: "ReadWriteSometimes": supported values: "ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"',
    'spec.resources[storage]: Invalid value: "0": must be greater than zero',
    'spec.volumeMode: Unsupported value: "Raw": supported values: "Block", "Filesystem"',
  ]);
});

test('PVC update: spec immutable except a first volumeName and growth while bound', () => {
  const old = claim();
  const upd = (f: (p: PersistentVolumeClaim) => void, base = old) => {
    const p = structuredClone(base); f(p);
    return (persistentVolumeClaimDef.validateUpdate?.(p, base) ?? []).map(formatFieldError);
  };
  assert.deepEqual(upd((p) => { p.spec!.volumeName = 'pv1'; }), []);
  assert.match(upd((p) => { p.spec!.accessModes = ['ReadWriteMany']; })[0] ?? '', /^spec: Forbidden: spec is immutable after creation except resources.requests/);
  assert.equal(upd((p) => { p.spec!.resources = { requests: { storage: '2Gi' } }; }).length, 1, 'an unbound claim does not grow');
  const bound = { ...claim({ ...old.spec, volumeName: 'pv1' }), status: { phase: 'Bound', capacity: { storage: '1Gi' } } };
  assert.deepEqual(upd((p) => { p.spec!.resources = { requests: { storage: '2Gi' } }; }, bound), []);
  assert.deepEqual(upd((p) => { p.spec!.resources = { requests: { storage: '512Mi' } }; }, bound),
    ['spec.resources.requests.storage: Forbidden: field can not be less than status.capacity']);
  assert.match(upd((p) => { p.spec!.volumeName = 'other'; }, bound)[0] ?? '', /spec is immutable/);
});

test('PV: defaults, exactly one source, printer columns', () => {
  const pv: PersistentVolume = { apiVersion: 'v1', kind: 'PersistentVolume', metadata: meta('pv1'),
    spec: { capacity: { storage: '5Gi' }, accessModes: ['ReadWriteMany', 'ReadWriteOnce'], hostPath: { path: '/tmp/x' }, claimRef: { namespace: 'default', name: 'data' } } };
  persistentVolumeDef.default?.(pv);
  assert.equal(pv.spec?.persistentVolumeReclaimPolicy, 'Retain');
  assert.deepEqual(persistentVolumeDef.validate?.(pv, { operation: 'create' }), []);
  pv.status = { phase: 'Bound' };
  assert.deepEqual(persistentVolumeDef.row(pv, now), ['pv1', '5Gi', 'RWO,RWX', 'Retain', 'Bound', 'default/data', '', '<unset>', '', '60m', 'Filesystem']);
  const none: PersistentVolume = { apiVersion: 'v1', kind: 'PersistentVolume', metadata: meta('pv2'), spec: { persistentVolumeReclaimPolicy: 'Keep' } };
  assert.deepEqual((persistentVolumeDef.validate?.(none, { operation: 'create' }) ?? []).map(formatFieldError), [
    'spec.accessModes: Required value',
    'spec.capacity: Required value',
    'spec.persistentVolumeReclaimPolicy: Unsupported value: "Keep": supported values: "Delete", "Recycle", "Retain"',
    'spec: Required value: must specify a volume type',
  ]);
});

test('StorageClass: defaults, (default) marker, immutable provisioner', () => {
  const sc: StorageClass = { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', provisioner: 'rancher.io/local-path',
    metadata: { ...meta('standard'), annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } } };
  storageClassDef.default?.(sc);
  assert.equal(sc.reclaimPolicy, 'Delete');
  assert.equal(sc.volumeBindingMode, 'Immediate');
  assert.deepEqual(storageClassDef.row(sc, now), ['standard (default)', 'rancher.io/local-path', 'Delete', 'Immediate', 'false', '60m']);
  const changed = { ...sc, provisioner: 'example.com/other' };
  assert.deepEqual((storageClassDef.validateUpdate?.(changed, sc) ?? []).map(formatFieldError), ['provisioner: Forbidden: updates to provisioner are forbidden.']);
});

test('accessModesString orders as GetAccessModesAsString', () => {
  assert.equal(accessModesString(['ReadWriteOncePod', 'ReadOnlyMany', 'ReadWriteOnce', 'ReadWriteOnce']), 'RWO,ROX,RWOP');
});
