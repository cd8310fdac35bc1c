import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mergePatch } from './merge.js';

test('RFC 7386 examples', () => {
  const orig = { a: 'b', c: { d: 'e', f: 'g' }, l: [1, 2] };
  const patch = { a: 'z', c: { f: null }, l: [3], n: { x: null, y: 1 } };
  const before = structuredClone(orig);
  assert.deepEqual(mergePatch(orig, patch), { a: 'z', c: { d: 'e' }, l: [3], n: { y: 1 } });
  assert.deepEqual(orig, before);
  assert.deepEqual(mergePatch({ a: 1 }, ['x']), ['x']);
  assert.deepEqual(mergePatch(['x'], { a: 1 }), { a: 1 });
});

test('kubectl label / scale bodies', () => {
  const obj = { metadata: { name: 'w', labels: { app: 'w' } }, spec: { replicas: 1 } };
  assert.deepEqual(mergePatch(obj, { metadata: { labels: { env: 'prod' } } }), { metadata: { name: 'w', labels: { app: 'w', env: 'prod' } }, spec: { replicas: 1 } });
  assert.deepEqual(mergePatch(obj, { metadata: { labels: { app: null } }, spec: { replicas: 3 } }), { metadata: { name: 'w', labels: {} }, spec: { replicas: 3 } });
});
