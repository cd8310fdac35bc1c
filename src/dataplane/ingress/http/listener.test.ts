import { test } from 'node:test';
import assert from 'node:assert/strict';
import http2 from 'node:http2';
import type { Socket } from 'node:net';
import tls from 'node:tls';
import { createNetwork } from '../../../net/network.js';
import type { GlobalConfig } from '../model.js';
import { bed, echoBackend, location, selfSigned, server, table, upstream, type Bed } from './testing.js';

const cert = selfSigned('Kubernetes Ingress Controller Fake Certificate', ['ingress.local']);

async function setup(global: Partial<GlobalConfig> = {}): Promise<{ bd: Bed; retable(g: Partial<GlobalConfig>): void }> {
  const network = createNetwork();
  const a = echoBackend(network, '10.244.1.2', 'a');
  const c = (await cert).certificate;
  const make = (g: Partial<GlobalConfig>): ReturnType<typeof table> =>
    table([server('example.com', [location('/', upstream('web', [{ ip: a.ip, port: 8080 }]), { sslRedirect: false })])], c, g);
  const bd = bed(make(global), { network });
  return { bd, retable: (g) => bd.routes.set(make(g)) };
}

/** A client connection that records what it receives and when it is closed. */
async function client(bd: Bed): Promise<{ write(s: string): void; text(): string; closed: Promise<number> }> {
  const conn = await bd.network.host.connect({ ip: bd.ip, port: 80 });
  const chunks: Buffer[] = [];
  conn.on('data', (c: Buffer) => chunks.push(c));
  conn.on('error', () => undefined);
  const t0 = Date.now();
  // The proxy's FIN ('end') is its close; the virtual connection's 'close' also needs the client's end.
  const closed = new Promise<number>((resolve) => {
    const done = (): void => resolve(Date.now() - t0);
    conn.once('end', done);
    conn.once('close', done);
  });
  return { write: (s) => conn.write(s), text: () => Buffer.concat(chunks).toString('latin1'), closed };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const GET = 'GET / HTTP/1.1\r\nHost: example.com\r\n\r\n';

test('client keep-alive: requests share a connection, closed after keep-alive-requests and after the keep-alive idle time', async () => {
  const { bd } = await setup({ keepAliveRequests: 3, keepAliveMs: 300 });
  try {
    const c = await client(bd);
    c.write(GET);
    await sleep(100);
    c.write(GET);
    await sleep(100);
    assert.equal(c.text().match(/HTTP\/1\.1 200 OK/g)?.length, 2, 'two requests on one connection');
    const t3 = Date.now();
    c.write(GET);
    await c.closed;
    const after = Date.now() - t3;
    assert.equal(c.text().match(/HTTP\/1\.1 200 OK/g)?.length, 3);
    assert.match(c.text().slice(c.text().lastIndexOf('HTTP/1.1 200')), /\r\nConnection: close\r\n/i);
    assert.ok(after < 1000, `closed after the third request, not by a timer (${after} ms)`);
    const idle = await client(bd);
    idle.write(GET);
    const lived = await idle.closed;
    assert.match(idle.text(), /\r\nConnection: keep-alive\r\n/i);
    assert.ok(lived >= 250 && lived < 2000, `closed after ~300 ms idle, not ${lived}`);
  } finally { bd.close(); }
});

test('a new table applies keep-alive-requests, keep-alive and client-header-timeout to new connections (as a reload)', async () => {
  const { bd, retable } = await setup();
  try {
    const before = await client(bd);
    before.write(GET);
    await sleep(100);
    assert.match(before.text(), /\r\nConnection: keep-alive\r\n/i);
    retable({ keepAliveRequests: 1, clientHeaderTimeoutMs: 200, keepAliveMs: 300 });
    const one = await client(bd);
    one.write(GET);
    await one.closed;
    assert.match(one.text(), /\r\nConnection: close\r\n/i, 'keep-alive-requests 1 closes after the first request');
    const slow = await client(bd);
    slow.write('GET / HTTP/1.1\r\nHost: exa');
    const t = await slow.closed;
    assert.match(slow.text(), /^HTTP\/1\.1 408 /);
    assert.ok(t < 1500, `the new client-header-timeout (200 ms) applies, closed after ${t} ms`);
    retable({ largeHeaderBufferBytes: 1024 });
    const big = await client(bd);
    big.write(`GET / HTTP/1.1\r\nHost: example.com\r\nX-Big: ${'x'.repeat(2000)}\r\n\r\n`);
    await big.closed;
    assert.match(big.text(), /^HTTP\/1\.1 400 /, 'large-client-header-buffers from the new table');
    before.write(GET);
  } finally { bd.close(); }
});

test('HTTP/2: 128 concurrent streams; a session closes after keep-alive idle, and when it never sends a request', async () => {
  const { bd } = await setup({ keepAliveMs: 300, clientHeaderTimeoutMs: 400 });
  try {
    const open = async (): Promise<{ session: http2.ClientHttp2Session; closed: Promise<number> }> => {
      const c = await bd.network.host.connect({ ip: bd.ip, port: 443 });
      const t = tls.connect({ socket: c as unknown as Socket, servername: 'example.com', rejectUnauthorized: false, ALPNProtocols: ['h2'] });
      const session = http2.connect('https://example.com', { createConnection: () => t });
      session.on('error', () => undefined);
      const t0 = Date.now();
      const closed = new Promise<number>((resolve) => session.once('close', () => resolve(Date.now() - t0)));
      await new Promise((resolve) => session.once('remoteSettings', resolve));
      return { session, closed };
    };
    const a = await open();
    assert.equal(a.session.remoteSettings.maxConcurrentStreams, 128);
    const req = a.session.request({ ':path': '/', ':authority': 'example.com' });
    const status = await new Promise((resolve) => req.once('response', (h) => resolve(h[':status'])));
    req.resume();
    await new Promise((resolve) => req.once('end', resolve));
    assert.equal(status, 200);
    const t1 = Date.now();
    await a.closed;
    assert.ok(Date.now() - t1 < 2000, 'the idle session was closed by the proxy');
    const b = await open();
    const lived = await b.closed;
    assert.ok(lived >= 300 && lived < 2000, `a session without requests closes after client-header-timeout, not ${lived}`);
  } finally { bd.close(); }
});
