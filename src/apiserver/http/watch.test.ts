import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { Registry } from '../../api/registry.js';
import { allKinds } from '../../api/kinds/index.js';
import { openStore } from '../../store/index.js';
import { Client } from '../../client/client.js';
import { createNetwork } from '../../net/network.js';
import type { Conn } from '../../net/types.js';
import { serveWatch } from './watch.js';
import { parseTimeoutSeconds } from './watch-timeout.js';
import { WATCH_QUEUE_LIMIT } from './watch-buffer.js';

const CM = { resource: 'configmaps' };
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A store with a namespace, and an HTTP server (on a virtual network) serving watches of ConfigMaps in it. */
async function setup() {
  const store = await openStore({ ephemeral: true });
  const registry = new Registry(allKinds);
  const client = new Client(store, registry, {}, 'test');
  await client.create({ resource: 'namespaces' }, { metadata: { name: 'default' } });
  const def = registry.lookup('', 'v1', 'configmaps')!;
  const served: Conn[] = [];
  const server = http.createServer((req, res) => {
    const q = new URL(req.url ?? '/', 'http://x').searchParams;
    serveWatch(store, def, 'default', { resourceVersion: q.get('resourceVersion') ?? undefined, timeoutSeconds: parseTimeoutSeconds(q.get('timeoutSeconds')), allowBookmarks: false, sendInitialEvents: false }, req, res);
  });
  const network = createNetwork();
  const a = network.addStack(['10.244.1.2'], { kind: 'pod' });
  const b = network.addStack(['10.244.1.3'], { kind: 'pod' });
  b.listen(80, (c) => { served.push(c); server.emit('connection', c); });
  /** Opens a watch; `text()` is what arrived so far, `ended` resolves when the chunked body ends. */
  const watch = async (query = '') => {
    const c = await a.connect({ ip: '10.244.1.3', port: 80 });
    c.on('error', () => undefined);
    let text = '';
    c.on('data', (d: Buffer) => (text += d.toString()));
    c.write(`GET /?${query} HTTP/1.1\r\nHost: x\r\n\r\n`);
    const ended = new Promise<void>((resolve) => {
      const check = (): void => { if (text.endsWith('0\r\n\r\n')) resolve(); };
      c.on('data', check);
      c.once('close', () => resolve());
    });
    const events = (): number => (text.match(/"type":"(ADDED|MODIFIED|DELETED)"/g) ?? []).length;
    return { conn: c, text: () => text, ended, events };
  };
  const write = async (n: number, bytes: number): Promise<void> => {
    for (let i = 0; i < n; i++) await client.create(CM, { metadata: { name: `cm-${i}`, namespace: 'default' }, data: { v: 'x'.repeat(bytes) } });
  };
  return { store, watch, write, served, close: async () => { for (const c of served) c.destroy(); await store.close(); } };
}

test('a watcher that stops reading is closed once more than the cacheWatcher channels (200 events) wait and it makes no progress; a reading one gets everything', async () => {
  const t = await setup();
  try {
    const paused = await t.watch('resourceVersion=0');
    const reading = await t.watch('resourceVersion=0');
    await sleep(20);
    paused.conn.pause();
    await t.write(1000, 1024);
    await sleep(400);
    const queued = Math.max(...t.served.map((c) => c.writableLength));
    assert.ok(queued < 256 * 1024, `bytes held for the paused watcher: ${queued}`);
    paused.conn.resume();
    await Promise.race([paused.ended, sleep(3000).then(() => assert.fail('the paused watch was not closed'))]);
    assert.ok(paused.events() < 1000, `the closed watch got ${paused.events()} of 1000 events`);
    assert.ok(paused.events() > 0);
    assert.match(paused.text(), /\r\n0\r\n\r\n$/, 'a clean end of the chunked body: the client re-watches from its last resourceVersion');
    assert.equal(reading.events(), 1000);
    assert.ok(!reading.text().endsWith('0\r\n\r\n'), 'the reading watch stays open');
  } finally { await t.close(); }
});

test('a slow reader that keeps taking events is not closed, however many wait', async () => {
  const t = await setup();
  try {
    const slow = await t.watch('resourceVersion=0');
    await sleep(20);
    slow.conn.pause();
    const writing = t.write(WATCH_QUEUE_LIMIT * 3, 1024);
    const drip = setInterval(() => { slow.conn.resume(); setTimeout(() => slow.conn.pause(), 5); }, 40);
    await writing;
    for (let i = 0; i < 200 && slow.events() < WATCH_QUEUE_LIMIT * 3; i++) await sleep(20);
    clearInterval(drip);
    slow.conn.resume();
    assert.equal(slow.events(), WATCH_QUEUE_LIMIT * 3);
    assert.ok(!slow.text().endsWith('0\r\n\r\n'));
  } finally { await t.close(); }
});

test('timeoutSeconds as kube-apiserver reads it: negative ends the watch at once, 2147484 (past a Node timer) does not, 1 ends after a second', async () => {
  const t = await setup();
  try {
    const negative = await t.watch('timeoutSeconds=-1');
    await Promise.race([negative.ended, sleep(1000).then(() => assert.fail('a negative timeout did not end the watch'))]);
    assert.match(negative.text(), /^HTTP\/1\.1 200 OK\r\n/);
    const huge = await t.watch('timeoutSeconds=2147484');
    const one = await t.watch('timeoutSeconds=1');
    const t0 = Date.now();
    await Promise.race([one.ended, sleep(3000).then(() => assert.fail('timeoutSeconds=1 did not end the watch'))]);
    assert.ok(Date.now() - t0 >= 900);
    assert.ok(!huge.text().endsWith('0\r\n\r\n'), 'timeoutSeconds=2147484 is 24.8 days, not at once');
    await t.write(1, 10);
    await sleep(50);
    assert.equal(huge.events(), 1);
  } finally { await t.close(); }
});
