// Acceptance (issue 8, 3 and 4): ingress-nginx annotations with observable effects, as its docs and
// e2e suite (test/e2e/annotations/*) describe them, through curl from the host; HTTP/2 over TLS,
// a WebSocket echo through the Ingress, and the controller's access log for those requests.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import WebSocket from 'ws';
import { Knet, runCommand, until } from './harness.js';
import { curl, httpEcho, ingress, kubectlOk, serveIngresses, service, whoami } from './ingress-fixtures.js';

const P = 'nginx.ingress.kubernetes.io/';

describe('Ingress annotations', () => {
  let knet: Knet;
  let http = 0;
  let https = 0;
  const k = (args: string[], input?: string) => kubectlOk(knet, args, input);
  const url = (path: string) => `http://127.0.0.1:${http}${path}`;
  const get = (host: string, path: string, args: string[] = []) => curl(['-H', `Host: ${host}`, ...args, url(path)]);
  const serve = (yaml: string, names: string[]) => serveIngresses(knet, yaml, names);
  /** Many requests in one curl process (keep-alive), bodies one per line. */
  const many = async (host: string, path: string, n: number, args: string[] = []) => {
    const r = await runCommand('curl', ['-sS', '--max-time', '60', '-H', `Host: ${host}`, ...args, ...Array.from({ length: n }, () => url(path))]);
    return r.stdout.split('\n').filter(Boolean);
  };
  /** Parallel requests (`curl --parallel`): the status codes, one per request. */
  const parallel = async (host: string, path: string, n: number) => {
    const r = await runCommand('curl', ['-sS', '--max-time', '30', '--parallel', '--parallel-immediate', '--parallel-max', String(n), '-H', `Host: ${host}`,
      ...Array.from({ length: n }, () => ['-o', '/dev/null', '-w', '%{http_code}\n', url(path)]).flat()]);
    return r.stdout.split('\n').filter(Boolean).map(Number);
  };

  before(async () => {
    knet = await new Knet(['--ingress']).start();
    ({ http, https } = knet.ingressPorts);
    await k(['apply', '-f', '-'], [
      httpEcho('main', 'main'), service('main', 'main', [[80, 5678]]), httpEcho('canary', 'canary'), service('canary', 'canary', [[80, 5678]]),
      whoami('who', 3), service('who', 'who', [[80, 80]]),
    ].join('---\n'));
    await k(['rollout', 'status', 'deploy', '--timeout=60s']);
  });
  after(async () => { await knet?.cleanup(); });

  it('rewrite-target with capture groups (ingress-nginx docs: examples/rewrite)', async () => {
    await serve(ingress('rewrite', [['rewrite.test', '/something(/|$)(.*)', 'ImplementationSpecific', 'who', 80]], { [`${P}use-regex`]: 'true', [`${P}rewrite-target`]: '/$2' }), ['rewrite']);
    for (const [from, to] of [['/something', '/'], ['/something/', '/'], ['/something/new?q=1', '/new?q=1']] as const) {
      assert.match((await get('rewrite.test', from)).body, new RegExp(`^GET ${to.replace('?', '\\?')} HTTP/1\\.1\\r$`, 'm'), from);
    }
  });

  it('basic auth: 401 with the realm without or with wrong credentials, 200 with them (htpasswd apr1 from the ingress-nginx example)', async () => {
    await k(['create', 'secret', 'generic', 'basic-auth', '--from-literal=auth=foo:$apr1$OFG3Xybp$ckL0FHDAkoXYIlH9.cysT0']);
    await serve(ingress('auth', [['auth.test', '/', 'Prefix', 'who', 80]], {
      [`${P}auth-type`]: 'basic', [`${P}auth-secret`]: 'basic-auth', [`${P}auth-realm`]: 'Authentication Required - foo',
    }), ['auth']);
    const none = await get('auth.test', '/');
    assert.equal(none.code, 401);
    assert.equal(none.headers['www-authenticate'], 'Basic realm="Authentication Required - foo"');
    assert.match(none.body, /<title>401 Authorization Required<\/title>/);
    assert.equal((await get('auth.test', '/', ['-u', 'foo:wrong'])).code, 401);
    const ok = await get('auth.test', '/', ['-u', 'foo:bar']);
    assert.equal(ok.code, 200);
    assert.doesNotMatch(ok.body, /^Authorization:/m, 'the credentials are not passed upstream');
  });

  it('limit-rps: a burst passes 1 + rps × burst-multiplier requests, the rest get 503', async () => {
    await serve(ingress('rps', [['rps.test', '/', 'Prefix', 'main', 80]], { [`${P}limit-rps`]: '1' }), ['rps']);
    const t0 = Date.now();
    const codes = await parallel('rps.test', '/', 20);
    const seconds = Math.ceil((Date.now() - t0) / 1000);
    const ok = codes.filter((c) => c === 200).length;
    assert.equal(codes.length, 20);
    // The bucket holds 1 + 1×5 at once and refills one per second while the burst lasts.
    assert.ok(ok >= 6 && ok <= 6 + seconds, `expected 6 (plus one per second the burst took, ${seconds}) to pass, got ${codes.join(',')}`);
    assert.equal(codes.filter((c) => c === 503).length, 20 - ok);
  });

  it('limit-connections: concurrent requests beyond the limit get 503', async () => {
    await serve(ingress('conns', [['conns.test', '/', 'Prefix', 'who', 80]], { [`${P}limit-connections`]: '3' }), ['conns']);
    const codes = await parallel('conns.test', '/?wait=3s', 8); // every request is still in flight when the last one arrives
    assert.deepEqual(codes.sort(), [200, 200, 200, 503, 503, 503, 503, 503]);
  });

  it('canary by header: always → canary, never → mainline, absent → mainline', async () => {
    await serve(ingress('mainline', [['canary.test', '/', 'Prefix', 'main', 80]]), ['mainline']);
    await serve(ingress('canary-h', [['canary.test', '/', 'Prefix', 'canary', 80]], { [`${P}canary`]: 'true', [`${P}canary-by-header`]: 'X-Canary' }), ['canary-h']);
    assert.equal((await get('canary.test', '/', ['-H', 'X-Canary: always'])).body, 'canary\n');
    assert.equal((await get('canary.test', '/', ['-H', 'X-Canary: never'])).body, 'main\n');
    assert.equal((await get('canary.test', '/')).body, 'main\n');
  });

  it('canary by weight 50: each side within ±10% of 400 requests', async () => {
    await serve(ingress('main-w', [['weight.test', '/', 'Prefix', 'main', 80]]), ['main-w']);
    await serve(ingress('canary-w', [['weight.test', '/', 'Prefix', 'canary', 80]], { [`${P}canary`]: 'true', [`${P}canary-weight`]: '50' }), ['canary-w']);
    const bodies = await many('weight.test', '/', 400);
    assert.equal(bodies.length, 400);
    const canary = bodies.filter((b) => b === 'canary').length;
    assert.ok(canary >= 160 && canary <= 240, `canary ${canary} of 400`);
    assert.equal(bodies.filter((b) => b === 'main').length, 400 - canary);
  });

  it('cookie affinity: INGRESSCOOKIE pins a client to one pod', async () => {
    await serve(ingress('sticky', [['sticky.test', '/', 'Prefix', 'who', 80]], { [`${P}affinity`]: 'cookie' }), ['sticky']);
    const first = await get('sticky.test', '/');
    const cookie = first.headers['set-cookie'] ?? '';
    assert.match(cookie, /^INGRESSCOOKIE=[^;]+; Path=\/; HttpOnly$/);
    const pod = /^Hostname: (\S+)/m.exec(first.body)?.[1];
    for (let i = 0; i < 10; i++) {
      const r = await get('sticky.test', '/', ['-H', `Cookie: ${cookie.split(';')[0]!}`]);
      assert.equal(/^Hostname: (\S+)/m.exec(r.body)?.[1], pod);
      assert.equal(r.headers['set-cookie'], undefined);
    }
  });

  it('enable-cors: a preflight is answered 204 by the controller with the default CORS headers', async () => {
    await serve(ingress('cors', [['cors.test', '/', 'Prefix', 'who', 80]], { [`${P}enable-cors`]: 'true' }), ['cors']);
    const r = await get('cors.test', '/', ['-X', 'OPTIONS', '-H', 'Origin: https://app.example', '-H', 'Access-Control-Request-Method: PUT']);
    assert.equal(r.code, 204);
    assert.equal(r.headers['access-control-allow-origin'], '*');
    assert.equal(r.headers['access-control-allow-methods'], 'GET, PUT, POST, DELETE, PATCH, OPTIONS');
    assert.equal(r.headers['access-control-max-age'], '1728000');
    assert.equal(r.headers['access-control-allow-credentials'], 'true');
  });

  it('allowlist-source-range: 403 for clients outside it, served inside it', async () => {
    await serve(ingress('deny', [['deny.test', '/', 'Prefix', 'main', 80]], { [`${P}whitelist-source-range`]: '10.0.0.0/8' }), ['deny']);
    await serve(ingress('allow', [['allow.test', '/', 'Prefix', 'main', 80]], { [`${P}allowlist-source-range`]: '192.168.0.0/16,127.0.0.1/32' }), ['allow']);
    const denied = await get('deny.test', '/');
    assert.equal(denied.code, 403);
    assert.match(denied.body, /<title>403 Forbidden<\/title>/);
    assert.equal((await get('allow.test', '/')).code, 200);
  });

  it('proxy-body-size: a larger body gets 413', async () => {
    await serve(ingress('body', [['body.test', '/', 'Prefix', 'who', 80]], { [`${P}proxy-body-size`]: '1k' }), ['body']);
    assert.equal((await get('body.test', '/', ['--data-binary', 'x'.repeat(2048)])).code, 413);
    assert.equal((await get('body.test', '/', ['--data-binary', 'x'.repeat(512)])).code, 200);
  });

  it('permanent-redirect, temporal-redirect and app-root', async () => {
    await serve([
      ingress('perm', [['perm.test', '/', 'Prefix', 'main', 80]], { [`${P}permanent-redirect`]: 'https://www.google.com' }),
      ingress('temp', [['temp.test', '/', 'Prefix', 'main', 80]], { [`${P}temporal-redirect`]: 'https://www.google.com/temp' }),
      ingress('approot', [['approot.test', '/', 'Prefix', 'who', 80]], { [`${P}app-root`]: '/app1' }),
    ].join('---\n'), ['perm', 'temp', 'approot']);
    const perm = await get('perm.test', '/x');
    assert.deepEqual([perm.code, perm.headers.location], [301, 'https://www.google.com']);
    const temp = await get('temp.test', '/x');
    assert.deepEqual([temp.code, temp.headers.location], [302, 'https://www.google.com/temp']);
    const root = await get('approot.test', '/');
    assert.deepEqual([root.code, root.headers.location], [302, 'http://approot.test/app1']);
    assert.equal((await get('approot.test', '/other')).code, 200);
  });

  it('ssl-redirect: a TLS host redirects HTTP with 308 unless ssl-redirect is "false"; force-ssl-redirect without TLS', async () => {
    const tls = '  tls:\n  - hosts:\n    - tls.test\n';
    await serve([
      ingress('tls', [['tls.test', '/', 'Prefix', 'main', 80]], {}, tls),
      ingress('tls-off', [['tls-off.test', '/', 'Prefix', 'main', 80]], { [`${P}ssl-redirect`]: 'false' }, tls.replace('tls.test', 'tls-off.test')),
      ingress('forced', [['forced.test', '/', 'Prefix', 'main', 80]], { [`${P}force-ssl-redirect`]: 'true' }),
    ].join('---\n'), ['tls', 'tls-off', 'forced']);
    const r = await get('tls.test', '/path/');
    assert.deepEqual([r.code, r.headers.location], [308, 'https://tls.test/path']);
    assert.equal((await get('tls-off.test', '/')).code, 200);
    const f = await get('forced.test', '/a?b=c');
    assert.deepEqual([f.code, f.headers.location], [308, 'https://forced.test/a?b=c']);
    const s = await curl(['-k', '--resolve', `tls.test:${https}:127.0.0.1`, `https://tls.test:${https}/`]);
    assert.deepEqual([s.code, s.body], [200, 'main\n']);
    assert.equal(s.headers['strict-transport-security'], 'max-age=31536000; includeSubDomains');
  });

  it('the controller ConfigMap configures it live: ssl-redirect "false" serves a TLS host over HTTP, proxy-body-size limits bodies', async () => {
    await serve(ingress('cm', [['cm.test', '/', 'Prefix', 'main', 80]], {}, '  tls:\n  - hosts:\n    - cm.test\n'), ['cm']);
    assert.equal((await get('cm.test', '/')).code, 308);
    await k(['patch', 'configmap', '-n', 'ingress-nginx', 'ingress-nginx-controller', '--type=merge', '-p', '{"data":{"ssl-redirect":"false","proxy-body-size":"1k"}}']);
    try {
      await until('the ConfigMap to apply', async () => ((await get('cm.test', '/')).code === 200 ? true : undefined), 5000);
      assert.equal((await get('cm.test', '/', ['--data-binary', 'x'.repeat(2048)])).code, 413);
    } finally {
      await k(['patch', 'configmap', '-n', 'ingress-nginx', 'ingress-nginx-controller', '--type=json', '-p', '[{"op":"remove","path":"/data/ssl-redirect"},{"op":"remove","path":"/data/proxy-body-size"}]']);
    }
    await until('the default to return', async () => ((await get('cm.test', '/')).code === 308 ? true : undefined), 5000);
  });

  it('HTTP/2 over TLS via ALPN; a WebSocket echo through the Ingress; both in the access log', async () => {
    await serve(ingress('ws', [['ws.test', '/', 'Prefix', 'who', 80]], { [`${P}ssl-redirect`]: 'false' }, '  tls:\n  - hosts:\n    - ws.test\n'), ['ws']);
    const h2 = await curl(['--http2', '-k', '--resolve', `ws.test:${https}:127.0.0.1`, `https://ws.test:${https}/h2-check`]);
    assert.deepEqual([h2.code, h2.httpVersion], [200, '2']);
    const ws = new WebSocket(`ws://127.0.0.1:${http}/echo`, { headers: { Host: 'ws.test' } });
    await once(ws, 'open');
    const echoed = once(ws, 'message');
    ws.send('through the ingress');
    assert.equal(String(((await echoed) as [Buffer])[0]), 'through the ingress');
    ws.close();
    const logs = await until('the access lines', async () => {
      const out = (await k(['logs', '-n', 'ingress-nginx', 'deploy/ingress-nginx-controller'])).stdout;
      return out.includes('"GET /h2-check HTTP/2.0" 200') && out.includes('"GET /echo HTTP/1.1" 101') ? out : undefined;
    }, 10_000);
    assert.match(logs, /^127\.0\.0\.1 - - \[\d\d\/\w{3}\/\d{4}:\d\d:\d\d:\d\d \+0000\] "GET \/h2-check HTTP\/2\.0" 200 \d+ "-" "curl\/[^"]+" \d+ \d+\.\d{3} \[default-who-80\] \[\] 10\.244\.\d+\.\d+:80 \d+ \d+\.\d{3} 200 [0-9a-f]{32}$/m);
    assert.match(logs, /^-{79}\nNGINX Ingress controller\n {2}Release: {7}v1\.15\.1\n/m);
  });
});
