import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from '../../api/registry.js';
import { allKinds } from '../../api/kinds/index.js';
import type { KObject } from '../../api/meta.js';
import { openStore } from '../../store/index.js';
import { Client } from '../../client/client.js';
import { namespaceLifecycle } from '../../apiserver/admission.js';
import { serveCustomResources } from '../../apiextensions/serving.js';
import { startCRDController } from './controller.js';
import type { CRD } from '../../api/kinds/crd.js';
import { crdResourceDefs } from '../../apiextensions/resource.js';

const CRDS = { resource: 'customresourcedefinitions', group: 'apiextensions.k8s.io' };
const WIDGETS = { resource: 'widgets', group: 'example.com' };

const widgetCRD = {
  metadata: { name: 'widgets.example.com' },
  spec: {
    group: 'example.com', scope: 'Namespaced', names: { plural: 'widgets', kind: 'Widget' },
    versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer', default: 1 } } } } } } }],
  },
} as unknown as KObject;

/** A store with namespace `default`, custom resources served from it and the CRD controller running. */
async function started() {
  const store = await openStore({ ephemeral: true });
  const registry = new Registry(allKinds);
  const client = new Client(store, registry, namespaceLifecycle(store), 'test');
  await client.create({ resource: 'namespaces' }, { metadata: { name: 'default' } });
  const serving = serveCustomResources(store, registry);
  const ctl = startCRDController(new Client(store, registry, namespaceLifecycle(store), 'kube-apiserver'));
  const close = async (): Promise<void> => { ctl.stop(); serving.stop(); await store.close(); };
  return { store, registry, client, ctl, close };
}

describe('CRD controller and serving', () => {
  it('serves a created CRD, establishes it, and deletes its objects before it goes', async () => {
    const { store, registry, client, ctl, close } = await started();
    try {
      await client.create(CRDS, widgetCRD);
      assert.ok(registry.lookup('example.com', 'v1', 'widgets'), 'served on the CRD\'s own write');
      await ctl.queue.idle();
      const crd = client.get(CRDS, '', 'widgets.example.com') as KObject & { status: { conditions: { type: string; status: string }[]; acceptedNames: { kind: string } } };
      assert.deepEqual(crd.status.conditions.map((c) => `${c.type}=${c.status}`), ['NamesAccepted=True', 'Established=True']);
      assert.equal(crd.status.acceptedNames.kind, 'Widget');
      const w = await client.create(WIDGETS, { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w1', namespace: 'default' }, spec: {} });
      assert.deepEqual(w['spec'], { size: 1 });
      await client.delete(CRDS, '', 'widgets.example.com');
      assert.equal(registry.lookup('example.com', 'v1', 'widgets'), undefined, 'no longer served once deleting');
      await ctl.queue.idle();
      assert.equal(client.get(CRDS, '', 'widgets.example.com'), undefined);
      assert.equal(store.list('/example.com/widgets/').items.length, 0);
    } finally {
      await close();
    }
  });

  it('customresourcecleanup: deletes custom resources through the API (their finalizers hold them) and keeps the CRD until none remain', async () => {
    const { store, client, ctl, close } = await started();
    try {
      const crd = await client.create(CRDS, widgetCRD) as unknown as CRD;
      await ctl.queue.idle();
      await client.create(WIDGETS, { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'held', namespace: 'default', finalizers: ['example.com/cleanup'] }, spec: {} });
      await client.create(WIDGETS, { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'free', namespace: 'default' }, spec: {} });
      const def = crdResourceDefs(crd)[0]!;
      await client.delete(CRDS, '', 'widgets.example.com');
      await ctl.queue.idle();
      const left = store.list('/example.com/widgets/').items;
      assert.deepEqual(left.map((o) => o.metadata.name), ['held'], 'the widget without finalizers is gone, the held one waits');
      assert.ok(left[0]?.metadata.deletionTimestamp, 'deleted through the API: marked, not removed');
      assert.ok(client.get(CRDS, '', 'widgets.example.com'), 'the CRD stays while a custom resource remains');
      const held = client.get(def, 'default', 'held')!;
      await client.update(def, { ...held, metadata: { ...held.metadata, finalizers: [] } });
      const end = Date.now() + 5000;
      while (client.get(CRDS, '', 'widgets.example.com') && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
      assert.equal(client.get(CRDS, '', 'widgets.example.com'), undefined, 'the CRD goes once its last custom resource is gone');
    } finally {
      await close();
    }
  });
});
