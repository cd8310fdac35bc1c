import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allKinds } from '../../api/kinds/index.js';
import type { KObject } from '../../api/meta.js';
import { MemoryStore } from '../../store/memory.js';
import { createObject, structural } from './write.js';

const cmDef = allKinds.find((k) => k.kind === 'ConfigMap')!;
const svcDef = allKinds.find((k) => k.kind === 'Service')!;
const cm = (meta: KObject['metadata']): KObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: meta });

test('a taken generated name is generated again, up to 8 tries', async (t) => {
  const store = new MemoryStore();
  await createObject(store, cmDef, 'default', cm({ name: 'x-bbbbb' }), {}, {});
  let calls = 0;
  t.mock.method(Math, 'random', () => (calls++ < 5 ? 0 : 0.5)); // the first suffix is "bbbbb"
  const r = await createObject(store, cmDef, 'default', cm({ generateName: 'x-' }), {}, {});
  assert.match(r.object.metadata.name ?? '', /^x-[a-z0-9]{5}$/);
  assert.notEqual(r.object.metadata.name, 'x-bbbbb');
  t.mock.method(Math, 'random', () => 0); // always "bbbbb"
  await assert.rejects(createObject(store, cmDef, 'default', cm({ generateName: 'x-' }), {}, {}), /configmaps "x-bbbbb" already exists/);
  await assert.rejects(createObject(store, cmDef, 'default', cm({ name: 'x-bbbbb' }), {}, {}), /configmaps "x-bbbbb" already exists/);
});

test('structural: unknown fields warn by default (fieldValidation defaults to Warn)', () => {
  const body = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { portz: 1 } } as KObject;
  assert.deepEqual(structural(svcDef, body, undefined), ['unknown field "spec.portz"']);
  assert.deepEqual(body.spec, {});
  assert.throws(() => structural(svcDef, { ...body, spec: { portz: 1 } }, 'Strict'), /strict decoding error: unknown field "spec.portz"/);
  assert.deepEqual(structural(svcDef, { ...body, spec: { portz: 1 } }, 'Ignore'), []);
});
