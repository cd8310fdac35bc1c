import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeK8sProtobuf } from './decode.js';
import { fixtures } from './fixtures.js';

for (const [name, f] of Object.entries(fixtures)) {
  test(`protobuf from kubectl 1.32 equals kubectl 1.31 JSON: ${name}`, () => {
    assert.deepEqual(decodeK8sProtobuf(Buffer.from(f.pb32, 'base64')), f.json31);
  });
  test(`protobuf from kubectl 1.33 equals kubectl 1.31 JSON: ${name}`, () => {
    assert.deepEqual(decodeK8sProtobuf(Buffer.from(f.pb33, 'base64')), f.json31);
  });
}
