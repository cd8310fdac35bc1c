import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ingressDef, ingressClassAnnotationWarning, type Ingress } from '../api/kinds/ingress.js';
import { ingressClassDef } from '../api/kinds/ingressclass.js';
import type { KObject } from '../api/meta.js';
import { storeKey } from '../api/registry.js';
import { MemoryStore } from '../store/memory.js';
import { defaultIngressClass, pickDefaultIngressClass } from './default-ingress-class.js';
import { createObject, updateObject, type WriteOptions } from './storage/write.js';
import { patchObject } from './storage/patch.js';

const DEFAULT = 'ingressclass.kubernetes.io/is-default-class';
const backend = { service: { name: 'web', port: { number: 80 } } };

/** An IngressClass as stored, with a chosen creation time and is-default-class annotation. */
const cls = (name: string, created: string, isDefault?: string): KObject => ({
  apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass',
  metadata: { name, creationTimestamp: created, ...(isDefault === undefined ? {} : { annotations: { [DEFAULT]: isDefault } }) },
  spec: { controller: 'k8s.io/ingress-nginx' },
});
const ing = (spec: Partial<NonNullable<Ingress['spec']>> = {}, annotations?: Record<string, string>): KObject => ({
  apiVersion: 'networking.k8s.io/v1', kind: 'Ingress',
  metadata: { name: 'web', ...(annotations ? { annotations } : {}) }, spec: { defaultBackend: backend, ...spec },
});

async function storeWith(classes: KObject[]): Promise<MemoryStore> {
  const store = new MemoryStore();
  for (const c of classes) await store.create(storeKey(ingressClassDef, '', c.metadata.name), c);
  return store;
}
async function create(store: MemoryStore, obj: KObject, opts: WriteOptions = {}) {
  return createObject(store, ingressDef, 'default', obj, opts, defaultIngressClass(store));
}
const className = (o: KObject) => (o.spec as { ingressClassName?: string }).ingressClassName;

// Cases from plugin/pkg/admission/network/defaultingressclass/admission.go (newest wins, then name).
const cases: { name: string; classes: KObject[]; ingress: KObject; want: string | undefined }[] = [
  { name: 'no IngressClass at all', classes: [], ingress: ing(), want: undefined },
  { name: 'no class marked default', classes: [cls('a', '2024-01-01T00:00:00Z'), cls('b', '2024-01-01T00:00:00Z', 'false')], ingress: ing(), want: undefined },
  { name: 'the annotation value must be exactly "true"', classes: [cls('a', '2024-01-01T00:00:00Z', 'True')], ingress: ing(), want: undefined },
  { name: 'one default', classes: [cls('a', '2024-01-01T00:00:00Z'), cls('nginx', '2024-01-01T00:00:00Z', 'true')], ingress: ing(), want: 'nginx' },
  {
    name: 'several defaults: the newest wins',
    classes: [cls('old', '2024-01-01T00:00:00Z', 'true'), cls('new', '2024-03-01T00:00:00Z', 'true'), cls('mid', '2024-02-01T00:00:00Z', 'true')],
    ingress: ing(), want: 'new',
  },
  {
    name: 'several defaults created in the same second: name ascending',
    classes: [cls('zeta', '2024-03-01T00:00:00Z', 'true'), cls('alpha', '2024-03-01T00:00:00Z', 'true'), cls('older', '2024-01-01T00:00:00Z', 'true')],
    ingress: ing(), want: 'alpha',
  },
  { name: 'the class annotation is present (any value, even empty)', classes: [cls('nginx', '2024-01-01T00:00:00Z', 'true')], ingress: ing({}, { 'kubernetes.io/ingress.class': '' }), want: undefined },
  { name: 'spec.ingressClassName already set', classes: [cls('nginx', '2024-01-01T00:00:00Z', 'true'), cls('other', '2024-01-01T00:00:00Z')], ingress: ing({ ingressClassName: 'other' }), want: 'other' },
];

for (const c of cases) {
  test(`DefaultIngressClass: ${c.name}`, async () => {
    const store = await storeWith(c.classes);
    const r = await create(store, c.ingress);
    assert.equal(className(r.object), c.want);
    assert.equal(className(store.get(storeKey(ingressDef, 'default', 'web'))!), c.want);
  });
}

test('pickDefaultIngressClass: undefined without candidates', () => {
  assert.equal(pickDefaultIngressClass([]), undefined);
  assert.equal(pickDefaultIngressClass([cls('a', '2024-01-01T00:00:00Z')])?.metadata.name, undefined);
});

test('DefaultIngressClass: the field is placed first in spec, as IngressSpec orders it', async () => {
  const store = await storeWith([cls('nginx', '2024-01-01T00:00:00Z', 'true')]);
  const r = await create(store, ing());
  assert.deepEqual(Object.keys(r.object.spec as object), ['ingressClassName', 'defaultBackend']);
});

test('DefaultIngressClass: the class it sets belongs to no field manager (managedFields are recorded before admission)', async () => {
  const store = await storeWith([cls('nginx', '2024-01-01T00:00:00Z', 'true')]);
  const r = await create(store, ing(), { fieldManager: 'kubectl-create' });
  assert.equal(className(r.object), 'nginx');
  const fields = JSON.stringify(r.object.metadata.managedFields);
  assert.match(fields, /"manager":"kubectl-create"/);
  assert.match(fields, /f:defaultBackend/);
  assert.doesNotMatch(fields, /f:ingressClassName/);
  const own = await create(store, { ...ing({ ingressClassName: 'nginx' }), metadata: { name: 'own' } }, { fieldManager: 'kubectl-create' });
  assert.match(JSON.stringify(own.object.metadata.managedFields), /f:ingressClassName/, 'a class the client sent is its own');
});

test('DefaultIngressClass: runs on dry-run creates and server-side apply creates', async () => {
  const store = await storeWith([cls('nginx', '2024-01-01T00:00:00Z', 'true')]);
  const dry = await create(store, ing(), { dryRun: true });
  assert.equal(className(dry.object), 'nginx');
  assert.equal(store.get(storeKey(ingressDef, 'default', 'web')), undefined);
  const applied = await patchObject(store, ingressDef, 'default', 'web', 'apply', ing(), { fieldManager: 'kubectl' }, defaultIngressClass(store));
  assert.equal(applied.created, true);
  assert.equal(className(applied.object), 'nginx');
});

test('DefaultIngressClass: never on update, even when a default appears later', async () => {
  const store = new MemoryStore();
  const first = await create(store, ing());
  assert.equal(className(first.object), undefined);
  await store.create(storeKey(ingressClassDef, '', 'nginx'), cls('nginx', '2024-01-01T00:00:00Z', 'true'));
  const next = { ...first.object, metadata: { ...first.object.metadata, labels: { a: 'b' } } };
  const upd = await updateObject(store, ingressDef, first.object, next, {}, false, defaultIngressClass(store));
  assert.equal(upd.object.metadata.labels?.a, 'b');
  assert.equal(className(upd.object), undefined);
});

test('DefaultIngressClass: other resources are left alone', async () => {
  const store = await storeWith([cls('nginx', '2024-01-01T00:00:00Z', 'true')]);
  const hooks = defaultIngressClass(store);
  const other = { ...ingressDef, group: 'example.com' };
  const obj = ing();
  hooks.mutateCreate?.(other, obj);
  assert.equal(className(obj), undefined);
});

// pkg/registry/networking/ingress/strategy.go WarningsOnCreate: annotation set and spec.ingressClassName unset.
test('deprecated class annotation: warned on create only while the field is unset', async () => {
  const store = new MemoryStore();
  const annotated = await create(store, ing({}, { 'kubernetes.io/ingress.class': 'nginx' }));
  assert.deepEqual(annotated.warnings, [ingressClassAnnotationWarning]);
  assert.equal(ingressClassAnnotationWarning, 'annotation "kubernetes.io/ingress.class" is deprecated, please use \'spec.ingressClassName\' instead');
  const dry = await create(store, { ...ing({}, { 'kubernetes.io/ingress.class': 'nginx' }), metadata: { name: 'dry', annotations: { 'kubernetes.io/ingress.class': 'nginx' } } }, { dryRun: true });
  assert.deepEqual(dry.warnings, [ingressClassAnnotationWarning]);
  const both = await create(store, { ...ing({ ingressClassName: 'nginx' }), metadata: { name: 'both', annotations: { 'kubernetes.io/ingress.class': 'nginx' } } });
  assert.deepEqual(both.warnings, []);
  const plain = await create(store, { ...ing(), metadata: { name: 'plain' } });
  assert.deepEqual(plain.warnings, []);
  const upd = await updateObject(store, ingressDef, annotated.object, { ...annotated.object, metadata: { ...annotated.object.metadata, labels: { x: 'y' } } }, {});
  assert.deepEqual(upd.warnings, []);
  const applied = await patchObject(store, ingressDef, 'default', 'ssa', 'apply',
    { ...ing({}, { 'kubernetes.io/ingress.class': 'nginx' }), metadata: { name: 'ssa', annotations: { 'kubernetes.io/ingress.class': 'nginx' } } }, { fieldManager: 'kubectl' }, {});
  assert.deepEqual(applied.warnings, [ingressClassAnnotationWarning]);
});
