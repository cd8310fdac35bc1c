import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultStatefulSet, statefulSetDef, validateStatefulSet, validateStatefulSetUpdate, type StatefulSet } from './statefulset.js';
import { daemonSetDef, defaultDaemonSet, validateDaemonSet, type DaemonSet } from './daemonset.js';
import { controllerCell, validateControllerRevision, type ControllerRevision } from './controllerrevision.js';
import { formatFieldError } from '../errors.js';

const tpl = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx' }] } };
const sts = (spec: Record<string, unknown> = {}): StatefulSet =>
  ({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'web', namespace: 'default', creationTimestamp: '2026-01-01T00:00:00Z' }, spec: { selector: { matchLabels: { app: 'web' } }, template: structuredClone(tpl), ...spec } }) as StatefulSet;
const ds = (spec: Record<string, unknown> = {}): DaemonSet =>
  ({ apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent', namespace: 'default', creationTimestamp: '2026-01-01T00:00:00Z' }, spec: { selector: { matchLabels: { app: 'web' } }, template: structuredClone(tpl), ...spec } }) as DaemonSet;
const messages = (errs: Parameters<typeof formatFieldError>[0][]) => errs.map(formatFieldError);

test('StatefulSet defaults (SetDefaults_StatefulSet)', () => {
  const s = sts();
  defaultStatefulSet(s);
  assert.equal(s.spec?.podManagementPolicy, 'OrderedReady');
  assert.deepEqual(s.spec?.updateStrategy, { type: 'RollingUpdate', rollingUpdate: { partition: 0, maxUnavailable: 1 } });
  assert.deepEqual(s.spec?.persistentVolumeClaimRetentionPolicy, { whenDeleted: 'Retain', whenScaled: 'Retain' });
  assert.equal(s.spec?.replicas, 1);
  assert.equal(s.spec?.revisionHistoryLimit, 10);
  const ondelete = sts({ updateStrategy: { type: 'OnDelete' } });
  defaultStatefulSet(ondelete);
  assert.deepEqual(ondelete.spec?.updateStrategy, { type: 'OnDelete' });
  assert.deepEqual(validateStatefulSet(s), [], 'serviceName is optional');
});

test('StatefulSet validation: upstream messages and paths', () => {
  const bad = sts({ selector: { matchLabels: { app: 'other' } }, podManagementPolicy: 'Sometimes' });
  defaultStatefulSet(bad);
  bad.spec!.updateStrategy!.rollingUpdate!.partition = -1;
  const msgs = messages(validateStatefulSet(bad));
  assert.ok(msgs.includes("spec.podManagementPolicy: Invalid value: \"Sometimes\": must be 'OrderedReady' or 'Parallel'"), String(msgs));
  assert.ok(msgs.includes('spec.updateStrategy.rollingUpdate.partition: Invalid value: -1: must be greater than or equal to 0'), String(msgs));
  assert.ok(msgs.some((m) => m.startsWith('spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`')), String(msgs));
  const empty = sts({ selector: {} });
  defaultStatefulSet(empty);
  assert.ok(messages(validateStatefulSet(empty)).some((m) => m.includes('empty selector is invalid for statefulset')));
  const mounted = sts({ volumeClaimTemplates: [{ metadata: { name: 'www' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }] });
  mounted.spec!.template!.spec!.containers[0]!.volumeMounts = [{ name: 'www', mountPath: '/data' }];
  defaultStatefulSet(mounted);
  assert.deepEqual(messages(validateStatefulSet(mounted)), [], 'a mount may name a volumeClaimTemplate');
  mounted.spec!.template!.spec!.containers[0]!.volumeMounts = [{ name: 'nope', mountPath: '/data' }];
  assert.deepEqual(messages(validateStatefulSet(mounted)), ['spec.template.spec.containers[0].volumeMounts[0].name: Not found: "nope"']);
  const a = sts({ serviceName: 'web' }), b = sts({ serviceName: 'other' });
  defaultStatefulSet(a); defaultStatefulSet(b);
  assert.match(messages(validateStatefulSetUpdate(b, a))[0]!, /^spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template'/);
  const c = structuredClone(a);
  c.spec!.replicas = 5;
  assert.deepEqual(validateStatefulSetUpdate(c, a), []);
});

test('StatefulSet printer: NAME READY AGE, wide CONTAINERS IMAGES; scale subresource', () => {
  const s = sts({ replicas: 3 });
  s.status = { replicas: 3, readyReplicas: 2 };
  assert.deepEqual(statefulSetDef.columns.map((c) => c.name), ['Name', 'Ready', 'Age', 'Containers', 'Images']);
  assert.deepEqual(statefulSetDef.row(s, new Date('2026-01-01T00:05:00Z')), ['web', '2/3', '5m', 'nginx', 'nginx']);
  assert.equal(statefulSetDef.scale?.selector(s), 'app=web');
  assert.deepEqual(statefulSetDef.shortNames, ['sts']);
});

test('DaemonSet defaults, validation and printer', () => {
  const d = ds();
  defaultDaemonSet(d);
  assert.deepEqual(d.spec?.updateStrategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } });
  assert.equal(d.spec?.revisionHistoryLimit, 10);
  assert.deepEqual(validateDaemonSet(d), []);
  const both = ds({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 1 } } });
  defaultDaemonSet(both);
  assert.deepEqual(messages(validateDaemonSet(both)), ['spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: intstr.IntOrString{Type:0, IntVal:1, StrVal:""}: may not be set when maxUnavailable is non-zero']);
  const none = ds({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 0 } } });
  defaultDaemonSet(none);
  assert.deepEqual(messages(validateDaemonSet(none)), ['spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0']);
  assert.deepEqual(daemonSetDef.columns.filter((c) => c.priority === 0).map((c) => c.name), ['Name', 'Desired', 'Current', 'Ready', 'Up-to-date', 'Available', 'Node Selector', 'Age']);
  d.spec!.template!.spec!.nodeSelector = { disk: 'ssd' };
  d.status = { desiredNumberScheduled: 3, currentNumberScheduled: 3, numberReady: 2, updatedNumberScheduled: 3, numberAvailable: 2, numberMisscheduled: 0 };
  assert.deepEqual(daemonSetDef.row(d, new Date('2026-01-01T00:00:30Z')), ['agent', 3, 3, 2, 3, 2, 'disk=ssd', '30s', 'nginx', 'nginx', 'app=web']);
  const prev = structuredClone(d);
  daemonSetDef.prepareForCreate!(prev);
  const next = structuredClone(prev);
  next.spec!.template!.spec!.containers[0]!.image = 'nginx:2';
  daemonSetDef.prepareForUpdate!(next, prev);
  assert.equal(next.metadata.annotations?.['deprecated.daemonset.template.generation'], '2');
});

test('ControllerRevision: data is mandatory; CONTROLLER cell', () => {
  const cr = { apiVersion: 'apps/v1', kind: 'ControllerRevision', metadata: { name: 'web-1', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: 'u', controller: true }] }, revision: 1 } as ControllerRevision;
  assert.deepEqual(messages(validateControllerRevision(cr)), ['data: Required value: data is mandatory']);
  assert.equal(controllerCell(cr), 'statefulset.apps/web');
});
