import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copySharing, deepCopy } from './clone.js';

test('deepCopy copies plain objects and arrays deeply', () => {
  const src = { a: 'x', b: [1, { c: null, d: undefined }], e: { f: true } };
  const c = deepCopy(src);
  assert.deepEqual(c, src);
  assert.notEqual(c, src);
  assert.notEqual(c.b, src.b);
  assert.notEqual(c.b[1], src.b[1]);
  assert.ok('d' in (c.b[1] as object));
  assert.notEqual(c.e, src.e);
});

test('deepCopy falls back to structuredClone for other objects', () => {
  const d = new Date(0);
  const c = deepCopy({ d });
  assert.ok(c.d instanceof Date);
  assert.notEqual(c.d, d);
  assert.throws(() => deepCopy({ f: () => 1 }));
});

test('copySharing reuses equal subtrees of prev and copies the rest', () => {
  const prev = { spec: { a: [1, { b: 'x' }] }, status: { phase: 'Pending' }, meta: { k: 1 } };
  const next = { spec: { a: [1, { b: 'x' }] }, status: { phase: 'Running' }, meta: { k: 1, j: 2 } };
  const c = copySharing(next, prev);
  assert.deepEqual(c, next);
  assert.equal(c.spec, prev.spec);
  assert.notEqual(c.status, prev.status);
  assert.notEqual(c.status, next.status);
  assert.notEqual(c.meta, prev.meta);
  assert.equal(copySharing(structuredClone(prev), prev), prev);
});

test('copySharing keeps key order and array shape differences', () => {
  const prev = { a: 1, b: 2, l: [1, 2] };
  const c = copySharing({ b: 2, a: 1, l: [1, 2, 3] }, prev);
  assert.deepEqual(Object.keys(c), ['b', 'a', 'l']);
  assert.notEqual(c, prev);
  assert.deepEqual(c.l, [1, 2, 3]);
  assert.notEqual(c.l, prev.l);
  const withUndef = copySharing({ a: 1, b: 2, l: prev.l, x: undefined }, prev);
  assert.notEqual(withUndef, prev);
  assert.ok('x' in withUndef);
});

test('copySharing shares one frozen empty object for every {}', () => {
  const a = copySharing({ x: {}, y: [{}] }, undefined);
  const b = copySharing({ z: {} }, { q: 1 });
  assert.equal(a.x, a.y[0]);
  assert.equal(a.x, b.z);
  assert.ok(Object.isFrozen(a.x));
  assert.deepEqual(a, { x: {}, y: [{}] });
});
