import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createNetwork } from '../../../net/network.js';
import { bed, echoBackend, get, location, raw, selfSigned, server, table, upstream } from './testing.js';

const cert = selfSigned('Kubernetes Ingress Controller Fake Certificate', ['ingress.local']);

const cors = { allowOrigin: ['*'], allowMethods: 'GET, OPTIONS', allowHeaders: 'X-A', exposeHeaders: '', allowCredentials: true, maxAge: 1728000 };

// nginx's phases as they run ingress-nginx's nginx.tmpl: the server's `if ($uri = /) { return 302 }`
// (app-root) in server-rewrite; client_max_body_size in find-config; the location's CORS `if` and
// the redirect annotation's `return` in rewrite, lua_ingress.lua's HTTPS redirect at that phase's
// end (rewrite_by_lua); limit_req/limit_conn in preaccess; allow/deny and auth_basic in access.
test('nginx phase order: annotation redirects, app-root and CORS preflight before the HTTPS 308; 413 before basic auth', async () => {
  const network = createNetwork();
  const a = echoBackend(network, '10.244.1.2', 'a');
  const up = upstream('web', [{ ip: a.ip, port: 8080 }]);
  const c = (await cert).certificate;
  const verify = (): Promise<boolean> => Promise.resolve(false);
  const bd = bed(table([
    server('tls.example', [
      location('/moved', up, { redirect: { url: 'https://new.example/', code: 301 } }),
      location('/temp', up, { redirect: { url: 'https://tmp.example/x', code: 302 } }),
      location('/api', up, { cors }),
      location('/', up, { appRoot: '/app1' }),
    ], { certificate: c }),
    server('auth.example', [location('/', up, { auth: { realm: 'r', verify }, proxyBodySize: 10, allowSourceRange: ['10.0.0.0/8'] })]),
  ], c), { network });
  try {
    const moved = await get(bd, '/moved', { headers: { Host: 'tls.example' } });
    assert.equal(moved.status, 301);
    assert.equal(moved.headers.location, 'https://new.example/');
    const temp = await get(bd, '/temp', { headers: { Host: 'tls.example' } });
    assert.equal(temp.status, 302);
    assert.equal(temp.headers.location, 'https://tmp.example/x');
    const root = await get(bd, '/', { headers: { Host: 'tls.example' } });
    assert.equal(root.status, 302);
    assert.equal(root.headers.location, 'http://tls.example/app1');
    const preflight = await get(bd, '/api', { method: 'OPTIONS', headers: { Host: 'tls.example', Origin: 'https://x.example' } });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers['access-control-allow-origin'], '*');
    // Other requests to a TLS host over HTTP still get the HTTPS redirect.
    const other = await get(bd, '/api', { headers: { Host: 'tls.example' } });
    assert.equal(other.status, 308);
    // client_max_body_size is checked when the location is found, before allow/deny and auth_basic.
    const big = await raw(bd, 'POST / HTTP/1.1\r\nHost: auth.example\r\nContent-Length: 11\r\n\r\nhello world', 500);
    assert.match(big, /^HTTP\/1\.1 413 Request Entity Too Large\r\n/);
    assert.match(big, /\r\nConnection: close\r\n/i);
    // Source ranges (access) before basic auth; the client 127.0.0.1 is outside 10.0.0.0/8.
    assert.equal((await get(bd, '/', { headers: { Host: 'auth.example' } })).status, 403);
  } finally { bd.close(); }
});

// ngx_http_parse_complex_uri refuses a `%` not followed by two hex digits and a `..` that climbs
// above the root: the request gets nginx's 400 page and the connection closes.
test('a bad percent-escape or a path above the root → 400 Bad Request, not routed', async () => {
  const network = createNetwork();
  const a = echoBackend(network, '10.244.1.2', 'a');
  const bd = bed(table([server('example.com', [location('/', upstream('web', [{ ip: a.ip, port: 8080 }]))])], (await cert).certificate), { network });
  try {
    for (const path of ['/%zz', '/%E0%A4%A', '/x%2', '/../x', '/a/../../x', '/..']) {
      const r = await raw(bd, `GET ${path} HTTP/1.1\r\nHost: example.com\r\n\r\n`, 500);
      assert.match(r, /^HTTP\/1\.1 400 Bad Request\r\n/, path);
      assert.match(r, /<title>400 Bad Request<\/title>/, path);
    }
    assert.equal(a.requests, 0);
    // Valid escapes (also ones that are not UTF-8) and dots inside the root are served.
    for (const path of ['/%41b', '/a/../x', '/%E0%A4', '/./y']) {
      assert.equal((await get(bd, path)).status, 200, path);
    }
    assert.ok(bd.access.some((l) => /"GET \/%zz HTTP\/1\.1" 400 /.test(l)), bd.access.join('\n'));
  } finally { bd.close(); }
});

// ingress-nginx names limit zones `<namespace>_<name>_<uid>_rps` (annotations/ratelimit/main.go):
// one budget per client for every path and host of the Ingress.
test('limit-rps zones are per Ingress: its paths share one budget; another Ingress has its own', async () => {
  const network = createNetwork();
  const a = echoBackend(network, '10.244.1.2', 'a');
  const up = upstream('web', [{ ip: a.ip, port: 8080 }]);
  const limits = { rps: 1, burstMultiplier: 1, allowlist: [], reqStatusCode: 503, connStatusCode: 503 };
  const now = 1_000_000;
  const bd = bed(table([server('example.com', [
    location('/a', up, { limits }, 'prefix', 'one'),
    location('/b', up, { limits }, 'prefix', 'one'),
    location('/c', up, { limits }, 'prefix', 'two'),
  ])], (await cert).certificate), { network, now: () => now });
  try {
    assert.equal((await get(bd, '/a')).status, 200);
    assert.equal((await get(bd, '/b')).status, 200, 'burst 1 allows a second request');
    assert.equal((await get(bd, '/a')).status, 503);
    assert.equal((await get(bd, '/b')).status, 503, 'the other path of the same Ingress is in the same zone');
    assert.equal((await get(bd, '/c')).status, 200, 'another Ingress has its own zone');
  } finally { bd.close(); }
});
