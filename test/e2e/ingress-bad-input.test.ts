// Acceptance (issue 8, 6): bad input. Invalid Ingresses are refused with Kubernetes' validation
// messages; broken references (TLS Secret, auth Secret, backend Service) give a Warning event and a
// controller log line while every other Ingress keeps serving; hostile requests are refused the way
// nginx refuses them (400 for oversized header lines, bad chunked encoding and Content-Length with
// Transfer-Encoding) while good clients keep being served, also during a slowloris.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { Knet, until } from './harness.js';
import { curl, httpEcho, ingress, kubectlOk, service } from './ingress-fixtures.js';

/** Sends raw bytes to 127.0.0.1:port and collects what comes back until the server closes (or 5 s). */
function raw(port: number, data: string): Promise<string> {
  return new Promise((ok) => {
    const s = net.connect(port, '127.0.0.1');
    let out = '';
    s.on('data', (d: Buffer) => { out += d.toString('latin1'); });
    const done = () => { clearTimeout(t); ok(out); };
    const t = setTimeout(() => { s.destroy(); ok(out); }, 5000);
    s.on('close', done);
    s.on('error', done);
    s.write(data);
  });
}

describe('Ingress: bad input', () => {
  let knet: Knet;
  let http = 0;
  let https = 0;
  const k = (args: string[], input?: string) => kubectlOk(knet, args, input);
  const get = (host: string, path = '/', args: string[] = []) => curl(['-H', `Host: ${host}`, ...args, `http://127.0.0.1:${http}${path}`]);
  const warnings = async (name: string) => (await k(['get', 'events', '--field-selector', `involvedObject.kind=Ingress,involvedObject.name=${name},type=Warning`, '-o', 'jsonpath={range .items[*]}{.reason}: {.message}{"\\n"}{end}'])).stdout;
  const controllerLogs = async () => (await k(['logs', '-n', 'ingress-nginx', 'deploy/ingress-nginx-controller'])).stdout;

  before(async () => {
    knet = await new Knet(['--ingress']).start();
    ({ http, https } = knet.ingressPorts);
    await k(['apply', '-f', '-'], [httpEcho('good', 'good'), service('good', 'good', [[80, 5678]]), ingress('good', [['good.test', '/', 'Prefix', 'good', 80]])].join('---\n'));
    await k(['rollout', 'status', 'deploy', 'good', '--timeout=60s']);
    await until('the good Ingress to serve', async () => ((await get('good.test')).body === 'good\n' ? true : undefined));
  });
  after(async () => { await knet?.cleanup(); });

  it('invalid Ingresses are refused with Kubernetes\' messages', async () => {
    const r = await knet.kubectl(['apply', '-f', '-'], { input: ingress('bad', [['bad.test', 'foo', 'Prefix', 'good', 80]]) });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /The Ingress "bad" is invalid: spec\.rules\[0\]\.http\.paths\[0\]\.path: Invalid value: "foo": must be an absolute path/);
    const ip = await knet.kubectl(['apply', '-f', '-'], { input: ingress('bad', [['10.0.0.1', '/', 'Prefix', 'good', 80]]) });
    assert.match(ip.stderr, /spec\.rules\[0\]\.host: Invalid value: "10\.0\.0\.1": must be a DNS name, not an IP address/);
  });

  it('a TLS Secret that is not a valid pair, and a missing one: Warning event, log line, the fake certificate; others keep serving', async () => {
    await k(['apply', '-f', '-'], `apiVersion: v1
kind: Secret
metadata:
  name: broken-tls
type: kubernetes.io/tls
stringData:
  tls.crt: not a certificate
  tls.key: not a key
---
${ingress('broken-tls', [['broken.test', '/', 'Prefix', 'good', 80]], {}, '  tls:\n  - hosts:\n    - broken.test\n    secretName: broken-tls\n')}---
${ingress('missing-tls', [['missing.test', '/', 'Prefix', 'good', 80]], {}, '  tls:\n  - hosts:\n    - missing.test\n    secretName: no-such-secret\n')}`);
    await until('a Warning for the broken secret', async () => ((await warnings('broken-tls')).includes('broken-tls') ? true : undefined), 10_000);
    await until('a Warning for the missing secret', async () => ((await warnings('missing-tls')).includes('no-such-secret') ? true : undefined), 10_000);
    const logs = await controllerLogs();
    assert.match(logs, /default\/broken-tls/);
    assert.match(logs, /default\/no-such-secret/);
    const s = await curl(['-k', '-v', '--resolve', `broken.test:${https}:127.0.0.1`, `https://broken.test:${https}/`]);
    assert.equal(s.code, 200);
    assert.match(s.stderr, /issuer: O=Acme Co; CN=Kubernetes Ingress Controller Fake Certificate/);
    assert.equal((await get('good.test')).body, 'good\n');
  });

  it('a backend Service that does not exist: 503, a Warning event and a log line', async () => {
    await k(['apply', '-f', '-'], ingress('ghost', [['ghost.test', '/', 'Prefix', 'ghost', 80]]));
    await until('a Warning for the missing Service', async () => ((await warnings('ghost')).includes('ghost') ? true : undefined), 10_000);
    assert.equal((await get('ghost.test')).code, 503);
    assert.match(await controllerLogs(), /default\/ghost/);
    assert.equal((await get('good.test')).body, 'good\n');
  });

  it('a malformed htpasswd: a Warning event, a log line, and no one gets in', async () => {
    await k(['create', 'secret', 'generic', 'bad-auth', '--from-literal=auth=this is not htpasswd']);
    await k(['apply', '-f', '-'], ingress('bad-auth', [['auth.test', '/', 'Prefix', 'good', 80]], {
      'nginx.ingress.kubernetes.io/auth-type': 'basic', 'nginx.ingress.kubernetes.io/auth-secret': 'bad-auth',
    }));
    await until('a Warning for the htpasswd', async () => ((await warnings('bad-auth')).includes('bad-auth') ? true : undefined), 10_000);
    assert.equal((await get('auth.test', '/', ['-u', 'this:is'])).code, 401);
    assert.equal((await get('good.test')).body, 'good\n');
  });

  it('snippet annotations are refused as ingress-nginx\'s defaults do (not served, Warning); an unknown annotation is served with a Warning', async () => {
    await k(['apply', '-f', '-'], [
      ingress('snippet', [['snippet.test', '/', 'Prefix', 'good', 80]], { 'nginx.ingress.kubernetes.io/configuration-snippet': 'more_set_headers "X-Evil: 1";' }),
      ingress('unknown', [['unknown.test', '/', 'Prefix', 'good', 80]], { 'nginx.ingress.kubernetes.io/no-such-annotation': 'x' }),
    ].join('---\n'));
    await until('a Warning for the snippet', async () => ((await warnings('snippet')).includes('configuration-snippet') ? true : undefined), 10_000);
    assert.equal((await get('snippet.test')).code, 404);
    await until('a Warning for the unknown annotation', async () => ((await warnings('unknown')).includes('no-such-annotation') ? true : undefined), 10_000);
    assert.equal((await get('unknown.test')).body, 'good\n');
  });

  it('hostile requests are refused as nginx refuses them; the controller keeps serving', async () => {
    const big = await raw(http, `GET / HTTP/1.1\r\nHost: good.test\r\nX-Big: ${'a'.repeat(9000)}\r\n\r\n`);
    assert.match(big, /^HTTP\/1\.1 400 /);
    const longLine = await raw(http, `GET /${'a'.repeat(9000)} HTTP/1.1\r\nHost: good.test\r\n\r\n`);
    assert.match(longLine, /^HTTP\/1\.1 414 /);
    const chunked = await raw(http, 'POST / HTTP/1.1\r\nHost: good.test\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n');
    assert.match(chunked, /^HTTP\/1\.1 400 /);
    const smuggle = await raw(http, 'POST / HTTP/1.1\r\nHost: good.test\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /admin HTTP/1.1\r\nHost: good.test\r\n\r\n');
    assert.doesNotMatch(smuggle, /HTTP\/1\.1 200[^]*HTTP\/1\.1 200/, 'the smuggled request is never served');
    assert.match(smuggle, /^HTTP\/1\.1 400 /);
    // Slowloris: many connections trickling a header; good clients are still served meanwhile.
    const slow = Array.from({ length: 50 }, () => net.connect(http, '127.0.0.1'));
    for (const s of slow) { s.on('error', () => undefined); s.write('GET / HTTP/1.1\r\nHost: good.test\r\n'); }
    try {
      for (let i = 0; i < 5; i++) {
        for (const s of slow) s.write(`X-${i}: a\r\n`);
        assert.equal((await get('good.test')).body, 'good\n');
      }
    } finally {
      for (const s of slow) s.destroy();
    }
  });
});
