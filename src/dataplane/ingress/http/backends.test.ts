import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { Socket } from 'node:net';
import tls from 'node:tls';
import { WebSocketServer, WebSocket } from 'ws';
import { createNetwork } from '../../../net/network.js';
import type { Network } from '../../../net/types.js';
import { bed, echoBackend, get, location, selfSigned, server, table, upstream } from './testing.js';

const cert = selfSigned('Kubernetes Ingress Controller Fake Certificate', ['ingress.local']);

/** An HTTPS backend on `ip`:8443 answering with the TLS server name it was asked for; also a WebSocket echo. */
async function httpsBackend(network: Network, ip: string): Promise<{ names: string[]; encrypted: boolean[] }> {
  const stack = network.addStack([ip], { kind: 'pod' });
  const ctx = (await selfSigned('backend', ['backend'])).certificate.context;
  const seen = { names: [] as string[], encrypted: [] as boolean[] };
  const wss = new WebSocketServer({ noServer: true });
  const srv = http.createServer((req, res) => {
    seen.encrypted.push((req.socket as tls.TLSSocket).encrypted === true);
    res.end(JSON.stringify({ url: req.url, host: req.headers.host }));
  });
  srv.on('upgrade', (req, socket, head) => wss.handleUpgrade(req, socket, head, (ws) => ws.on('message', (m: Buffer) => ws.send(`tls ${m.toString()}`))));
  stack.listen(8443, (c) => {
    const t = new tls.TLSSocket(c as unknown as Socket, {
      isServer: true, secureContext: ctx,
      SNICallback: (name, cb) => { seen.names.push(name); cb(null, ctx); },
    } as tls.TLSSocketOptions);
    t.on('error', () => t.destroy());
    t.once('secure', () => srv.emit('connection', t));
  });
  return seen;
}

test('backend-protocol HTTPS: requests and WebSocket upgrades go over TLS with the server name (upstream-vhost, else the host)', async () => {
  const network = createNetwork();
  const seen = await httpsBackend(network, '10.244.1.7');
  const up = upstream('secure', [{ ip: '10.244.1.7', port: 8443 }], 443);
  const bd = bed(table([
    server('example.com', [location('/', up, { backendProtocol: 'HTTPS', sslRedirect: false })]),
    server('vhost.example', [location('/', up, { backendProtocol: 'HTTPS', sslRedirect: false, upstreamVhost: 'inner.svc' })]),
  ], (await cert).certificate), { network });
  try {
    const r = await get(bd, '/x?y=1');
    assert.equal(r.status, 200);
    assert.deepEqual(r.json(), { url: '/x?y=1', host: 'example.com' });
    assert.equal((await get(bd, '/', { headers: { Host: 'vhost.example' } })).json().host, 'inner.svc');
    assert.deepEqual(seen.encrypted, [true, true]);
    const c = await bd.network.host.connect({ ip: bd.ip, port: 80 });
    const ws = new WebSocket('ws://vhost.example/chat', { createConnection: () => c as unknown as Socket } as never);
    await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject); });
    const got = new Promise<string>((resolve) => ws.once('message', (m: Buffer) => resolve(m.toString())));
    ws.send('hi');
    assert.equal(await got, 'tls hi');
    ws.close();
    await new Promise((resolve) => ws.once('close', resolve));
    assert.deepEqual(seen.names, ['example.com', 'inner.svc', 'inner.svc']);
  } finally { bd.close(); }
});

// An address no pod has: the dial's packets are dropped, so it waits for proxy-connect-timeout.
const DROPPED = { ip: '10.244.9.9', port: 8080 };

test('proxy-connect-timeout: a dropped dial → 504; with another endpoint the timeout moves on to it (proxy-next-upstream error timeout)', async () => {
  const network = createNetwork();
  const live = echoBackend(network, '10.244.1.5', 'live');
  const bd = bed(table([server('example.com', [
    location('/dropped', upstream('dropped', [DROPPED]), { connectTimeoutMs: 100 }),
    location('/next', upstream('next', [DROPPED, { ip: live.ip, port: 8080 }]), { connectTimeoutMs: 100 }),
  ])], (await cert).certificate), { network, random: () => 0 });
  try {
    const t0 = Date.now();
    const r = await get(bd, '/dropped');
    assert.equal(r.status, 504);
    assert.match(r.body, /504 Gateway Time-out/);
    assert.ok(Date.now() - t0 < 2000, 'answered after the connect timeout, not the stack default');
    assert.ok(bd.errors.some((l) => l.startsWith('upstream timed out')), bd.errors.join('\n'));
    const n = await get(bd, '/next');
    assert.equal(n.status, 200);
    assert.match(bd.access.at(-1)!, / 10\.244\.9\.9:8080, 10\.244\.1\.5:8080 0, \d+ \d\.\d{3}, \d\.\d{3} 504, 200 /);
  } finally { bd.close(); }
});

test('a WebSocket tunnel closes after proxy-read-timeout without traffic either way; traffic keeps it open', async () => {
  const network = createNetwork();
  const stack = network.addStack(['10.244.1.9'], { kind: 'pod' });
  const wss = new WebSocketServer({ noServer: true });
  const backend = http.createServer();
  backend.on('upgrade', (req, socket, head) => wss.handleUpgrade(req, socket, head, (ws) => ws.on('message', (m: Buffer) => ws.send(m))));
  stack.listen(8080, (c) => backend.emit('connection', c));
  const bd = bed(table([server('example.com', [location('/', upstream('ws', [{ ip: '10.244.1.9', port: 8080 }]), { readTimeoutMs: 300 })])], (await cert).certificate), { network });
  try {
    const c = await bd.network.host.connect({ ip: bd.ip, port: 80 });
    const ws = new WebSocket('ws://example.com/chat', { createConnection: () => c as unknown as Socket } as never);
    await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject); });
    const t0 = Date.now();
    let closedAt = 0;
    ws.once('close', () => { closedAt = Date.now() - t0; });
    for (let i = 0; i < 6; i++) {
      ws.send('ping');
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(closedAt, 0, 'traffic every 100 ms keeps the tunnel open past 300 ms');
    await new Promise((r) => setTimeout(r, 800));
    assert.ok(closedAt >= 800 && closedAt < 1400, `closed ~300 ms after the last traffic, at ${closedAt} ms`);
  } finally {
    bd.close();
    for (const c of wss.clients) c.terminate();
    wss.close();
  }
});
