// After mutating webhooks, kube-apiserver still runs the strategy's PrepareForCreate /
// PrepareForUpdate (registry/rest BeforeCreate, BeforeUpdate): a webhook's status patch on a
// main-resource write, or spec patch on a /status write, is dropped, and metadata.uid is the
// server's (assigned after admission: CREATE reviews carry none).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allKinds } from '../../api/kinds/index.js';
import type { KObject } from '../../api/meta.js';
import { MemoryStore } from '../../store/memory.js';
import type { AdmissionAttributes } from './attributes.js';
import { createObject, updateObject, type WriteHooks } from './write.js';

const def = (kind: string) => allKinds.find((k) => k.kind === kind)!;

/** Mutating "webhooks" that record what they saw and change uid, spec and status. */
function meddler(status: Record<string, unknown> = { replicas: 42 }): { hooks: WriteHooks; seen: AdmissionAttributes[] } {
  const seen: AdmissionAttributes[] = [];
  const hooks: WriteHooks = {
    mutate(a) {
      seen.push({ ...a, object: structuredClone(a.object) });
      const o = structuredClone(a.object!) as KObject & { spec: Record<string, unknown>; status?: Record<string, unknown> };
      o.metadata.uid = 'webhook-uid';
      o.metadata.labels = { ...o.metadata.labels, mutated: 'yes' };
      o.spec = { ...o.spec, replicas: 7 };
      o.status = { ...o.status, ...status };
      return Promise.resolve(o);
    },
  };
  return { hooks, seen };
}

const deployment = (): KObject => ({
  metadata: { name: 'd', labels: { app: 'd' } },
  spec: { replicas: 1, selector: { matchLabels: { app: 'd' } }, template: { metadata: { labels: { app: 'd' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
});

test('create: a webhook-set uid and status are not kept; the review carries no uid', async () => {
  const store = new MemoryStore();
  const { hooks, seen } = meddler();
  const r = await createObject(store, def('Deployment'), 'default', deployment(), {}, hooks);
  assert.equal(seen[0]?.object?.metadata.uid, undefined);
  assert.match(r.object.metadata.uid ?? '', /^[0-9a-f-]{36}$/);
  assert.notEqual(r.object.metadata.uid, 'webhook-uid');
  assert.deepEqual(r.object.status, {});
  assert.equal((r.object.spec as { replicas: number }).replicas, 7, 'spec changes are kept');
  assert.equal(r.object.metadata.labels?.['mutated'], 'yes');
});

test('create: a Job keeps its uid-generated selector (the uid exists before the strategy)', async () => {
  const store = new MemoryStore();
  const { hooks, seen } = meddler();
  const job = { metadata: { name: 'j' }, spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } } };
  const r = await createObject(store, def('Job'), 'default', job, {}, hooks);
  const uid = r.object.metadata.uid!;
  assert.notEqual(uid, 'webhook-uid');
  assert.equal(seen[0]?.object?.metadata.uid, undefined);
  const spec = r.object.spec as { selector: { matchLabels: Record<string, string> } };
  assert.equal(spec.selector.matchLabels['batch.kubernetes.io/controller-uid'], uid);
  assert.deepEqual(r.object.status, {});
});

test('create: a Node keeps the status it was sent (its strategy does not reset it)', async () => {
  const store = new MemoryStore();
  const { hooks } = meddler({ capacity: { cpu: '2' } });
  const r = await createObject(store, def('Node'), '', { metadata: { name: 'n' }, spec: {} }, {}, hooks);
  assert.deepEqual((r.object.status as { capacity?: unknown }).capacity, { cpu: '2' });
});

test('update: a webhook status patch is dropped on the main resource, a spec patch on /status', async () => {
  const store = new MemoryStore();
  const created = await createObject(store, def('Deployment'), 'default', deployment(), {}, {});
  const { hooks } = meddler();
  const next = structuredClone(created.object);
  (next.spec as { replicas: number }).replicas = 2;
  const main = await updateObject(store, def('Deployment'), created.object, next, {}, false, hooks);
  assert.deepEqual(main.object.status, created.object.status);
  assert.equal((main.object.spec as { replicas: number }).replicas, 7);
  assert.equal(main.object.metadata.uid, created.object.metadata.uid);

  const stored = main.object;
  const st = structuredClone(stored);
  st.status = { replicas: 3 };
  const status = await updateObject(store, def('Deployment'), stored, st, { subresource: 'status' }, false, hooks);
  assert.equal((status.object.spec as { replicas: number }).replicas, 7, 'the stored spec, not the webhook\'s');
  assert.deepEqual(status.object.spec, stored.spec);
  assert.equal((status.object.status as { replicas: number }).replicas, 42, 'status changes are kept on /status');
  assert.equal(status.object.metadata.uid, stored.metadata.uid);
});
