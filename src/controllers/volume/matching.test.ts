import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PersistentVolume } from '../../api/kinds/pv.js';
import type { PersistentVolumeClaim } from '../../api/kinds/pvc.js';
import { findMatchingVolume, podUsesVolumes } from './matching.js';
import type { Pod } from '../../api/kinds/pod.js';

const pv = (name: string, storage: string, extra: Partial<NonNullable<PersistentVolume['spec']>> = {}, labels?: Record<string, string>): PersistentVolume => ({
  apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name, ...(labels ? { labels } : {}) },
  spec: { capacity: { storage }, accessModes: ['ReadWriteOnce'], storageClassName: 'manual', hostPath: { path: `/mnt/${name}` }, ...extra },
});
const pvc = (spec: Partial<NonNullable<PersistentVolumeClaim['spec']>> = {}): PersistentVolumeClaim => ({
  apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'c', namespace: 'default', uid: 'u1' },
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, storageClassName: 'manual', ...spec },
});

// Cases after pkg/controller/volume/persistentvolume/index_test.go: smallest fit, class, modes, selector, pre-binding.
test('findMatchingVolume: the smallest volume that satisfies the claim', () => {
  const vols = [pv('big', '10Gi'), pv('small', '1Gi'), pv('tiny', '500Mi'), pv('other-class', '1Gi', { storageClassName: 'fast' })];
  assert.equal(findMatchingVolume(pvc(), vols)?.metadata.name, 'small');
  assert.equal(findMatchingVolume(pvc({ accessModes: ['ReadWriteMany'] }), vols), undefined);
  assert.equal(findMatchingVolume(pvc({ storageClassName: 'fast' }), vols)?.metadata.name, 'other-class');
});

test('findMatchingVolume: selector, claimRef pre-binding and spec.volumeName', () => {
  const gold = pv('gold', '5Gi', {}, { tier: 'gold' });
  const taken = pv('taken', '1Gi', { claimRef: { namespace: 'default', name: 'someone', uid: 'x' } });
  const mine = pv('mine', '8Gi', { claimRef: { namespace: 'default', name: 'c' } });
  assert.equal(findMatchingVolume(pvc({ selector: { matchLabels: { tier: 'gold' } } }), [pv('plain', '1Gi'), gold])?.metadata.name, 'gold');
  assert.equal(findMatchingVolume(pvc(), [taken]), undefined);
  assert.equal(findMatchingVolume(pvc(), [pv('plain', '1Gi'), mine])?.metadata.name, 'mine');
  assert.equal(findMatchingVolume(pvc({ volumeName: 'gold' }), [pv('plain', '1Gi'), gold])?.metadata.name, 'gold');
  assert.equal(findMatchingVolume(pvc({ volumeName: 'taken' }), [taken]), undefined);
});

test('podUsesVolumes (pvc-protection): only a pod bound to a node and not finished holds its claims', () => {
  const pod = (nodeName: string | undefined, phase: string) => ({ metadata: { name: 'p' }, spec: { ...(nodeName ? { nodeName } : {}), containers: [] }, status: { phase } }) as unknown as Pod;
  assert.equal(podUsesVolumes(pod(undefined, 'Pending')), false, 'an unscheduled Pending pod must not block the claim (the scheduler waits on it)');
  assert.equal(podUsesVolumes(pod('n1', 'Pending')), true);
  assert.equal(podUsesVolumes(pod('n1', 'Running')), true);
  assert.equal(podUsesVolumes(pod('n1', 'Succeeded')), false);
  assert.equal(podUsesVolumes(pod('n1', 'Failed')), false);
});
