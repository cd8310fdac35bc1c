import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../../api/kinds/pod.js';
import type { PersistentVolume } from '../../api/kinds/pv.js';
import type { PersistentVolumeClaim } from '../../api/kinds/pvc.js';
import type { StorageClass } from '../../api/kinds/storageclass.js';
import { checkPodVolumes, volumeNodeConflict, REASON_VOLUME_AFFINITY } from './volumes.js';
import type { SchedNode } from './filters.js';

const pod = (...claims: string[]): Pod => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' },
  spec: { containers: [], volumes: claims.map((c) => ({ name: c, persistentVolumeClaim: { claimName: c } })) } } as Pod);
const claim = (name: string, cls: string, volumeName?: string, deleting = false): PersistentVolumeClaim => ({ apiVersion: 'v1', kind: 'PersistentVolumeClaim',
  metadata: { name, namespace: 'default', ...(deleting ? { deletionTimestamp: '2024-01-01T00:00:00Z' } : {}) }, spec: { storageClassName: cls, ...(volumeName ? { volumeName } : {}) } });
const claims = [claim('wffc', 'standard'), claim('imm', 'fast'), claim('bound', 'standard', 'pv1'), claim('gone', 'standard', undefined, true)];
const classes: Record<string, StorageClass> = {
  standard: { metadata: { name: 'standard' }, provisioner: 'p', volumeBindingMode: 'WaitForFirstConsumer' } as StorageClass,
  fast: { metadata: { name: 'fast' }, provisioner: 'p', volumeBindingMode: 'Immediate' } as StorageClass,
};
const pv1 = { metadata: { name: 'pv1' }, spec: { nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['n1'] }] }] } } } } as PersistentVolume;
const lookup = {
  claim: (_ns: string, name: string) => claims.find((c) => c.metadata.name === name),
  volume: (name: string) => (name === 'pv1' ? pv1 : undefined),
  storageClass: (name: string) => classes[name],
};
const node = (name: string): SchedNode => ({ metadata: { name, labels: { 'kubernetes.io/hostname': name } } });

// Messages of the VolumeBinding plugin (pkg/scheduler/framework/plugins/volumebinding).
test('checkPodVolumes: missing, deleting and unbound Immediate claims stop the pod; WFFC claims wait for a node', () => {
  assert.deepEqual(checkPodVolumes(pod('nope'), lookup), { error: 'persistentvolumeclaim "nope" not found' });
  assert.deepEqual(checkPodVolumes(pod('gone'), lookup), { error: 'persistentvolumeclaim "gone" is being deleted' });
  assert.deepEqual(checkPodVolumes(pod('imm'), lookup), { error: 'pod has unbound immediate PersistentVolumeClaims' });
  const ok = checkPodVolumes(pod('wffc', 'bound'), lookup);
  assert.ok(!('error' in ok));
  assert.deepEqual(ok.waitFor.map((c) => c.metadata.name), ['wffc']);
  assert.equal(volumeNodeConflict(ok, node('n1')), undefined);
  assert.equal(volumeNodeConflict(ok, node('n2')), REASON_VOLUME_AFFINITY);
});
