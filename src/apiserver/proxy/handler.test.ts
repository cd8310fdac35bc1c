import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import type { Endpoints } from '../../api/kinds/endpoints.js';
import type { Pod } from '../../api/kinds/pod-types.js';
import type { Service } from '../../api/kinds/service-schema.js';
import { createNetwork } from '../../net/network.js';
import { sendError } from '../http/response.js';
import { parseRequestTarget } from '../http/target.js';
import { ProxySubresources } from './handler.js';

const POD_IP = '10.244.0.5';

/** An API-server stand-in serving only the proxy subresources, over a virtual network with one backend pod. */
async function setup(backend: http.RequestListener): Promise<{ url: string; close(): void }> {
  const net = createNetwork();
  const node = net.addStack(['127.1.0.1'], { kind: 'node', name: 'n1', nodeName: 'n1' });
  const podStack = net.addStack([POD_IP], { kind: 'pod', namespace: 'default', name: 'p', nodeName: 'n1' });
  const inner = http.createServer(backend);
  podStack.listen(8080, (c) => inner.emit('connection', c));
  const pod = { metadata: { name: 'p', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'x', ports: [{ containerPort: 8080 }] }] }, status: { podIP: POD_IP, podIPs: [{ ip: POD_IP }] } } as unknown as Pod;
  const svc = { metadata: { name: 'web', namespace: 'default' }, spec: { ports: [{ name: 'http', port: 80 }] } } as unknown as Service;
  const eps = { metadata: { name: 'web', namespace: 'default' }, subsets: [{ addresses: [{ ip: POD_IP, targetRef: { kind: 'Pod', name: 'p', namespace: 'default' } }], ports: [{ name: 'http', port: 8080 }] }] } as unknown as Endpoints;
  const proxy = new ProxySubresources({
    service: (_ns, n) => (n === 'web' ? svc : undefined), endpoints: (_ns, n) => (n === 'web' ? eps : undefined),
    pod: (_ns, n) => (n === 'p' ? pod : undefined), node: () => undefined,
    dial: (ip, port, timeoutMs) => node.connect({ ip, port }, { timeoutMs }),
  });
  const front = http.createServer((req, res) => {
    const done = proxy.serve(parseRequestTarget(req.url ?? '/').path, req, res);
    if (!done) { res.writeHead(404); res.end(); return; }
    done.catch((e: unknown) => sendError(res, e));
  });
  await new Promise<void>((r) => front.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(front.address() as AddressInfo).port}`, close: () => { front.close(); front.closeAllConnections(); inner.close(); } };
}

async function fetchText(url: string, init?: RequestInit): Promise<{ status: number; headers: Headers; body: string }> {
  const r = await fetch(url, { redirect: 'manual', ...init });
  return { status: r.status, headers: r.headers, body: await r.text() };
}

test('method, path, query, body and headers reach the backend; hop-by-hop, Authorization and Impersonate-* do not', async () => {
  const s = await setup((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      res.setHeader('Access-Control-Allow-Origin', '*');
      res.setHeader('X-Backend', 'yes');
      res.end(JSON.stringify({ method: req.method, url: req.url, body: Buffer.concat(chunks).toString(), headers: req.headers }));
    });
  });
  try {
    const P = '/api/v1/namespaces/default/services/web:80/proxy';
    const r = await fetchText(`${s.url}${P}/a%20b/c?x=1&y=%2F`, { method: 'PUT', body: 'payload', headers: { Authorization: 'Bearer secret', 'X-Custom': 'kept', 'Proxy-Authorization': 'Basic eDp5', 'Impersonate-User': 'admin', 'Impersonate-Group': 'system:masters', 'Impersonate-Extra-Scopes': 'all', 'Impersonate-Uid': 'u1' } });
    assert.equal(r.status, 200, r.body);
    const seen = JSON.parse(r.body) as { method: string; url: string; body: string; headers: Record<string, string> };
    assert.equal(seen.method, 'PUT');
    assert.equal(seen.url, '/a%20b/c?x=1&y=%2F');
    assert.equal(seen.body, 'payload');
    assert.equal(seen.headers['x-custom'], 'kept');
    assert.equal(seen.headers['authorization'], undefined);
    assert.equal(seen.headers['proxy-authorization'], undefined);
    assert.deepEqual(Object.keys(seen.headers).filter((k) => k.startsWith('impersonate-')), [], 'Impersonate-* headers stay with the API server');
    assert.equal(seen.headers['x-forwarded-for'], '127.0.0.1');
    assert.equal(seen.headers['x-forwarded-uri'], `${P}/a%20b/c`);
    assert.equal(r.headers.get('x-backend'), 'yes');
    assert.equal(r.headers.get('access-control-allow-origin'), null, 'CORS headers of the backend are removed');
  } finally { s.close(); }
});

test('redirects stay under the proxy path; a bare /proxy redirects to its trailing slash', async () => {
  const s = await setup((_req, res) => { res.writeHead(302, { Location: '/login?next=%2F' }); res.end(); });
  try {
    const P = '/api/v1/namespaces/default/pods/p:8080/proxy';
    const r = await fetchText(`${s.url}${P}/admin`);
    assert.equal(r.status, 302);
    assert.equal(r.headers.get('location'), `${P}/login?next=%2F`);
    const bare = await fetchText(`${s.url}${P}?q=1`);
    assert.equal(bare.status, 301);
    assert.equal(bare.headers.get('location'), `${P}/?q=1`);
  } finally { s.close(); }
});

test('links of an HTML page are rewritten, gzip included, and its Content-Length dropped', async () => {
  const page = '<html><body><a href="/next">next</a></body></html>';
  const s = await setup((req, res) => {
    const gz = req.url === '/gz';
    const body = gz ? gzipSync(page) : Buffer.from(page);
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': body.length, ...(gz ? { 'Content-Encoding': 'gzip' } : {}) });
    res.end(body);
  });
  try {
    const P = '/api/v1/namespaces/default/services/web:80/proxy';
    for (const path of ['/plain', '/gz']) {
      const r = await fetchText(`${s.url}${P}${path}`);
      assert.equal(r.body, `<html><body><a href="${P}/next">next</a></body></html>`, path);
      assert.notEqual(r.headers.get('content-length'), String(page.length));
    }
  } finally { s.close(); }
});

test('a refused dial and a backend that closes without answering are 503 Statuses in Go words', async () => {
  const s = await setup((req) => { req.socket.end(); });
  try {
    const refused = await fetchText(`${s.url}/api/v1/namespaces/default/pods/p:9999/proxy/`);
    assert.equal(refused.status, 503);
    assert.equal((JSON.parse(refused.body) as { message: string }).message, `error trying to reach service: dial tcp ${POD_IP}:9999: connect: connection refused`);
    const eof = await fetchText(`${s.url}/api/v1/namespaces/default/pods/p/proxy/`);
    assert.equal(eof.status, 503);
    assert.equal((JSON.parse(eof.body) as { message: string }).message, 'error trying to reach service: EOF');
  } finally { s.close(); }
});
