import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from '../api/registry.js';
import { allKinds } from '../api/kinds/index.js';
import type { KObject } from '../api/meta.js';
import type { Pod } from '../api/kinds/pod.js';
import { labelSelectorRequirements, parseLabelSelectorString } from '../api/labels.js';
import { namespaceLifecycle } from '../apiserver/admission.js';
import { openStore } from '../store/index.js';
import { Client } from './client.js';
import { ClusterView, INGRESSES_BY_BACKEND, INGRESSES_BY_CLASS, PODS_BY_IP, SLICES_BY_SERVICE, type WatchSource } from './view.js';

const PODS = { resource: 'pods' };
const SLICES = { resource: 'endpointslices', group: 'discovery.k8s.io' };
const INGRESSES = { resource: 'ingresses', group: 'networking.k8s.io' };

/** A real in-memory API, a view over it, and the watches the view opened. */
async function setup() {
  const store = await openStore({ ephemeral: true });
  const client = new Client(store, new Registry(allKinds), namespaceLifecycle(store), 'test');
  for (const name of ['default', 'other']) await client.create({ resource: 'namespaces' }, { metadata: { name, labels: { team: name === 'default' ? 'a' : 'b' } } });
  const opened: string[] = [];
  let open = 0;
  const source: WatchSource = {
    watch: (ref, ns, opts, cb) => {
      opened.push('kind' in ref ? ref.plural : ref.resource);
      open++;
      const h = client.watch(ref, ns, opts, cb);
      return { stop: () => { open--; h.stop(); } };
    },
  };
  const view = new ClusterView(source);
  return { store, client, view, opened, open: () => open };
}

async function pod(c: Client, name: string, labels: Record<string, string>, ip?: string, ns = 'default'): Promise<Pod> {
  await c.create(PODS, { metadata: { name, namespace: ns, labels }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
  if (ip) await setIP(c, name, ip, ns);
  return c.get(PODS, ns, name) as Pod;
}

async function setIP(c: Client, name: string, ip: string, ns = 'default'): Promise<void> {
  const p = c.get(PODS, ns, name) as Pod;
  p.status = { ...p.status, phase: 'Running', podIP: ip, podIPs: [{ ip }] };
  await c.update(PODS, p as KObject, 'status');
}

const names = (xs: KObject[]) => xs.map((o) => o.metadata.name).sort();

test('informers start lazily, one watch per resource, and stop() closes them all', async () => {
  const { store, client, view, opened, open } = await setup();
  try {
    assert.deepEqual(opened, [], 'constructing the view opens no watch');
    await pod(client, 'a', { app: 'web' });
    assert.equal(view.pods.started, false);
    assert.deepEqual(names(view.pods.list('default')), ['a'], 'first use lists what exists');
    view.pods.get('default', 'a');
    view.pods.subscribe({});
    assert.equal(view.namespaces.get('', 'other')?.metadata.name, 'other', 'cluster-scoped objects by namespace ""');
    assert.deepEqual(opened, ['pods', 'namespaces'], 'one watch per resource, only for resources in use');
    view.stop();
    assert.equal(open(), 0);
    await pod(client, 'b', { app: 'web' });
    assert.deepEqual(names(view.pods.list()), ['a'], 'a stopped informer no longer follows the API');
    assert.equal(view.services.list().length, 0, 'and informers never started stay closed');
    assert.deepEqual(opened, ['pods', 'namespaces']);
  } finally { await store.close(); }
});

test('subscribers: adds, update(prev, next), deletes; late subscribers get current objects as adds; unsubscribe', async () => {
  const { store, client, view } = await setup();
  try {
    const early: string[] = [];
    const off = view.pods.subscribe({
      add: (p) => early.push(`add ${p.metadata.name}`),
      update: (prev, next) => early.push(`update ${prev.metadata.labels?.['v']}->${next.metadata.labels?.['v']}`),
      delete: (p) => early.push(`delete ${p.metadata.name}`),
    });
    await pod(client, 'a', { v: '1' });
    const p = client.get(PODS, 'default', 'a')!;
    p.metadata.labels = { v: '2' };
    await client.update(PODS, p);
    const late: string[] = [];
    view.pods.subscribe({ add: (x) => late.push(`add ${x.metadata.name} v${x.metadata.labels?.['v']}`), update: () => late.push('update') });
    assert.deepEqual(late, ['add a v2'], 'a late subscriber is told about existing objects');
    off();
    await client.delete(PODS, 'default', 'a', { gracePeriodSeconds: 0 });
    assert.deepEqual(early, ['add a', 'update 1->2']);
    const seen: string[] = [];
    view.pods.subscribe({ add: () => seen.push('add'), delete: (x) => seen.push(`delete ${x.metadata.name}`) });
    await pod(client, 'b', {});
    await client.delete(PODS, 'default', 'b', { gracePeriodSeconds: 0 });
    assert.deepEqual(seen, ['add', 'delete b']);
    assert.equal(view.pods.get('default', 'b'), undefined);
  } finally { view.stop(); await store.close(); }
});

test('pods by IP follow an IP change; pods by namespace and label selector follow a relabel', async () => {
  const { store, client, view } = await setup();
  try {
    await pod(client, 'a', { app: 'web', tier: 'front' }, '10.244.1.5');
    await pod(client, 'b', { app: 'web' }, '10.244.1.6');
    await pod(client, 'c', { app: 'web' }, '10.244.1.7', 'other');
    assert.deepEqual(names(view.pods.byIndex(PODS_BY_IP, '10.244.1.5')), ['a']);
    await setIP(client, 'a', '10.244.1.9');
    assert.deepEqual(view.pods.byIndex(PODS_BY_IP, '10.244.1.5'), [], 'the old IP no longer names the pod');
    assert.deepEqual(names(view.pods.byIndex(PODS_BY_IP, '10.244.1.9')), ['a']);
    assert.ok(!view.pods.indexKeys(PODS_BY_IP).includes('10.244.1.5'));
    const sel = parseLabelSelectorString('app=web');
    assert.deepEqual(names(view.pods.select('default', sel)), ['a', 'b']);
    assert.deepEqual(names(view.pods.select(undefined, sel)), ['a', 'b', 'c']);
    assert.deepEqual(names(view.pods.select('default', parseLabelSelectorString('app=web,tier!=front'))), ['b']);
    assert.deepEqual(names(view.pods.select('default', parseLabelSelectorString('tier'))), ['a']);
    assert.deepEqual(names(view.pods.select('default', labelSelectorRequirements({ matchExpressions: [{ key: 'app', operator: 'In', values: ['web', 'db'] }] })!)), ['a', 'b']);
    assert.deepEqual(names(view.pods.select('default', [])), ['a', 'b'], 'an empty selector selects everything');
    const b = client.get(PODS, 'default', 'b')!;
    b.metadata.labels = { app: 'db' };
    await client.update(PODS, b);
    assert.deepEqual(names(view.pods.select('default', sel)), ['a'], 'a relabelled pod leaves the selection');
    assert.deepEqual(names(view.pods.select('default', parseLabelSelectorString('app=db'))), ['b']);
    await client.delete(PODS, 'default', 'a', { gracePeriodSeconds: 0 });
    assert.deepEqual(view.pods.byIndex(PODS_BY_IP, '10.244.1.9'), []);
    assert.deepEqual(names(view.pods.list('default')), ['b']);
  } finally { view.stop(); await store.close(); }
});

test('namespaces by labels', async () => {
  const { store, client, view } = await setup();
  try {
    assert.deepEqual(names(view.namespaces.select(undefined, parseLabelSelectorString('team=a'))), ['default']);
    const ns = client.get({ resource: 'namespaces' }, '', 'other')!;
    ns.metadata.labels = { ...ns.metadata.labels, team: 'a' };
    await client.update({ resource: 'namespaces' }, ns);
    assert.deepEqual(names(view.namespaces.select(undefined, parseLabelSelectorString('team=a'))), ['default', 'other']);
    assert.deepEqual(names(view.namespaces.select(undefined, parseLabelSelectorString('kubernetes.io/metadata.name=other'))), ['other']);
  } finally { view.stop(); await store.close(); }
});

test('EndpointSlices by Service follow a change of the service-name label', async () => {
  const { store, client, view } = await setup();
  try {
    const slice = (name: string, svc: string) => ({
      metadata: { name, namespace: 'default', labels: { 'kubernetes.io/service-name': svc } }, addressType: 'IPv4',
      endpoints: [{ addresses: ['10.244.1.5'] }], ports: [{ port: 80 }],
    });
    await client.create(SLICES, slice('web-1', 'web'));
    await client.create(SLICES, slice('web-2', 'web'));
    await client.create(SLICES, { ...slice('loose', 'x'), metadata: { name: 'loose', namespace: 'default' } });
    assert.deepEqual(names(view.endpointSlices.byIndex(SLICES_BY_SERVICE, 'default/web')), ['web-1', 'web-2']);
    assert.deepEqual(view.endpointSlices.indexKeys(SLICES_BY_SERVICE), ['default/web'], 'a slice without the label belongs to no Service');
    const s = client.get(SLICES, 'default', 'web-2')!;
    s.metadata.labels = { 'kubernetes.io/service-name': 'api' };
    await client.update(SLICES, s);
    assert.deepEqual(names(view.endpointSlices.byIndex(SLICES_BY_SERVICE, 'default/web')), ['web-1']);
    assert.deepEqual(names(view.endpointSlices.byIndex(SLICES_BY_SERVICE, 'default/api')), ['web-2']);
    await client.delete(SLICES, 'default', 'web-1');
    assert.deepEqual(view.endpointSlices.byIndex(SLICES_BY_SERVICE, 'default/web'), []);
    assert.deepEqual(view.endpointSlices.indexKeys(SLICES_BY_SERVICE), ['default/api']);
    assert.throws(() => view.endpointSlices.byIndex('nope', 'x'), /no index "nope"/);
  } finally { view.stop(); await store.close(); }
});

test('Ingresses by class (field or annotation) and by backend Service; Secrets by name', async () => {
  const { store, client, view } = await setup();
  try {
    const backend = (name: string) => ({ service: { name, port: { number: 80 } } });
    await client.create(INGRESSES, {
      metadata: { name: 'a', namespace: 'default' },
      spec: { ingressClassName: 'knet', defaultBackend: backend('fallback'), rules: [{ host: 'x.test', http: { paths: [{ path: '/', pathType: 'Prefix', backend: backend('web') }, { path: '/api', pathType: 'Prefix', backend: backend('api') }] } }] },
    });
    await client.create(INGRESSES, { metadata: { name: 'b', namespace: 'default', annotations: { 'kubernetes.io/ingress.class': 'legacy' } }, spec: { defaultBackend: backend('web') } });
    await client.create(INGRESSES, { metadata: { name: 'c', namespace: 'other' }, spec: { defaultBackend: backend('web') } });
    assert.deepEqual(names(view.ingresses.byIndex(INGRESSES_BY_CLASS, 'knet')), ['a']);
    assert.deepEqual(names(view.ingresses.byIndex(INGRESSES_BY_CLASS, 'legacy')), ['b']);
    assert.deepEqual(names(view.ingresses.byIndex(INGRESSES_BY_CLASS, '')), ['c'], 'no class: filed under ""');
    assert.deepEqual(names(view.ingresses.byIndex(INGRESSES_BY_BACKEND, 'default/web')), ['a', 'b']);
    assert.deepEqual(names(view.ingresses.byIndex(INGRESSES_BY_BACKEND, 'default/api')), ['a']);
    assert.deepEqual(names(view.ingresses.byIndex(INGRESSES_BY_BACKEND, 'other/web')), ['c']);
    const a = client.get(INGRESSES, 'default', 'a')!;
    (a.spec as { rules?: unknown[] }).rules = [];
    await client.update(INGRESSES, a);
    assert.deepEqual(view.ingresses.byIndex(INGRESSES_BY_BACKEND, 'default/api'), [], 'a backend dropped from the rules');
    assert.deepEqual(names(view.ingresses.byIndex(INGRESSES_BY_BACKEND, 'default/fallback')), ['a']);
    await client.create({ resource: 'secrets' }, { metadata: { name: 'tls', namespace: 'default' }, type: 'Opaque', data: { k: 'dg==' } });
    assert.equal(view.secrets.get('default', 'tls')?.data?.['k'], 'dg==');
    assert.equal(view.secrets.get('other', 'tls'), undefined);
  } finally { view.stop(); await store.close(); }
});

test('consumers add their own indexes; one name cannot hold two functions', async () => {
  const { store, client, view } = await setup();
  try {
    await pod(client, 'a', { app: 'web' });
    const byApp = (p: Pod) => [p.metadata.labels?.['app'] ?? ''];
    view.pods.addIndexers({ app: byApp });
    assert.deepEqual(names(view.pods.byIndex('app', 'web')), ['a'], 'an index added after start covers existing objects');
    view.pods.addIndexers({ app: byApp });
    assert.throws(() => view.pods.addIndexers({ app: (p) => [p.metadata.name ?? ''] }), /already exists/);
    await pod(client, 'b', { app: 'web' });
    assert.deepEqual(names(view.pods.byIndex('app', 'web')), ['a', 'b']);
  } finally { view.stop(); await store.close(); }
});
