import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createNetwork } from '../../../net/network.js';
import { bed, echoBackend, get, location, selfSigned, server, table, upstream } from './testing.js';

const cert = selfSigned('Kubernetes Ingress Controller Fake Certificate', ['ingress.local']);

async function setup(): Promise<ReturnType<typeof bed>> {
  const network = createNetwork();
  const a = echoBackend(network, '10.244.1.2', 'a');
  const up = upstream('web', [{ ip: a.ip, port: 8080 }]);
  const c = (await cert).certificate;
  return bed(table([
    server('tls.example', [
      location('/', up),
      location('/.well-known/acme-challenge', up),
      location('/keep', up, { preserveTrailingSlash: true }),
      location('/port', up, { usePortInRedirects: true }),
      location('/off', up, { sslRedirect: false }),
    ], { certificate: c }),
    server('plain.example', [
      location('/aaa/bbb/', up),
      location('/force', up, { forceSslRedirect: true }),
      location('/moved', up, { redirect: { url: 'https://new.example/', code: 301 } }),
      location('/temp', up, { redirect: { url: 'https://tmp.example/x', code: 307 } }),
    ]),
    server('approot.example', [location('/', up, { appRoot: '/app1' })]),
    server('www.example', [], { redirectTo: 'example' }),
  ], c), { network });
}

test('HTTP to a host with a certificate → 308 to https without port or one trailing slash (ssl-redirect)', async () => {
  const bd = await setup();
  try {
    const r = await get(bd, '/', { headers: { Host: 'tls.example:80' } });
    assert.equal(r.status, 308);
    assert.equal(r.headers.location, 'https://tls.example');
    assert.match(r.body, /<title>308 Permanent Redirect<\/title>/);
    assert.equal((await get(bd, '/path/?q=1', { headers: { Host: 'tls.example' } })).headers.location, 'https://tls.example/path/?q=1');
    assert.equal((await get(bd, '/dir/', { headers: { Host: 'tls.example' } })).headers.location, 'https://tls.example/dir');
    assert.equal((await get(bd, '/keep/', { headers: { Host: 'tls.example' } })).headers.location, 'https://tls.example/keep/');
    assert.equal((await get(bd, '/port/x', { headers: { Host: 'tls.example' } })).headers.location, 'https://tls.example:443/port/x');
    assert.equal((await get(bd, '/off/x', { headers: { Host: 'tls.example' } })).status, 200, 'ssl-redirect: "false"');
    assert.equal((await get(bd, '/.well-known/acme-challenge/tok', { headers: { Host: 'tls.example' } })).status, 200, 'no-tls-redirect-locations');
    assert.equal((await get(bd, '/force', { headers: { Host: 'plain.example' } })).headers.location, 'https://plain.example/force', 'force-ssl-redirect without TLS');
    assert.equal((await get(bd, '/', { headers: { Host: 'plain.example' } })).status, 404, 'hosts without a certificate are not redirected');
    assert.match(bd.access[0]!, /"GET \/ HTTP\/1\.1" 308 \d+ .* \[default-web-80\] \[\] - - - - [0-9a-f]{32}$/);
  } finally { bd.close(); }
});

test("nginx's trailing-slash 301, permanent and temporal redirects, app-root, from-to-www", async () => {
  const bd = await setup();
  try {
    const slash = await get(bd, '/aaa/bbb?x=1', { headers: { Host: 'plain.example' } });
    assert.equal(slash.status, 301);
    assert.equal(slash.headers.location, 'http://plain.example/aaa/bbb/?x=1');
    assert.match(slash.body, /<title>301 Moved Permanently<\/title>/);
    const moved = await get(bd, '/moved', { headers: { Host: 'plain.example' } });
    assert.equal(moved.status, 301);
    assert.equal(moved.headers.location, 'https://new.example/');
    const temp = await get(bd, '/temp', { headers: { Host: 'plain.example' } });
    assert.equal(temp.status, 307);
    assert.equal(temp.headers.location, 'https://tmp.example/x');
    const root = await get(bd, '/', { headers: { Host: 'approot.example' } });
    assert.equal(root.status, 302);
    assert.equal(root.headers.location, 'http://approot.example/app1');
    assert.match(root.body, /<title>302 Found<\/title>/);
    assert.equal((await get(bd, '/other', { headers: { Host: 'approot.example' } })).status, 200, 'app-root only for /');
    const www = await get(bd, '/foo/', { headers: { Host: 'www.example' } });
    assert.equal(www.status, 308);
    assert.equal(www.headers.location, 'http://example:80/foo');
  } finally { bd.close(); }
});
