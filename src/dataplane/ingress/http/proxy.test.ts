import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createNetwork } from '../../../net/network.js';
import { bed, echoBackend, get, location, selfSigned, server, table, upstream } from './testing.js';

const cert = selfSigned('Kubernetes Ingress Controller Fake Certificate', ['ingress.local']);

test('proxies to the endpoints with ingress-nginx forwarded headers, and logs an access line', async () => {
  const network = createNetwork();
  const a = echoBackend(network, '10.244.1.2', 'a');
  const b = echoBackend(network, '10.244.1.3', 'b');
  const up = upstream('web', [{ ip: a.ip, port: 8080 }, { ip: b.ip, port: 8080 }]);
  const bd = bed(table([server('example.com', [location('/', up)])], (await cert).certificate), { network });
  try {
    const names = new Set<string>();
    for (let i = 0; i < 4; i++) {
      const r = await get(bd, '/api?x=1', { headers: { 'X-Forwarded-For': '1.2.3.4', Proxy: 'http://evil', 'User-Agent': 'curl/8.5.0' } });
      assert.equal(r.status, 200);
      const echo = r.json() as { name: string; url: string; headers: Record<string, string> };
      names.add(echo.name);
      assert.equal(echo.url, '/api?x=1');
      const h = echo.headers;
      assert.equal(h.host, 'example.com');
      assert.ok(network.host.ips.includes(h['x-real-ip'] ?? ''), 'X-Real-IP is the client address');
      assert.equal(h['x-forwarded-for'], h['x-real-ip'], 'X-Forwarded-For replaced by the client address');
      assert.equal(h['x-original-forwarded-for'], '1.2.3.4');
      assert.equal(h['x-forwarded-host'], 'example.com');
      assert.equal(h['x-forwarded-port'], '80');
      assert.equal(h['x-forwarded-proto'], 'http');
      assert.equal(h['x-forwarded-scheme'], 'http');
      assert.equal(h['x-scheme'], 'http');
      assert.match(h['x-request-id'] ?? '', /^[0-9a-f]{32}$/);
      assert.equal(h.proxy, undefined, 'httpoxy header removed');
      assert.equal(r.headers.server, undefined, 'no Server header without server-tokens');
      assert.equal(r.headers['x-backend'], echo.name);
    }
    assert.deepEqual([...names].sort(), ['a', 'b'], 'every endpoint gets traffic');
    assert.equal(bd.access.length, 4);
    const line = bd.access[0]!;
    assert.match(line, /^\S+ - - \[\d\d\/[A-Z][a-z]{2}\/\d{4}:\d\d:\d\d:\d\d \+0000\] "GET \/api\?x=1 HTTP\/1\.1" 200 \d+ "-" "curl\/8\.5\.0" \d+ \d+\.\d{3} \[default-web-80\] \[\] 10\.244\.1\.[23]:8080 \d+ \d+\.\d{3} 200 [0-9a-f]{32}$/);
  } finally { bd.close(); }
});

test('an unmatched request gets nginx 404 page and logs upstream-default-backend', async () => {
  const bd = bed(table([], (await cert).certificate));
  try {
    const r = await get(bd, '/nothing');
    assert.equal(r.status, 404);
    assert.equal(r.headers['content-type'], 'text/html');
    assert.equal(r.body, '<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n');
    assert.match(bd.access[0]!, /"GET \/nothing HTTP\/1\.1" 404 \d+ "-" "-" \d+ \d+\.\d{3} \[upstream-default-backend\] \[\] - - - - [0-9a-f]{32}$/);
  } finally { bd.close(); }
});

test('upstream keep-alive connections are reused across client requests', async () => {
  const network = createNetwork();
  const a = echoBackend(network, '10.244.1.2', 'a');
  const bd = bed(table([server('example.com', [location('/', upstream('web', [{ ip: a.ip, port: 8080 }]))])], (await cert).certificate), { network });
  try {
    for (let i = 0; i < 20; i++) assert.equal((await get(bd, '/')).status, 200);
    assert.equal(a.requests, 20);
    assert.equal(a.connections, 1, 'one pooled upstream connection serves every sequential request');
  } finally { bd.close(); }
});

test('503 without endpoints, 502 when refused (after trying the other endpoints), 504 on read timeout', async () => {
  const network = createNetwork();
  const slow = echoBackend(network, '10.244.1.4', 'slow', 8080, () => true); // never answers
  const live = echoBackend(network, '10.244.1.5', 'live');
  network.addStack(['10.244.1.6'], { kind: 'pod' }); // nothing listens: refused
  const bd = bed(table([server('example.com', [
    location('/none', upstream('none', [])),
    location('/refused', upstream('refused', [{ ip: '10.244.1.6', port: 8080 }])),
    location('/retry', upstream('retry', [{ ip: '10.244.1.6', port: 8080 }, { ip: live.ip, port: 8080 }])),
    location('/slow', upstream('slow', [{ ip: slow.ip, port: 8080 }]), { readTimeoutMs: 100, sendTimeoutMs: 100 }),
  ])], (await cert).certificate), { network });
  try {
    const none = await get(bd, '/none');
    assert.equal(none.status, 503);
    assert.match(none.body, /<title>503 Service Temporarily Unavailable<\/title>/);
    const refused = await get(bd, '/refused');
    assert.equal(refused.status, 502);
    assert.match(refused.body, /502 Bad Gateway/);
    for (let i = 0; i < 4; i++) {
      const r = await get(bd, '/retry');
      assert.equal(r.status, 200, 'a refused endpoint is skipped for the next one');
    }
    assert.ok(bd.access.some((l) => / 10\.244\.1\.6:8080, 10\.244\.1\.5:8080 0, \d+ \d\.\d{3}, \d\.\d{3} 502, 200 /.test(l)), bd.access.join('\n'));
    const t0 = Date.now();
    const slowR = await get(bd, '/slow');
    assert.equal(slowR.status, 504);
    assert.match(slowR.body, /504 Gateway Time-out/);
    assert.ok(Date.now() - t0 < 2000);
    assert.ok(bd.errors.some((l) => l.includes('upstream timed out')));
  } finally { bd.close(); }
});

test('POST bodies stream upstream and are never retried after sending', async () => {
  const network = createNetwork();
  const a = echoBackend(network, '10.244.1.2', 'a');
  const bd = bed(table([server('example.com', [location('/', upstream('web', [{ ip: a.ip, port: 8080 }]))])], (await cert).certificate), { network });
  try {
    const r = await get(bd, '/submit', { method: 'POST', body: 'hello=world', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    const echo = r.json() as { method: string; body: string; headers: Record<string, string> };
    assert.equal(echo.method, 'POST');
    assert.equal(echo.body, 'hello=world');
    assert.equal(echo.headers['content-length'], '11');
    assert.match(bd.access[0]!, /"POST \/submit HTTP\/1\.1" 200 /);
  } finally { bd.close(); }
});

test('rewrite-target with captures, the query appended, X-Forwarded-Prefix, upstream-vhost', async () => {
  const network = createNetwork();
  const a = echoBackend(network, '10.244.1.2', 'a');
  const up = upstream('web', [{ ip: a.ip, port: 8080 }]);
  const bd = bed(table([server('example.com', [
    location('/something(/|$)(.*)', up, { rewriteTarget: '/$2', xForwardedPrefix: '/something', upstreamVhost: 'internal.svc' }, 'regex'),
    location('/foo/bar/(.+)', up, { rewriteTarget: '/new/backend/$1' }, 'regex'),
  ])], (await cert).certificate), { network });
  try {
    const cases: [string, string][] = [['/something', '/'], ['/something/', '/'], ['/something/new?a=1', '/new?a=1'], ['/foo/bar/bar', '/new/backend/bar']];
    for (const [from, to] of cases) {
      const echo = (await get(bd, from)).json() as { url: string; headers: Record<string, string> };
      assert.equal(echo.url, to, from);
      if (from.startsWith('/something')) {
        assert.equal(echo.headers['x-forwarded-prefix'], '/something');
        assert.equal(echo.headers.host, 'internal.svc');
      } else assert.equal(echo.headers['x-forwarded-prefix'], undefined);
    }
  } finally { bd.close(); }
});

test('use-forwarded-headers trusts X-Forwarded-*; compute-full-forwarded-for appends; server-tokens adds Server', async () => {
  const network = createNetwork();
  const a = echoBackend(network, '10.244.1.2', 'a');
  const bd = bed(table([server('example.com', [location('/', upstream('web', [{ ip: a.ip, port: 8080 }]))])], (await cert).certificate,
    { useForwardedHeaders: true, computeFullForwardedFor: true, serverTokens: true }), { network });
  try {
    const r = await get(bd, '/', { headers: { 'X-Forwarded-For': '203.0.113.7, 10.0.0.1', 'X-Forwarded-Proto': 'https', 'X-Forwarded-Port': '8443', 'X-Forwarded-Host': 'public.example, other' } });
    const h = (r.json() as { headers: Record<string, string> }).headers;
    assert.equal(h['x-real-ip'], '203.0.113.7');
    assert.equal(h['x-forwarded-for'], `203.0.113.7, 10.0.0.1, ${network.host.ips[0]}`);
    assert.equal(h['x-forwarded-proto'], 'https');
    assert.equal(h['x-forwarded-port'], '8443');
    assert.equal(h['x-forwarded-host'], 'public.example');
    assert.equal(h.host, 'public.example');
    assert.equal(r.headers.server, 'nginx');
    assert.match(bd.access[0]!, /^203\.0\.113\.7 - - /);
  } finally { bd.close(); }
});

test('X-Request-ID from the client is kept and logged', async () => {
  const network = createNetwork();
  const a = echoBackend(network, '10.244.1.2', 'a');
  const bd = bed(table([server('example.com', [location('/', upstream('web', [{ ip: a.ip, port: 8080 }]))])], (await cert).certificate), { network });
  try {
    const r = await get(bd, '/', { headers: { 'X-Request-ID': 'abc123' } });
    assert.equal((r.json() as { headers: Record<string, string> }).headers['x-request-id'], 'abc123');
    assert.match(bd.access[0]!, / abc123$/);
  } finally { bd.close(); }
});
