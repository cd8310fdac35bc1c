import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { once } from 'node:events';
import { closeSilentConnections } from './idle.js';
import { createNetwork } from './network.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Resolves with how long (ms) a socket stayed open, or undefined if it was still open after `maxMs`. */
function lifetime(s: net.Socket, maxMs: number): Promise<number | undefined> {
  const t0 = Date.now();
  return Promise.race([new Promise<number>((r) => s.once('close', () => r(Date.now() - t0))), sleep(maxMs).then(() => undefined)]);
}

async function listen(server: http.Server): Promise<number> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as net.AddressInfo).port;
}

test('a real server: a connection that sends nothing is closed after the silence timeout; one that sends a request is not', async () => {
  const server = http.createServer((_req, res) => res.end('ok'));
  server.keepAliveTimeout = 0;
  closeSilentConnections(server, 200);
  const port = await listen(server);
  try {
    const silent = net.connect(port, '127.0.0.1');
    silent.on('error', () => undefined);
    const talker = net.connect(port, '127.0.0.1', () => talker.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n'));
    talker.on('error', () => undefined);
    talker.resume();
    const [a, b] = await Promise.all([lifetime(silent, 2000), lifetime(talker, 700)]);
    assert.ok(a !== undefined && a >= 150, `the silent connection closed after ${a} ms`);
    assert.equal(b, undefined, 'the connection that made a request stays (Node keeps it alive without a keep-alive timeout)');
    talker.destroy();
  } finally { server.close(); server.closeAllConnections(); }
});

test('virtual connections: silence before the first request and idle time after each response, without a Keep-Alive header', async () => {
  const network = createNetwork();
  const a = network.addStack(['10.244.1.2'], { kind: 'pod' });
  const b = network.addStack(['10.244.1.3'], { kind: 'pod' });
  const server = http.createServer((_req, res) => res.end('ok'));
  server.keepAliveTimeout = 0;
  closeSilentConnections(server, 150, { keepAliveMs: 300 });
  b.listen(80, (c) => server.emit('connection', c));
  const closed = (d: import('node:stream').Duplex): Promise<unknown> => { d.on('error', () => undefined); return new Promise((r) => d.once('close', r)); };
  const silent = await a.connect({ ip: '10.244.1.3', port: 80 });
  const t0 = Date.now();
  await closed(silent);
  assert.ok(Date.now() - t0 >= 100);
  const c = await a.connect({ ip: '10.244.1.3', port: 80 });
  const cClosed = closed(c);
  let text = '';
  c.on('data', (d: Buffer) => (text += d.toString()));
  c.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
  await sleep(200);
  assert.match(text, /^HTTP\/1\.1 200 OK/);
  assert.doesNotMatch(text, /Keep-Alive:/i);
  assert.equal(c.destroyed, false, 'past the first-request timeout while a request was answered');
  const t1 = Date.now();
  await Promise.race([cClosed, sleep(2000).then(() => assert.fail('not closed after the keep-alive time'))]);
  assert.ok(Date.now() - t1 >= 50, 'closed by the keep-alive time after the response');
});

test('an upgrade clears the timer when the server takes upgrades', async () => {
  const server = http.createServer((_req, res) => res.end('ok'));
  const upgraded: net.Socket[] = [];
  server.on('upgrade', (_req, socket: net.Socket) => { upgraded.push(socket); socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\nConnection: Upgrade\r\n\r\n'); });
  closeSilentConnections(server, 150, { upgrades: true });
  const port = await listen(server);
  try {
    const c = net.connect(port, '127.0.0.1', () => c.write('GET / HTTP/1.1\r\nHost: x\r\nUpgrade: x\r\nConnection: Upgrade\r\n\r\n'));
    c.on('error', () => undefined);
    c.resume();
    assert.equal(await lifetime(c, 600), undefined, 'an upgraded connection idles as long as it likes');
    c.destroy();
  } finally { for (const s of upgraded) s.destroy(); server.close(); }
});
