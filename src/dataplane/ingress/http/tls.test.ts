import { test } from 'node:test';
import assert from 'node:assert/strict';
import http2 from 'node:http2';
import type { Socket } from 'node:net';
import tls from 'node:tls';
import { WebSocketServer, WebSocket } from 'ws';
import { createNetwork } from '../../../net/network.js';
import type { Conn } from '../../../net/types.js';
import { bed, echoBackend, get, location, selfSigned, server, table, upstream, type Bed } from './testing.js';

async function setup(): Promise<{ bd: Bed; conn: (servername?: string, alpn?: string[]) => Promise<tls.TLSSocket> }> {
  const network = createNetwork();
  const a = echoBackend(network, '10.244.1.2', 'a');
  const fake = await selfSigned('Kubernetes Ingress Controller Fake Certificate', ['ingress.local']);
  const foo = await selfSigned('foo.example', ['foo.example']);
  const wild = await selfSigned('*.wild.example', ['*.wild.example']);
  const up = upstream('web', [{ ip: a.ip, port: 8080 }]);
  const bd = bed(table([
    server('foo.example', [location('/', up)], { certificate: foo.certificate }),
    server('*.wild.example', [location('/', up)], { certificate: wild.certificate }),
  ], fake.certificate), { network });
  const conn = async (servername?: string, alpn = ['h2', 'http/1.1']): Promise<tls.TLSSocket> => {
    const c = await bd.network.host.connect({ ip: bd.ip, port: 443 });
    const t = tls.connect({ socket: c as unknown as Socket, servername, rejectUnauthorized: false, ALPNProtocols: alpn });
    await new Promise((resolve, reject) => { t.once('secureConnect', resolve); t.once('error', reject); });
    return t;
  };
  return { bd, conn };
}

test('HTTPS: the certificate by SNI (exact, wildcard), the fake certificate otherwise and without SNI; TLS 1.2+', async () => {
  const { bd, conn } = await setup();
  try {
    const cn = async (sni?: string): Promise<string> => {
      const t = await conn(sni);
      const subject = t.getPeerCertificate().subject.CN;
      t.on('error', () => undefined);
      t.end();
      return String(subject);
    };
    assert.equal(await cn('foo.example'), 'foo.example');
    assert.equal(await cn('FOO.example'), 'foo.example');
    assert.equal(await cn('a.wild.example'), '*.wild.example');
    assert.equal(await cn('other.example'), 'Kubernetes Ingress Controller Fake Certificate');
    assert.equal(await cn(undefined), 'Kubernetes Ingress Controller Fake Certificate');
    const c = await bd.network.host.connect({ ip: bd.ip, port: 443 });
    const old = tls.connect({ socket: c as unknown as Socket, rejectUnauthorized: false, maxVersion: 'TLSv1.1', minVersion: 'TLSv1' });
    await assert.rejects(new Promise((resolve, reject) => { old.once('secureConnect', resolve); old.on('error', reject); }));
  } finally { bd.close(); }
});

test('HTTPS over HTTP/1.1: proxied with X-Forwarded-Proto https, port 443, HSTS; no redirect', async () => {
  const { bd, conn } = await setup();
  try {
    const t = await conn('foo.example', ['http/1.1']);
    assert.equal(t.alpnProtocol, 'http/1.1');
    const r = await get(bd, '/x', { conn: t as unknown as Conn, headers: { Host: 'foo.example' } });
    assert.equal(r.status, 200);
    const h = (r.json() as { headers: Record<string, string> }).headers;
    assert.equal(h['x-forwarded-proto'], 'https');
    assert.equal(h['x-forwarded-port'], '443');
    assert.equal(h['x-real-ip'], bd.network.host.ips[0]);
    assert.equal(r.headers['strict-transport-security'], 'max-age=31536000; includeSubDomains');
    const plain = await get(bd, '/x', { headers: { Host: 'foo.example' } });
    assert.equal(plain.status, 308);
    assert.equal(plain.headers['strict-transport-security'], undefined, 'HSTS only over HTTPS');
  } finally { bd.close(); }
});

test('ALPN h2: HTTP/2 requests are proxied and logged as HTTP/2.0', async () => {
  const { bd, conn } = await setup();
  try {
    const t = await conn('foo.example');
    assert.equal(t.alpnProtocol, 'h2');
    const session = http2.connect('https://foo.example', { createConnection: () => t });
    const req = session.request({ ':path': '/h2?x=1', ':method': 'GET', ':authority': 'foo.example' }); // as curl sends it
    const headers = await new Promise<http2.IncomingHttpHeaders>((resolve) => req.once('response', resolve));
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (d: string) => (body += d));
    await new Promise((resolve) => req.once('end', resolve));
    session.close();
    assert.equal(headers[':status'], 200);
    assert.equal(headers['strict-transport-security'], 'max-age=31536000; includeSubDomains');
    const echo = JSON.parse(body) as { url: string; headers: Record<string, string> };
    assert.equal(echo.url, '/h2?x=1');
    assert.equal(echo.headers.host, 'foo.example');
    assert.match(bd.access.at(-1)!, /"GET \/h2\?x=1 HTTP\/2\.0" 200 /);
  } finally { bd.close(); }
});

test('WebSocket upgrades are proxied in both directions (HTTP and HTTPS)', async () => {
  const network = createNetwork();
  const stack = network.addStack(['10.244.1.9'], { kind: 'pod' });
  const wss = new WebSocketServer({ noServer: true });
  let serverClosed = 0;
  const backend = (await import('node:http')).createServer();
  backend.on('upgrade', (req, socket, head) => wss.handleUpgrade(req, socket, head, (ws) => {
    ws.on('close', () => { serverClosed++; });
    ws.on('message', (m: Buffer) => ws.send(`echo ${m.toString()} ${String(req.headers['x-forwarded-proto'])}`));
  }));
  stack.listen(8080, (c) => backend.emit('connection', c));
  const fake = await selfSigned('fake', ['fake']);
  const bd = bed(table([server('example.com', [location('/', upstream('ws', [{ ip: '10.244.1.9', port: 8080 }]), { sslRedirect: false })])], fake.certificate), { network });
  try {
    for (const secure of [false, true]) {
      const c = await bd.network.host.connect({ ip: bd.ip, port: secure ? 443 : 80 });
      const sock = secure ? tls.connect({ socket: c as unknown as Socket, rejectUnauthorized: false, servername: 'example.com', ALPNProtocols: ['http/1.1'] }) : c;
      const ws = new WebSocket(`${secure ? 'wss' : 'ws'}://example.com/chat`, { createConnection: () => sock as Socket } as never);
      await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject); });
      const got = new Promise<string>((resolve) => ws.once('message', (m: Buffer) => resolve(m.toString())));
      ws.send('hi');
      assert.equal(await got, `echo hi ${secure ? 'https' : 'http'}`);
      // A graceful close: the proxy passes the close handshake and both TCP closes through at once.
      const t0 = Date.now();
      ws.close(1000, 'done');
      const [code] = await new Promise<[number]>((resolve) => ws.once('close', (c: number) => resolve([c])));
      assert.equal(code, 1000);
      assert.ok(Date.now() - t0 < 2000, 'closed without waiting for a timeout');
    }
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(serverClosed, 2, 'the backend saw each WebSocket close');
    assert.ok(bd.access.some((l) => /"GET \/chat HTTP\/1\.1" 101 .*\[default-ws-80\] \[\] 10\.244\.1\.9:8080 /.test(l)), bd.access.join('\n'));
  } finally {
    bd.close();
    for (const c of wss.clients) c.terminate();
    wss.close();
  }
});
