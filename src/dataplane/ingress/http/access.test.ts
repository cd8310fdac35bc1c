import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createNetwork } from '../../../net/network.js';
import type { LimitConfig } from '../model.js';
import { bed, echoBackend, get, location, raw, selfSigned, server, table, upstream } from './testing.js';

const cert = selfSigned('Kubernetes Ingress Controller Fake Certificate', ['ingress.local']);

function limits(l: Partial<LimitConfig>): LimitConfig {
  return { burstMultiplier: 5, allowlist: [], reqStatusCode: 503, connStatusCode: 503, ...l };
}

test('source ranges: deny first, then allow, else 403 (client 127.0.0.1 from the host stack)', async () => {
  const network = createNetwork();
  const a = echoBackend(network, '10.244.1.2', 'a');
  const up = upstream('web', [{ ip: a.ip, port: 8080 }]);
  const bd = bed(table([server('example.com', [
    location('/allowed', up, { allowSourceRange: ['10.0.0.0/8', '127.0.0.1'] }),
    location('/notlisted', up, { allowSourceRange: ['10.0.0.0/8'] }),
    location('/denied', up, { denySourceRange: ['127.0.0.0/8'], allowSourceRange: ['127.0.0.1/32'] }),
  ])], (await cert).certificate), { network });
  try {
    assert.equal((await get(bd, '/allowed')).status, 200);
    const r = await get(bd, '/notlisted');
    assert.equal(r.status, 403);
    assert.match(r.body, /<title>403 Forbidden<\/title>/);
    assert.equal((await get(bd, '/denied')).status, 403);
  } finally { bd.close(); }
});

test('limit-rps: a burst passes 1 + rps×multiplier, then the status code; refills at the rate; allowlist exempt', async () => {
  const network = createNetwork();
  const a = echoBackend(network, '10.244.1.2', 'a');
  const up = upstream('web', [{ ip: a.ip, port: 8080 }]);
  let now = 1_000_000;
  const bd = bed(table([server('example.com', [
    location('/rps', up, { limits: limits({ rps: 2, reqStatusCode: 429 }) }),
    location('/rpm', up, { limits: limits({ rpm: 2, burstMultiplier: 1 }) }),
    location('/exempt', up, { limits: limits({ rps: 1, burstMultiplier: 1, allowlist: ['127.0.0.0/8'] }) }),
  ])], (await cert).certificate), { network, now: () => now });
  try {
    const statuses: number[] = [];
    for (let i = 0; i < 14; i++) statuses.push((await get(bd, '/rps')).status);
    assert.deepEqual(statuses, [...Array(11).fill(200), 429, 429, 429]);
    now += 500; // one more request at 2 r/s
    assert.equal((await get(bd, '/rps')).status, 200);
    assert.equal((await get(bd, '/rps')).status, 429);
    const rpm: number[] = [];
    for (let i = 0; i < 5; i++) rpm.push((await get(bd, '/rpm')).status);
    assert.deepEqual(rpm, [200, 200, 200, 503, 503]);
    now += 30_000; // 2 r/m: one more
    assert.equal((await get(bd, '/rpm')).status, 200);
    assert.equal((await get(bd, '/rpm')).status, 503);
    for (let i = 0; i < 5; i++) assert.equal((await get(bd, '/exempt')).status, 200);
  } finally { bd.close(); }
});

test('limit-connections: concurrent requests per client beyond the limit get 503', async () => {
  const network = createNetwork();
  const waiting: (() => void)[] = [];
  let hold = true;
  const a = echoBackend(network, '10.244.1.2', 'a', 8080, (_req, res) => {
    if (!hold) return false;
    waiting.push(() => res.end('slow'));
    return true;
  });
  const bd = bed(table([server('example.com', [location('/', upstream('web', [{ ip: a.ip, port: 8080 }]), { limits: limits({ connections: 3 }) })])], (await cert).certificate), { network });
  try {
    const pending = Array.from({ length: 8 }, () => get(bd, '/'));
    while (waiting.length < 3) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 20));
    hold = false;
    for (const w of waiting) w();
    const statuses = (await Promise.all(pending)).map((r) => r.status).sort();
    assert.deepEqual(statuses, [200, 200, 200, 503, 503, 503, 503, 503]);
    const after = await Promise.all(Array.from({ length: 3 }, () => get(bd, '/')));
    assert.deepEqual(after.map((r) => r.status), [200, 200, 200], 'finished requests free their slots');
  } finally { bd.close(); }
});

test('basic auth: 401 with the realm, 200 with the right password (Authorization not forwarded), 503 when denied', async () => {
  const network = createNetwork();
  const a = echoBackend(network, '10.244.1.2', 'a');
  const up = upstream('web', [{ ip: a.ip, port: 8080 }]);
  const verify = (user: string, password: string): Promise<boolean> => Promise.resolve(user === 'foo' && password === 'bar');
  const bd = bed(table([server('example.com', [
    location('/', up, { auth: { realm: 'Authentication Required - foo', verify } }),
    location('/broken', up, { auth: { realm: 'x', verify, denied: 'the secret default/basic-auth does not contain a key with value auth' } }),
  ])], (await cert).certificate), { network });
  try {
    const none = await get(bd, '/');
    assert.equal(none.status, 401);
    assert.equal(none.headers['www-authenticate'], 'Basic realm="Authentication Required - foo"');
    assert.match(none.body, /<title>401 Authorization Required<\/title>/);
    const wrong = await get(bd, '/', { headers: { Authorization: 'Basic ' + Buffer.from('foo:nope').toString('base64') } });
    assert.equal(wrong.status, 401);
    const ok = await get(bd, '/', { headers: { Authorization: 'Basic ' + Buffer.from('foo:bar').toString('base64') } });
    assert.equal(ok.status, 200);
    assert.equal((ok.json() as { headers: Record<string, string> }).headers.authorization, undefined);
    assert.match(bd.access[2]!, /^\S+ - foo \[/);
    assert.equal((await get(bd, '/broken')).status, 503);
    const statusLine = await raw(bd, 'GET / HTTP/1.1\r\nHost: example.com\r\nConnection: close\r\n\r\n');
    assert.match(statusLine, /^HTTP\/1\.1 401 Unauthorized\r\n/);
  } finally { bd.close(); }
});

test('CORS: preflight 204 with the headers, headers on responses (incl. 401), origin list matching', async () => {
  const network = createNetwork();
  const a = echoBackend(network, '10.244.1.2', 'a');
  const up = upstream('web', [{ ip: a.ip, port: 8080 }]);
  const base = { allowMethods: 'GET, PUT, POST, DELETE, PATCH, OPTIONS', allowHeaders: 'DNT,Keep-Alive,User-Agent,X-Requested-With,If-Modified-Since,Cache-Control,Content-Type,Range,Authorization', exposeHeaders: '', allowCredentials: true, maxAge: 1728000 };
  const bd = bed(table([server('example.com', [
    location('/', up, { cors: { ...base, allowOrigin: ['*'] } }),
    location('/list', up, { cors: { ...base, allowOrigin: ['https://app.example.com', 'https://*.other.org:8443'], exposeHeaders: 'X-Total' } }),
    location('/auth', up, { cors: { ...base, allowOrigin: ['*'] }, auth: { realm: 'r', verify: () => Promise.resolve(false) } }),
  ])], (await cert).certificate), { network });
  try {
    const pre = await get(bd, '/', { method: 'OPTIONS', headers: { Origin: 'https://x.test', 'Access-Control-Request-Method': 'PUT' } });
    assert.equal(pre.status, 204);
    assert.equal(pre.headers['access-control-allow-origin'], '*');
    assert.equal(pre.headers['access-control-allow-credentials'], 'true');
    assert.equal(pre.headers['access-control-allow-methods'], base.allowMethods);
    assert.equal(pre.headers['access-control-allow-headers'], base.allowHeaders);
    assert.equal(pre.headers['access-control-max-age'], '1728000');
    assert.equal(pre.headers['content-type'], 'text/plain charset=UTF-8');
    assert.equal(pre.headers['content-length'], '0');
    assert.equal(a.requests, 0, 'preflight answered by the proxy');
    assert.equal((await get(bd, '/')).headers['access-control-allow-origin'], '*', 'even without Origin');
    const listed = await get(bd, '/list', { headers: { Origin: 'https://app.example.com' } });
    assert.equal(listed.headers['access-control-allow-origin'], 'https://app.example.com');
    assert.equal(listed.headers['access-control-expose-headers'], 'X-Total');
    assert.equal((await get(bd, '/list', { headers: { Origin: 'https://Sub.Other.org:8443' } })).headers['access-control-allow-origin'], 'https://Sub.Other.org:8443');
    assert.equal((await get(bd, '/list', { headers: { Origin: 'https://a.b.other.org:8443' } })).headers['access-control-allow-origin'], undefined, '*. is one label');
    assert.equal((await get(bd, '/list', { headers: { Origin: 'https://other.org:8443' } })).headers['access-control-allow-origin'], undefined, '*. needs a label');
    const no = await get(bd, '/list', { headers: { Origin: 'https://evil.test' } });
    assert.equal(no.status, 200);
    assert.equal(no.headers['access-control-allow-origin'], undefined);
    const unmatchedPre = await get(bd, '/list', { method: 'OPTIONS', headers: { Origin: 'https://evil.test' } });
    assert.equal(unmatchedPre.status, 200, 'unmatched OPTIONS is proxied');
    const denied = await get(bd, '/auth');
    assert.equal(denied.status, 401);
    assert.equal(denied.headers['access-control-allow-origin'], '*');
  } finally { bd.close(); }
});

test('proxy-body-size: 413 for a Content-Length over the limit and for a chunked body counted while streaming', async () => {
  const network = createNetwork();
  const a = echoBackend(network, '10.244.1.2', 'a');
  const bd = bed(table([server('example.com', [location('/', upstream('web', [{ ip: a.ip, port: 8080 }]), { proxyBodySize: 1024 })])], (await cert).certificate), { network });
  try {
    const big = await get(bd, '/', { method: 'POST', body: 'x'.repeat(2048) });
    assert.equal(big.status, 413);
    assert.match(big.body, /<title>413 Request Entity Too Large<\/title>/);
    assert.equal(a.requests, 0);
    const chunk = 'x'.repeat(600);
    const chunked = await raw(bd, `POST / HTTP/1.1\r\nHost: example.com\r\nTransfer-Encoding: chunked\r\n\r\n258\r\n${chunk}\r\n258\r\n${chunk}\r\n0\r\n\r\n`);
    assert.match(chunked, /^HTTP\/1\.1 413 Request Entity Too Large\r\n/);
    const small = await get(bd, '/', { method: 'POST', body: 'x'.repeat(1000) });
    assert.equal(small.status, 200);
  } finally { bd.close(); }
});
