import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverSideApply, recordUpdate, conflictMessage, conflictCauses, conflictError, type ApplyConflict } from './apply.js';
import { PatchError } from './errors.js';
import { Deployment, Service } from './testschemas.js';

type J = Record<string, unknown>;
const T1 = '2025-01-01T00:00:00Z';
const T2 = '2025-01-01T00:01:00Z';
const opts = { now: T1, apiVersion: 'v1' };

function svc(extra: J = {}): J {
  return {
    apiVersion: 'v1', kind: 'Service',
    metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } },
    spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }], ...extra },
  };
}
const mf = (o: J) => (o['metadata'] as J)['managedFields'] as J[];
const spec = (o: J) => o['spec'] as J;

test('create by apply records FieldsV1 ownership', () => {
  const { object, conflicts } = serverSideApply(undefined, svc(), 'kubectl', Service, opts);
  assert.deepEqual(conflicts, []);
  assert.deepEqual(spec(object), { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] });
  assert.deepEqual(mf(object), [{
    manager: 'kubectl', operation: 'Apply', apiVersion: 'v1', time: T1, fieldsType: 'FieldsV1',
    fieldsV1: {
      'f:metadata': { 'f:labels': { 'f:app': {} } },
      'f:spec': { 'f:ports': { 'k:{"port":80,"protocol":"TCP"}': { '.': {}, 'f:port': {}, 'f:targetPort': {} } }, 'f:selector': {} },
    },
  }]);
});

test('re-apply merges with live fields and prunes what the manager dropped', () => {
  let live = serverSideApply(undefined, svc({ ports: [{ port: 80, targetPort: 8080 }, { port: 443 }] }), 'kubectl', Service, opts).object;
  live = { ...live, spec: { ...spec(live), clusterIP: '10.0.0.5', type: 'ClusterIP' } };
  const next = svc({ ports: [{ port: 443, targetPort: 8443 }] });
  (next['metadata'] as J)['labels'] = { tier: 'x' };
  const { object } = serverSideApply(live, next, 'kubectl', Service, { ...opts, now: T2 });
  assert.deepEqual(spec(object), { selector: { app: 'web' }, ports: [{ port: 443, targetPort: 8443 }], clusterIP: '10.0.0.5', type: 'ClusterIP' });
  assert.deepEqual((object['metadata'] as J)['labels'], { tier: 'x' });
  assert.equal(mf(object)[0]?.['time'], T2);
});

test('conflicts with another manager, then force moves ownership', () => {
  const created = serverSideApply(undefined, svc({ type: 'ClusterIP' }), 'kubectl', Service, opts).object;
  const edited = recordUpdate(created, { ...created, spec: { ...spec(created), type: 'NodePort' } }, 'kubectl-edit', 'Update', Service, T2, 'v1');
  assert.deepEqual(mf(edited)[1], {
    manager: 'kubectl-edit', operation: 'Update', apiVersion: 'v1', time: T2, fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': { 'f:type': {} } },
  });
  // kubectl's own Apply entry lost spec.type.
  assert.deepEqual((mf(edited)[0]?.['fieldsV1'] as J)['f:spec'], { 'f:ports': { 'k:{"port":80,"protocol":"TCP"}': { '.': {}, 'f:port': {}, 'f:targetPort': {} } }, 'f:selector': {} });

  const r = serverSideApply(edited, svc({ type: 'LoadBalancer' }), 'other', Service, opts);
  assert.deepEqual(r.conflicts, [{ manager: 'kubectl-edit', operation: 'Update', apiVersion: 'v1', path: '.spec.type' }]);
  assert.equal(conflictMessage(r.conflicts), 'Apply failed with 1 conflict: conflict with "kubectl-edit" using v1: .spec.type');
  assert.deepEqual(conflictCauses(r.conflicts), [{ type: 'FieldManagerConflict', message: 'conflict with "kubectl-edit" using v1', field: '.spec.type' }]);

  // Applying the same value is not a conflict: ownership is shared.
  const same = serverSideApply(edited, svc({ type: 'NodePort' }), 'other', Service, opts);
  assert.deepEqual(same.conflicts, []);
  assert.equal(mf(same.object).length, 3);

  const f = serverSideApply(edited, svc({ type: 'LoadBalancer' }), 'other', Service, { ...opts, force: true });
  assert.deepEqual(f.conflicts, []);
  assert.equal(spec(f.object)['type'], 'LoadBalancer');
  assert.deepEqual(mf(f.object).map((e) => e['manager']), ['kubectl', 'other'], 'kubectl-edit owned nothing else and is dropped');
});

test('fields dropped by one manager but owned by another stay', () => {
  const a = serverSideApply(undefined, svc({ type: 'ClusterIP' }), 'a', Service, opts).object;
  const b = serverSideApply(a, svc({ type: 'ClusterIP' }), 'b', Service, opts).object;
  const a2 = serverSideApply(b, svc(), 'a', Service, opts).object;
  assert.equal(spec(a2)['type'], 'ClusterIP');
  const b2 = serverSideApply(a2, svc(), 'b', Service, opts).object;
  assert.equal(spec(b2)['type'], undefined);
});

test('set lists union, atomic lists replace, map lists keep live order', () => {
  const live = serverSideApply(undefined, svc({ ipFamilies: ['IPv4'], externalIPs: ['1.1.1.1'], ports: [{ port: 1 }, { port: 2 }, { port: 3 }] }), 'a', Service, opts).object;
  const r = serverSideApply(live, svc({ ipFamilies: ['IPv6'], externalIPs: ['2.2.2.2'], ports: [{ port: 4 }, { port: 1, name: 'one' }] }), 'b', Service, opts);
  assert.deepEqual(r.conflicts.map((c) => c.path), ['.spec.externalIPs']);
  const out = serverSideApply(live, svc({ ipFamilies: ['IPv6'], externalIPs: ['2.2.2.2'], ports: [{ port: 4 }, { port: 1, name: 'one' }] }), 'b', Service, { ...opts, force: true }).object;
  assert.deepEqual(spec(out)['ipFamilies'], ['IPv4', 'IPv6']);
  assert.deepEqual(spec(out)['externalIPs'], ['2.2.2.2']);
  assert.deepEqual(spec(out)['ports'], [{ port: 4 }, { port: 1, name: 'one' }, { port: 2 }, { port: 3 }]);
});

test('multiple conflicts message groups by manager', () => {
  const cs: ApplyConflict[] = [
    { manager: 'b', operation: 'Apply', apiVersion: 'v1', path: '.spec.type' },
    { manager: 'a', operation: 'Update', apiVersion: 'apps/v1', path: '.spec.replicas' },
    { manager: 'a', operation: 'Update', apiVersion: 'apps/v1', path: '.spec.paused' },
  ];
  assert.equal(conflictMessage(cs), 'Apply failed with 3 conflicts: conflicts with "a" using apps/v1:\n- .spec.replicas\n- .spec.paused\nconflicts with "b":\n- .spec.type');
  const e = conflictError(cs);
  assert.equal(e.code, 409);
  assert.equal(e.reason, 'Conflict');
});

test('kubectl takes over fields from client-side apply and syncs last-applied', () => {
  const manifest = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 2 } };
  const created = recordUpdate(undefined, {
    ...manifest, metadata: { name: 'web', annotations: { 'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify(manifest) + '\n' } },
  }, 'kubectl-client-side-apply', 'Update', Deployment, T1, 'apps/v1');
  assert.deepEqual(mf(created)[0]?.['fieldsV1'], {
    'f:metadata': { 'f:annotations': { '.': {}, 'f:kubectl.kubernetes.io/last-applied-configuration': {} } },
    'f:spec': { 'f:replicas': {} },
  });
  const applied = { ...manifest, spec: { replicas: 3 } };
  const other = serverSideApply(created, applied, 'someone', Deployment, { now: T2, apiVersion: 'apps/v1' });
  assert.equal(conflictMessage(other.conflicts), 'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas');
  const r = serverSideApply(created, applied, 'kubectl', Deployment, { now: T2, apiVersion: 'apps/v1' });
  assert.deepEqual(r.conflicts, []);
  assert.equal(spec(r.object)['replicas'], 3);
  const ann = ((r.object['metadata'] as J)['annotations'] as J)['kubectl.kubernetes.io/last-applied-configuration'];
  assert.equal(ann, '{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},"spec":{"replicas":3}}\n');
});

test('apply onto an object without managedFields conflicts with before-first-apply', () => {
  const live = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { type: 'ClusterIP' } };
  const r = serverSideApply(live, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { type: 'NodePort' } }, 'x', Service, opts);
  assert.equal(conflictMessage(r.conflicts), 'Apply failed with 1 conflict: conflict with "before-first-apply" using v1: .spec.type');
});

test('ignored (reset) fields are neither applied nor owned', () => {
  const { object } = serverSideApply(undefined, { ...svc(), status: { loadBalancer: {} } }, 'k', Service, { ...opts, ignore: ['status'] });
  assert.equal(object['status'], undefined);
  assert.equal(JSON.stringify(mf(object)).includes('status'), false);
});

test('request errors', () => {
  assert.throws(() => serverSideApply(undefined, { ...svc(), apiVersion: 'apps/v1' }, 'k', Service, opts),
    (e: unknown) => e instanceof PatchError && e.code === 400 && e.message === 'Incorrect version specified in apply patch. Specified patch version: apps/v1, expected: v1');
  assert.throws(() => serverSideApply(undefined, { ...svc(), metadata: { name: 'web', managedFields: [] } }, 'k', Service, opts),
    { message: 'metadata.managedFields must be nil' });
  assert.throws(() => serverSideApply(undefined, svc({ ports: [{ name: 'x' }] }), 'k', Service, opts),
    (e: unknown) => e instanceof PatchError && e.code === 500 && e.message === 'failed to create typed patch object (default/web; /v1, Kind=Service): .spec.ports: element 0: associative list with keys has an element that omits key field "port" (and doesn\'t have default value)');
});

test('recordUpdate: create tracks maps and lists with ".", reset and untouched entries', () => {
  const obj = svc();
  const created = recordUpdate(undefined, obj, 'kubectl-create', 'Update', Service, T1, 'v1');
  assert.deepEqual(mf(created), [{
    manager: 'kubectl-create', operation: 'Update', apiVersion: 'v1', time: T1, fieldsType: 'FieldsV1',
    fieldsV1: {
      'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
      'f:spec': { 'f:ports': { '.': {}, 'k:{"port":80,"protocol":"TCP"}': { '.': {}, 'f:port': {}, 'f:targetPort': {} } }, 'f:selector': {} },
    },
  }]);
  assert.equal((obj['metadata'] as J)['managedFields'], undefined, 'input untouched');
  const noop = recordUpdate(created, structuredClone(created), 'kubectl-label', 'Update', Service, T2, 'v1');
  assert.deepEqual(mf(noop), mf(created));
  const reset = recordUpdate(created, { ...created, metadata: { ...(created['metadata'] as J), managedFields: [{}] } }, 'm', 'Update', Service, T2, 'v1');
  assert.equal((reset['metadata'] as J)['managedFields'], undefined);
  const relabel = recordUpdate(created, { ...created, metadata: { ...(created['metadata'] as J), labels: { app: 'web', env: 'prod' } } }, 'kubectl-label', 'Update', Service, T2, 'v1');
  assert.deepEqual(mf(relabel).map((e) => [e['manager'], e['fieldsV1']]).at(1), ['kubectl-label', { 'f:metadata': { 'f:labels': { 'f:env': {} } } }]);
});
