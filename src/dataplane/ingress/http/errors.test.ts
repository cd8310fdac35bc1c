import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createNetwork } from '../../../net/network.js';
import { bed, echoBackend, get, location, selfSigned, server, table, upstream } from './testing.js';

test('default-backend serves a location without endpoints (X-Code 503); custom-http-errors re-send listed statuses there', async () => {
  const network = createNetwork();
  echoBackend(network, '10.244.1.2', 'errors');
  echoBackend(network, '10.244.1.3', 'app', 8080, (req, res) => {
    if (!req.url?.startsWith('/missing')) return false;
    res.writeHead(404, { 'Content-Type': 'text/plain' });
    res.end('app 404');
    return true;
  });
  const fallback = upstream('errors', [{ ip: '10.244.1.2', port: 8080 }]);
  const cert = await selfSigned('fake', ['fake']);
  const bd = bed(table([server('example.com', [
    location('/empty', upstream('empty', []), { defaultBackend: fallback }),
    location('/', upstream('app', [{ ip: '10.244.1.3', port: 8080 }]), { defaultBackend: fallback, customHttpErrors: [404, 503] }),
  ])], cert.certificate), { network });
  try {
    const empty = await get(bd, '/empty/x', { headers: { Accept: 'application/json' } });
    const e = empty.json() as { name: string; url: string; headers: Record<string, string> };
    assert.equal(e.name, 'errors');
    assert.equal(e.headers['x-code'], '503');
    assert.equal(e.headers['x-format'], 'application/json');
    assert.equal(e.headers['x-namespace'], 'default');
    assert.equal(e.headers['x-ingress-name'], 'web');
    assert.equal(e.headers['x-service-name'], 'empty');
    assert.equal(e.headers['x-service-port'], '80');
    const missing = await get(bd, '/missing?q=1');
    const m = missing.json() as { name: string; url: string; method: string; headers: Record<string, string> };
    assert.equal(m.name, 'errors');
    assert.equal(m.url, '/');
    assert.equal(m.headers['x-code'], '404');
    assert.equal(m.headers['x-original-uri'], '/missing?q=1');
    assert.equal(m.headers['x-service-name'], 'app');
    assert.match(m.headers['x-request-id'] ?? '', /^[0-9a-f]{32}$/);
    assert.match(bd.access.at(-1)!, / 10\.244\.1\.3:8080, 10\.244\.1\.2:8080 .* 404, 200 [0-9a-f]{32}$/);
    assert.equal((await get(bd, '/fine')).status, 200, 'other statuses pass through');
  } finally { bd.close(); }
});

// Without a default-backend annotation the intercepted request goes to the controller's own default
// backend: ingress-nginx's template serves it from nginx itself ("backend for when
// default-backend-service is not configured": `location / { return 404; }`).
test('custom-http-errors without default-backend: listed upstream statuses get the controller default backend, nginx 404 page', async () => {
  const network = createNetwork();
  echoBackend(network, '10.244.1.3', 'app', 8080, (req, res) => {
    const code = Number(/^\/status\/(\d+)/.exec(req.url ?? '')?.[1] ?? 0);
    if (!code) return false;
    res.writeHead(code, { 'Content-Type': 'text/plain' });
    res.end(`app ${code}`);
    return true;
  });
  const cert = await selfSigned('fake', ['fake']);
  const bd = bed(table([server('example.com', [
    location('/', upstream('app', [{ ip: '10.244.1.3', port: 8080 }]), { customHttpErrors: [500, 503] }),
  ])], cert.certificate), { network });
  try {
    for (const code of [500, 503]) {
      const r = await get(bd, `/status/${code}`);
      assert.equal(r.status, 404, `an intercepted ${code}`);
      assert.equal(r.headers['content-type'], 'text/html');
      assert.match(r.body, /<title>404 Not Found<\/title>[\s\S]*<hr><center>nginx<\/center>/);
      assert.match(bd.access.at(-1)!, new RegExp(`"GET /status/${code} HTTP/1\\.1" 404 .* ${code} [0-9a-f]{32}$`));
    }
    const head = await get(bd, '/status/503', { method: 'HEAD' });
    assert.deepEqual([head.status, head.body], [404, '']);
    const other = await get(bd, '/status/502');
    assert.deepEqual([other.status, other.body], [502, 'app 502'], 'unlisted statuses pass through');
    assert.equal((await get(bd, '/fine')).status, 200);
  } finally { bd.close(); }
});
