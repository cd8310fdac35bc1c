import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FieldSet, pathString, keyElement, comparePathKeys } from './fieldpath.js';

test('FieldsV1 round trip with "." members', () => {
  const v1 = {
    'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
    'f:spec': { 'f:ports': { '.': {}, 'k:{"port":80,"protocol":"TCP"}': { '.': {}, 'f:port': {}, 'f:targetPort': {} } }, 'f:selector': {} },
  };
  const s = FieldSet.fromFieldsV1(v1);
  assert.ok(s.has(['f:metadata', 'f:labels']));
  assert.ok(!s.has(['f:metadata']));
  assert.ok(s.has(['f:spec', 'f:selector']));
  assert.deepEqual(s.toFieldsV1(), v1);
  assert.equal(JSON.stringify(s.toFieldsV1()), JSON.stringify(v1));
});

test('set algebra', () => {
  const a = FieldSet.of(['f:a'], ['f:b', 'f:c'], ['f:b', 'f:d']);
  const b = FieldSet.of(['f:b', 'f:c'], ['f:e']);
  assert.deepEqual(a.union(b).paths().map(pathString), ['.a', '.e', '.b.c', '.b.d']);
  assert.deepEqual(a.difference(b).paths().map(pathString), ['.a', '.b.d']);
  assert.deepEqual(a.intersection(b).paths().map(pathString), ['.b.c']);
  assert.ok(a.intersection(FieldSet.of(['f:z'])).empty());
});

test('path strings and element order', () => {
  assert.equal(pathString(['f:spec', keyElement({ protocol: 'TCP', port: 80 }), 'f:name']), '.spec[port=80,protocol="TCP"].name');
  assert.equal(pathString(['f:spec', 'f:ipFamilies', 'v:"IPv4"']), '.spec.ipFamilies[="IPv4"]');
  assert.equal(keyElement({ protocol: 'TCP', port: 80 }), 'k:{"port":80,"protocol":"TCP"}');
  const keys = ['k:{"port":443}', 'f:z', 'k:{"port":80}', 'f:a', 'v:"b"'];
  assert.deepEqual(keys.sort(comparePathKeys), ['f:a', 'f:z', 'k:{"port":80}', 'k:{"port":443}', 'v:"b"']);
});
