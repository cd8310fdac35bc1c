// End-to-end: @kubernetes/client-node lists and watches ConfigMaps against `knet up`: every event
// arrives in order with increasing resourceVersions, and a compacted resourceVersion gets an ERROR
// event carrying a 410 Expired Status (through client-node's Watch and over raw HTTPS).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CoreV1Api, KubeConfig, Watch, type V1ConfigMap } from '@kubernetes/client-node';
import { Knet } from './harness.js';
import { client, loadCreds } from './rawhttp.js';

interface Event { type: string; object: { kind?: string; code?: number; reason?: string; message?: string; metadata?: { name?: string; resourceVersion?: string } } }

/** Starts a client-node watch collecting events; `until` resolves once `n` events arrived or the watch ended. */
async function collect(kc: KubeConfig, path: string, rv: string) {
  const events: Event[] = [];
  let ended: unknown = 'running';
  const waiters: (() => void)[] = [];
  const wake = () => { for (const w of waiters.splice(0)) w(); };
  const controller = await new Watch(kc).watch(path, { resourceVersion: rv, allowWatchBookmarks: false },
    (type, object) => { events.push({ type, object: object as Event['object'] }); wake(); },
    (err) => { ended = err ?? null; wake(); });
  const until = async (n: number, ms = 10_000) => {
    const deadline = Date.now() + ms;
    while (events.length < n && ended === 'running' && Date.now() < deadline) {
      await new Promise<void>((r) => { waiters.push(r); setTimeout(r, 100); });
    }
    return events;
  };
  return { events, until, stop: () => controller.abort(), ended: () => ended };
}

function kubeConfig(knet: Knet): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(knet.kubeconfig);
  return kc;
}

const cm = (name: string, data: Record<string, string>): V1ConfigMap => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data });

describe('client-node: list then watch', () => {
  const knet = new Knet();
  before(async () => { await knet.start(); });
  after(async () => { await knet.cleanup(); });

  it('delivers every create/update/delete in order with increasing resourceVersions', async () => {
    const kc = kubeConfig(knet);
    const core = kc.makeApiClient(CoreV1Api);
    await core.createNamespace({ body: { metadata: { name: 'watched' } } });
    await core.createNamespacedConfigMap({ namespace: 'watched', body: cm('before', { a: '1' }) });
    const list = await core.listNamespacedConfigMap({ namespace: 'watched' });
    assert.ok(list.items.some((i) => i.metadata?.name === 'before'), 'the list holds the object created before it');
    const rv = list.metadata?.resourceVersion;
    assert.ok(rv && /^\d+$/.test(rv), `list resourceVersion ${rv}`);
    const w = await collect(kc, '/api/v1/namespaces/watched/configmaps', rv);
    // A write in another namespace must not show up.
    await core.createNamespacedConfigMap({ namespace: 'default', body: cm('elsewhere', { x: '1' }) });
    const expected: [string, string][] = [];
    for (let i = 0; i < 5; i++) {
      await core.createNamespacedConfigMap({ namespace: 'watched', body: cm(`cm-${i}`, { i: String(i) }) });
      expected.push(['ADDED', `cm-${i}`]);
    }
    for (let i = 0; i < 5; i += 2) {
      const cur = await core.readNamespacedConfigMap({ name: `cm-${i}`, namespace: 'watched' });
      cur.data = { i: String(i), changed: 'yes' };
      await core.replaceNamespacedConfigMap({ name: `cm-${i}`, namespace: 'watched', body: cur });
      expected.push(['MODIFIED', `cm-${i}`]);
    }
    await core.replaceNamespacedConfigMap({ name: 'before', namespace: 'watched', body: { ...cm('before', { a: '2' }) } });
    expected.push(['MODIFIED', 'before']);
    for (const name of ['cm-1', 'before', 'cm-3']) {
      await core.deleteNamespacedConfigMap({ name, namespace: 'watched' });
      expected.push(['DELETED', name]);
    }
    const events = await w.until(expected.length);
    await new Promise((r) => setTimeout(r, 300)); // nothing extra may follow
    w.stop();
    assert.deepEqual(events.map((e) => [e.type, e.object.metadata?.name]), expected);
    let last = Number(rv);
    for (const e of events) {
      const erv = Number(e.object.metadata?.resourceVersion);
      assert.ok(erv > last, `resourceVersion ${erv} after ${last} (${e.type} ${e.object.metadata?.name})`);
      last = erv;
    }
    const modified = events.find((e) => e.type === 'MODIFIED' && e.object.metadata?.name === 'cm-0');
    assert.deepEqual((modified?.object as { data?: unknown }).data, { i: '0', changed: 'yes' });
  });

  it('a watch from resourceVersion 0 starts with ADDED for every existing object', async () => {
    const kc = kubeConfig(knet);
    const w = await collect(kc, '/api/v1/namespaces/watched/configmaps', '0');
    const events = await w.until(3, 3000);
    w.stop();
    const names = events.filter((e) => e.type === 'ADDED').map((e) => e.object.metadata?.name);
    for (const n of ['cm-0', 'cm-2', 'cm-4']) assert.ok(names.includes(n), `${n} in ${names.join(',')}`);
  });
});

describe('client-node: watch from a compacted resourceVersion', () => {
  const knet = new Knet(['--watch-cache-size', '10']);
  before(async () => { await knet.start(); });
  after(async () => { await knet.cleanup(); });

  it('gets an ERROR event with a 410 Expired Status, through client-node and raw HTTPS', async () => {
    const kc = kubeConfig(knet);
    const core = kc.makeApiClient(CoreV1Api);
    const first = await core.listNamespacedConfigMap({ namespace: 'default' });
    const old = first.metadata?.resourceVersion ?? '';
    for (let i = 0; i < 50; i++) await core.createNamespacedConfigMap({ namespace: 'default', body: cm(`n-${i}`, { i: String(i) }) });

    const w = await collect(kc, '/api/v1/namespaces/default/configmaps', old);
    const events = await w.until(1, 5000);
    w.stop();
    assert.equal(events.length, 1, JSON.stringify(events));
    const ev = events[0]!;
    assert.equal(ev.type, 'ERROR');
    assert.equal(ev.object.kind, 'Status');
    assert.equal(ev.object.code, 410);
    assert.equal(ev.object.reason, 'Expired');
    assert.match(ev.object.message ?? '', new RegExp(`^too old resource version: ${old} \\(\\d+\\)$`));

    const raw = client(knet.port, loadCreds(knet.kubeconfig));
    const r = await raw('GET', `/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${old}`);
    assert.equal(r.status, 200);
    const lines = r.text.trim().split('\n');
    assert.equal(lines.length, 1, r.text);
    const line = JSON.parse(lines[0]!) as Event;
    assert.equal(line.type, 'ERROR');
    assert.equal(line.object.kind, 'Status');
    assert.equal(line.object.code, 410);
    assert.equal(line.object.reason, 'Expired');

    // A recent resourceVersion still works.
    const now = await core.listNamespacedConfigMap({ namespace: 'default' });
    assert.equal(now.items.filter((i) => i.metadata?.name?.startsWith('n-')).length, 50);
    const w2 = await collect(kc, '/api/v1/namespaces/default/configmaps', now.metadata?.resourceVersion ?? '');
    await core.deleteNamespacedConfigMap({ name: 'n-7', namespace: 'default' });
    const ev2 = await w2.until(1);
    w2.stop();
    assert.deepEqual(ev2.map((e) => [e.type, e.object.metadata?.name]), [['DELETED', 'n-7']]);
  });
});
