import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jsonPatch } from './json.js';
import { PatchError } from './errors.js';

const doc = { metadata: { name: 'w', labels: { A: 'true' } }, spec: { ports: [{ port: 80 }] } };

test('applies operations without mutating inputs', () => {
  const ops = [
    { op: 'test', path: '/metadata/labels/A', value: 'true' },
    { op: 'replace', path: '/metadata/labels/A', value: 'false' },
    { op: 'add', path: '/spec/ports/-', value: { port: 443 } },
    { op: 'remove', path: '/metadata/name' },
    { op: 'copy', from: '/spec/ports/0', path: '/spec/first' },
  ];
  const before = structuredClone(doc);
  const out = jsonPatch(doc, ops);
  assert.deepEqual(out, { metadata: { labels: { A: 'false' } }, spec: { ports: [{ port: 80 }, { port: 443 }], first: { port: 80 } } });
  assert.deepEqual(doc, before);
});

function is422(detail: string) {
  return (e: unknown) => e instanceof PatchError && e.code === 422 && e.reason === 'Invalid'
    && e.message === 'the server rejected our request due to an error in our request' && e.detail === detail;
}

test('application failures are 422 with the generic message', () => {
  assert.throws(() => jsonPatch(doc, [{ op: 'test', path: '/metadata/labels/A', value: 'x' }]), is422('testing value /metadata/labels/A failed: test failed'));
  assert.throws(() => jsonPatch(doc, [{ op: 'replace', path: '/spec/foo', value: 1 }]), is422('replace operation does not apply: doc is missing key: /spec/foo: missing value'));
  assert.throws(() => jsonPatch(doc, [{ op: 'remove', path: '/spec/nope' }]), is422('remove operation does not apply: doc is missing path: "/spec/nope": missing value'));
  assert.throws(() => jsonPatch(doc, [{ op: 'add', path: '/x/y', value: 1 }]), is422('add operation does not apply: doc is missing path: "/x/y": missing value'));
  assert.throws(() => jsonPatch(doc, [{ op: 'frob', path: '/x' }]), is422('Unexpected kind: frob'));
});

test('malformed bodies are 400', () => {
  assert.throws(() => jsonPatch(doc, { op: 'add' }), (e: unknown) => e instanceof PatchError && e.code === 400
    && e.message === 'json: cannot unmarshal object into Go value of type jsonpatch.Patch');
});
