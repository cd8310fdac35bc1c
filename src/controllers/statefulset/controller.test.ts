import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../api/meta.js';
import type { StatefulSet } from '../../api/kinds/statefulset.js';
import type { Pod } from '../../api/kinds/pod.js';
import { testEnv } from '../util/testenv.js';

const STS = { resource: 'statefulsets', group: 'apps' };
const CR = { resource: 'controllerrevisions', group: 'apps' };

function statefulSet(name: string, replicas: number, extra: Record<string, unknown> = {}): KObject {
  return {
    apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name, namespace: 'default' },
    spec: {
      replicas, serviceName: name, selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.25' }] } }, ...extra,
    },
  };
}

const names = (pods: Pod[]) => pods.map((p) => p.metadata.name!).sort();
const image = (p: Pod | undefined) => p?.spec?.containers[0]?.image;

test('StatefulSet OrderedReady: one pod at a time in ordinal order, identity labels, hostname and subdomain', async () => {
  const env = await testEnv({ nodes: 2, kubelet: false });
  try {
    await env.client.create(STS, statefulSet('web', 3));
    await env.settle();
    assert.deepEqual(names(env.pods()), ['web-0'], 'web-1 waits for web-0 to be Running and Ready');
    await env.drive(1);
    await env.kubelet();
    await env.controllers.idle();
    assert.deepEqual(names(env.pods()), ['web-0', 'web-1']);
    await env.drive();
    const pods = env.pods();
    assert.deepEqual(names(pods), ['web-0', 'web-1', 'web-2']);
    const s = env.client.get(STS, 'default', 'web') as StatefulSet;
    const p1 = pods.find((p) => p.metadata.name === 'web-1')!;
    assert.equal(p1.spec?.hostname, 'web-1');
    assert.equal(p1.spec?.subdomain, 'web');
    assert.equal(p1.metadata.labels?.['statefulset.kubernetes.io/pod-name'], 'web-1');
    assert.equal(p1.metadata.labels?.['apps.kubernetes.io/pod-index'], '1');
    assert.equal(p1.metadata.labels?.['controller-revision-hash'], s.status?.updateRevision);
    assert.match(s.status!.updateRevision!, /^web-[bcdfghjklmnpqrstvwxz2456789]+$/);
    assert.deepEqual({ ...s.status, currentRevision: undefined, updateRevision: undefined }, {
      replicas: 3, readyReplicas: 3, currentReplicas: 3, updatedReplicas: 3, availableReplicas: 3, collisionCount: 0, observedGeneration: 1,
      currentRevision: undefined, updateRevision: undefined,
    });
    assert.equal(s.status?.currentRevision, s.status?.updateRevision);
    const revs = env.client.list(CR, 'default');
    assert.equal(revs.length, 1);
    assert.equal((revs[0] as { revision?: number }).revision, 1);
    const events = env.client.list({ resource: 'events' }, 'default').map((e) => (e as { message?: string }).message);
    assert.ok(events.includes('create Pod web-0 in StatefulSet web successful'), String(events));
  } finally { await env.close(); }
});

test('StatefulSet: scale down removes the highest ordinal first; Parallel creates all at once', async () => {
  const env = await testEnv({ nodes: 2 });
  try {
    await env.client.create(STS, statefulSet('web', 3));
    await env.settle();
    const s = env.client.get(STS, 'default', 'web') as StatefulSet;
    s.spec!.replicas = 1;
    await env.client.update(STS, s);
    await env.controllers.idle();
    const deleted = env.pods().filter((p) => p.metadata.deletionTimestamp).map((p) => p.metadata.name);
    assert.deepEqual(deleted, ['web-2'], 'OrderedReady deletes web-2 first and waits');
    await env.settle();
    assert.deepEqual(names(env.pods()), ['web-0']);

    await env.client.create(STS, statefulSet('par', 3, { podManagementPolicy: 'Parallel' }));
    await env.controllers.idle();
    assert.deepEqual(names(env.pods().filter((p) => p.metadata.name!.startsWith('par-'))), ['par-0', 'par-1', 'par-2']);
  } finally { await env.close(); }
});

test('StatefulSet RollingUpdate: partition keeps lower ordinals, updates go from the highest ordinal down; OnDelete waits', async () => {
  const env = await testEnv({ nodes: 2 });
  try {
    await env.client.create(STS, statefulSet('web', 3, { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 1 } } }));
    await env.settle();
    let s = env.client.get(STS, 'default', 'web') as StatefulSet;
    const first = s.status!.updateRevision!;
    s.spec!.template!.spec!.containers[0]!.image = 'nginx:1.26';
    await env.client.update(STS, s);
    await env.controllers.idle();
    assert.deepEqual(env.pods().filter((p) => p.metadata.deletionTimestamp).map((p) => p.metadata.name), ['web-2']);
    await env.settle();
    const byName = new Map(env.pods().map((p) => [p.metadata.name!, p]));
    assert.equal(image(byName.get('web-0')), 'nginx:1.25');
    assert.equal(image(byName.get('web-1')), 'nginx:1.26');
    assert.equal(image(byName.get('web-2')), 'nginx:1.26');
    s = env.client.get(STS, 'default', 'web') as StatefulSet;
    assert.equal(s.status?.updatedReplicas, 2);
    assert.equal(s.status?.currentReplicas, 1);
    assert.equal(s.status?.currentRevision, first);
    assert.notEqual(s.status?.updateRevision, first);
    assert.equal(env.client.list(CR, 'default').length, 2);

    s.spec!.updateStrategy = { type: 'RollingUpdate', rollingUpdate: { partition: 0 } };
    await env.client.update(STS, s);
    await env.settle();
    s = env.client.get(STS, 'default', 'web') as StatefulSet;
    assert.equal(image(env.pods().find((p) => p.metadata.name === 'web-0')), 'nginx:1.26');
    assert.equal(s.status?.currentRevision, s.status?.updateRevision);

    s.spec!.updateStrategy = { type: 'OnDelete' };
    s.spec!.template!.spec!.containers[0]!.image = 'nginx:1.27';
    await env.client.update(STS, s);
    await env.settle();
    assert.ok(env.pods().every((p) => image(p) === 'nginx:1.26'), 'OnDelete leaves pods alone');
    await env.client.delete({ resource: 'pods' }, 'default', 'web-1');
    await env.settle();
    assert.equal(image(env.pods().find((p) => p.metadata.name === 'web-1')), 'nginx:1.27');
  } finally { await env.close(); }
});

test('StatefulSet: volumeClaimTemplates become pod volumes named <template>-<set>-<ordinal>', async () => {
  const env = await testEnv({ nodes: 1, kubelet: false });
  try {
    await env.client.create(STS, statefulSet('db', 1, {
      volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
    }));
    await env.controllers.idle();
    const s = env.client.get(STS, 'default', 'db') as StatefulSet;
    assert.deepEqual(s.spec?.volumeClaimTemplates?.[0]?.status, { phase: 'Pending' });
    assert.equal(s.spec?.volumeClaimTemplates?.[0]?.spec?.volumeMode, 'Filesystem');
    const pod = env.pods().find((p) => p.metadata.name === 'db-0');
    assert.deepEqual(pod?.spec?.volumes?.find((v) => v.name === 'data')?.persistentVolumeClaim, { claimName: 'data-db-0' });
    const claim = env.client.get({ resource: 'persistentvolumeclaims' }, 'default', 'data-db-0') as KObject & { spec?: { resources?: unknown } };
    assert.deepEqual(claim.metadata.labels, { app: 'db' });
    assert.deepEqual(claim.spec?.resources, { requests: { storage: '1Gi' } });
    assert.equal(claim.metadata.ownerReferences, undefined, 'whenDeleted Retain: the claim outlives the set');
    const events = env.client.list({ resource: 'events' }, 'default').map((e) => (e as { message?: string }).message);
    assert.ok(events.includes('create Claim data-db-0 Pod db-0 in StatefulSet db success'), String(events));
  } finally { await env.close(); }
});

test('StatefulSet persistentVolumeClaimRetentionPolicy: whenScaled Delete removes the claims of condemned pods, Retain keeps the rest', async () => {
  const env = await testEnv({ nodes: 1, gc: true });
  try {
    // Parallel: the test cluster has no volume controller, so claims stay Pending and pods unscheduled.
    await env.client.create(STS, statefulSet('db', 2, {
      podManagementPolicy: 'Parallel', persistentVolumeClaimRetentionPolicy: { whenScaled: 'Delete' },
      volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
    }));
    await env.settle();
    const claim = (n: string) => env.client.get({ resource: 'persistentvolumeclaims' }, 'default', n);
    assert.ok(claim('data-db-0') && claim('data-db-1'));
    const s = env.client.get(STS, 'default', 'db') as StatefulSet;
    assert.deepEqual(s.spec?.persistentVolumeClaimRetentionPolicy, { whenDeleted: 'Retain', whenScaled: 'Delete' });
    s.spec!.replicas = 1;
    await env.client.update(STS, s);
    await env.settle();
    assert.deepEqual(names(env.pods()), ['db-0']);
    assert.equal(claim('data-db-1'), undefined, 'the claim of db-1 is collected with its pod');
    assert.ok(claim('data-db-0') && !claim('data-db-0')!.metadata.deletionTimestamp);
  } finally { await env.close(); }
});

test('StatefulSet identity (upstream identityMatches): an adopted pod gets its name labels; its immutable hostname and subdomain are left alone', async () => {
  const env = await testEnv({ nodes: 1, kubelet: true });
  try {
    // A pod named like ordinal 0 with the set's labels but no StatefulSet identity (made by hand, then adopted).
    const made = await env.client.create({ resource: 'pods' }, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-0', namespace: 'default', labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.25' }] } });
    // OnDelete: the adopted pod of another revision is kept (not replaced), so its identity is repaired in place.
    await env.client.create(STS, statefulSet('web', 1, { updateStrategy: { type: 'OnDelete' } }));
    await env.settle();
    const p0 = env.pods().find((p) => p.metadata.name === 'web-0');
    assert.equal(p0?.metadata.uid, made.metadata.uid, 'the same pod, adopted');
    assert.equal(p0?.metadata.labels?.['statefulset.kubernetes.io/pod-name'], 'web-0', 'the name labels are set (a metadata update)');
    assert.equal(p0?.metadata.labels?.['apps.kubernetes.io/pod-index'], '0');
    assert.equal(p0?.spec?.hostname, undefined, 'hostname is immutable on a pod: never updated');
    assert.equal(p0?.spec?.subdomain, undefined);
  } finally { await env.close(); }
});
