import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import tls from 'node:tls';
import { createNetwork } from '../../../net/network.js';
import { bed, echoBackend, get, location, raw, selfSigned, server, table, upstream } from './testing.js';

const cert = selfSigned('Kubernetes Ingress Controller Fake Certificate', ['ingress.local']);

/** The header block of the first response in `text`. */
function head(text: string): string {
  return text.slice(0, text.indexOf('\r\n\r\n') + 2);
}

// nginx's ngx_http_header_filter_module writes `Connection: keep-alive` when the connection stays
// open, `Connection: close` otherwise, and `Keep-Alive: timeout=` only with keepalive_timeout's
// second (header_timeout) parameter, which ingress-nginx's template never sets.
test('keep-alive responses say Connection: keep-alive without a Keep-Alive header (HTTP/1.1, HTTP/1.0, HTTPS); close otherwise', async () => {
  const network = createNetwork();
  const a = echoBackend(network, '10.244.1.2', 'a');
  const bd = bed(table([server('example.com', [location('/', upstream('web', [{ ip: a.ip, port: 8080 }]), { sslRedirect: false })])], (await cert).certificate), { network });
  try {
    const cases: [string, RegExp][] = [
      ['GET / HTTP/1.1\r\nHost: example.com\r\n\r\n', /^HTTP\/1\.1 200 OK\r\n/],
      ['GET /missing HTTP/1.1\r\nHost: other.example\r\n\r\n', /^HTTP\/1\.1 404 Not Found\r\n/],
      ['GET / HTTP/1.0\r\nHost: example.com\r\nConnection: keep-alive\r\n\r\n', /^HTTP\/1\.1 200 OK\r\n/],
    ];
    for (const [request, status] of cases) {
      const h = head(await raw(bd, request, 300));
      assert.match(h, status);
      assert.match(h, /\r\nConnection: keep-alive\r\n/i, h);
      assert.doesNotMatch(h, /\r\nKeep-Alive:/i, h);
    }
    for (const request of ['GET / HTTP/1.0\r\nHost: example.com\r\n\r\n', 'GET / HTTP/1.1\r\nHost: example.com\r\nConnection: close\r\n\r\n']) {
      const h = head(await raw(bd, request, 300));
      assert.match(h, /\r\nConnection: close\r\n/i, h);
      assert.doesNotMatch(h, /\r\nKeep-Alive:/i, h);
    }
    const c = await bd.network.host.connect({ ip: bd.ip, port: 443 });
    const t = tls.connect({ socket: c as unknown as Socket, servername: 'example.com', rejectUnauthorized: false, ALPNProtocols: ['http/1.1'] });
    const got: Buffer[] = [];
    t.on('data', (d: Buffer) => got.push(d));
    t.on('error', () => undefined);
    t.write('GET / HTTP/1.1\r\nHost: example.com\r\n\r\n');
    await new Promise((r) => setTimeout(r, 300));
    t.destroy();
    const h = head(Buffer.concat(got).toString('latin1'));
    assert.match(h, /^HTTP\/1\.1 200 OK\r\n/);
    assert.match(h, /\r\nConnection: keep-alive\r\n/i, h);
    assert.doesNotMatch(h, /\r\nKeep-Alive:/i, h);
  } finally { bd.close(); }
});

test('upstream-keepalive-requests closes a pooled connection after that many requests', async () => {
  const network = createNetwork();
  const a = echoBackend(network, '10.244.1.2', 'a');
  const bd = bed(table([server('example.com', [location('/', upstream('web', [{ ip: a.ip, port: 8080 }]))])], (await cert).certificate, { upstreamKeepaliveRequests: 3 }), { network });
  try {
    for (let i = 0; i < 7; i++) assert.equal((await get(bd, '/')).status, 200);
    assert.equal(a.requests, 7);
    assert.equal(a.connections, 3, '3 + 3 + 1 requests');
  } finally { bd.close(); }
});

test('a ConfigMap change of the upstream keep-alive limits applies to new upstream connections; in-flight requests finish', async () => {
  const network = createNetwork();
  let release: () => void = () => undefined;
  const a = echoBackend(network, '10.244.1.2', 'a', 8080, (req, res) => {
    if (req.url !== '/slow') return false;
    release = () => res.end('slow done');
    return true;
  });
  const servers = [server('example.com', [location('/', upstream('web', [{ ip: a.ip, port: 8080 }]))])];
  const bd = bed(table(servers, (await cert).certificate), { network });
  try {
    for (let i = 0; i < 3; i++) assert.equal((await get(bd, '/')).status, 200);
    assert.equal(a.connections, 1, 'pooled under the first table');
    const slow = get(bd, '/slow');
    await new Promise((r) => setTimeout(r, 50));
    // The new table: no idle upstream connections kept (ingress-nginx leaves out `keepalive` for 0).
    bd.routes.set(table(servers, (await cert).certificate, { upstreamKeepaliveConnections: 0 }));
    const before = a.connections;
    for (let i = 0; i < 3; i++) assert.equal((await get(bd, '/')).status, 200);
    assert.equal(a.connections, before + 3, 'every request of the new table dials anew');
    release();
    const r = await slow;
    assert.deepEqual([r.status, r.body], [200, 'slow done'], 'the in-flight request finished on its old connection');
    bd.routes.set(table(servers, (await cert).certificate, { upstreamKeepaliveRequests: 2 }));
    const base = a.connections;
    for (let i = 0; i < 4; i++) assert.equal((await get(bd, '/')).status, 200);
    assert.equal(a.connections, base + 2, 'pooled again, 2 requests per connection');
  } finally { bd.close(); }
});
