import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatFieldError } from '../errors.js';
import { namespaceDef, type Namespace } from './namespace.js';

test('create defaults: name label, kubernetes finalizer, phase Active', () => {
  const ns = { metadata: { name: 'demo', labels: { team: 'a' } }, status: { phase: 'Terminating' } } as Namespace;
  namespaceDef.prepareForCreate?.(ns);
  namespaceDef.default?.(ns);
  assert.deepEqual(ns.metadata.labels, { team: 'a', 'kubernetes.io/metadata.name': 'demo' });
  assert.deepEqual(ns.spec, { finalizers: ['kubernetes'] });
  assert.deepEqual(ns.status, { phase: 'Active' });
  assert.deepEqual(namespaceDef.validate?.(ns, { operation: 'create' }), []);
});

test('updates keep the name label, spec and status', () => {
  const old = { metadata: { name: 'demo', labels: { 'kubernetes.io/metadata.name': 'demo' } }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } } as Namespace;
  const next = { metadata: { name: 'demo', labels: { 'kubernetes.io/metadata.name': 'other' } }, spec: {} } as Namespace;
  namespaceDef.prepareForUpdate?.(next, old);
  namespaceDef.default?.(next);
  assert.deepEqual([next.metadata.labels, next.spec, next.status], [{ 'kubernetes.io/metadata.name': 'demo' }, { finalizers: ['kubernetes'] }, { phase: 'Active' }]);
  namespaceDef.markDeleting?.(next);
  assert.equal(next.status?.phase, 'Terminating');
});

test('finalizer validation and printer', () => {
  const ns = { metadata: { name: 'demo', creationTimestamp: '2024-01-01T00:00:00Z' }, spec: { finalizers: ['foo'] }, status: { phase: 'Active' } } as Namespace;
  assert.deepEqual((namespaceDef.validate?.(ns, { operation: 'create' }) ?? []).map(formatFieldError),
    ['spec.finalizers: Invalid value: "foo": name is neither a standard finalizer name nor is it fully qualified']);
  assert.deepEqual(namespaceDef.row(ns, new Date('2024-01-03T00:00:00Z')), ['demo', 'Active', '2d']);
  assert.equal(namespaceDef.fieldSelectors?.['status.phase']?.(ns), 'Active');
});
