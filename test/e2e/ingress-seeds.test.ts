// Acceptance (issue 8, 1): the seed tutorials' Ingresses, verbatim (fixtures/seeds), against real
// Deployments, reached with curl from the host over HTTP and HTTPS, on the controller's LoadBalancer
// IP and on 127.0.0.1 (kind's ingress-ready node), with a certificate made by openssl and stored by
// `kubectl create secret tls`. Each tutorial runs in its own namespace, as a user following one would.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Knet, repoRoot, runCommand, until, squash } from './harness.js';
import { httpEcho, nginxDeployment, service } from './ingress-fixtures.js';

const seeds = join(repoRoot, 'test', 'e2e', 'fixtures', 'seeds');
const seed = (name: string) => readFileSync(join(seeds, `${name}.yaml`), 'utf8');

describe('the seed tutorials\' Ingresses, verbatim', () => {
  let knet: Knet;
  let http = 0;
  let https = 0;
  let lb = '';
  const dir = () => knet.dir;
  const k = async (args: string[], input?: string) => {
    const r = await knet.kubectl(args, { input });
    assert.equal(r.code, 0, `kubectl ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  /** curl from the host: body and status code. */
  const curl = async (args: string[]) => {
    const r = await runCommand('curl', ['-sS', '--max-time', '10', '-w', '\n%{http_code}', ...args]);
    const i = r.stdout.lastIndexOf('\n');
    return { code: r.stdout.slice(i + 1), body: r.stdout.slice(0, i), stderr: r.stderr };
  };

  before(async () => {
    knet = await new Knet(['--ingress']).start();
    ({ http, https } = knet.ingressPorts);
    for (const ns of ['tut-000', 'tut-001', 'tut-003']) await k(['create', 'namespace', ns]);
    // One certificate for the tutorials' TLS hosts, made as the tutorials say (openssl, then kubectl create secret tls).
    const crt = join(dir(), 'tls.crt');
    const key = join(dir(), 'tls.key');
    const o = await runCommand('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=learn.nextgenplayground.org',
      '-addext', 'subjectAltName=DNS:learn.nextgenplayground.org,DNS:myapp.example.com', '-keyout', key, '-out', crt]);
    assert.equal(o.code, 0, o.stderr);
    await k(['create', 'secret', 'tls', 'tls-secret', '--cert', crt, '--key', key, '-n', 'tut-000']);
    await k(['create', 'secret', 'tls', 'myapp-tls', '--cert', crt, '--key', key, '-n', 'tut-001']);
    // Backends: what the tutorials' Services select, answering with their own name.
    await k(['apply', '-n', 'tut-000', '-f', '-'], [
      seed('000-1'), httpEcho('nextgen-app', 'app-000', 3000), httpEcho('api', 'api-000', 5678), service('api-service', 'api', [[80, 5678]]),
    ].join('\n---\n'));
    await k(['apply', '-n', 'tut-001', '-f', '-'], [
      seed('001-1'), nginxDeployment('nginx'), httpEcho('app', 'app-001', 5678), service('app-service', 'app', [[80, 5678]]),
      httpEcho('api', 'api-001', 5678), service('api-service', 'api', [[8080, 5678]]),
    ].join('\n---\n'));
    await k(['apply', '-n', 'tut-003', '-f', '-'], [seed('003-1'), nginxDeployment('nginx')].join('\n---\n'));
    // The Ingresses themselves, verbatim.
    await k(['apply', '-n', 'tut-000', '-f', join(seeds, '000-4.yaml')]);
    for (const n of ['001-10', '001-11', '001-12', '001-13']) await k(['apply', '-n', 'tut-001', '-f', join(seeds, `${n}.yaml`)]);
    await k(['apply', '-n', 'tut-003', '-f', join(seeds, '003-2.yaml')]);
    for (const ns of ['tut-000', 'tut-001', 'tut-003']) await k(['rollout', 'status', 'deploy', '-n', ns, '--timeout=60s']);
    lb = await until('the controller\'s LoadBalancer IP', async () => {
      const ip = await k(['get', 'svc', '-n', 'ingress-nginx', 'ingress-nginx-controller', '-o', 'jsonpath={.status.loadBalancer.ingress[0].ip}']);
      return ip || undefined;
    });
  });
  after(async () => { await knet?.cleanup(); });

  it('kubectl get ingress -A shows class, hosts, the controller\'s address and ports, as on kind', async () => {
    const out = await until('every Ingress to get an address', async () => {
      const o = squash(await k(['get', 'ingress', '-A']));
      return o.split('\n').slice(1).every((l) => l.includes(lb)) ? o : undefined;
    });
    const rows = out.split('\n').slice(1).map((l) => l.split(' ').slice(0, 6).join(' ')).sort();
    assert.deepEqual(rows, [
      `tut-000 app-ingress nginx learn.nextgenplayground.org ${lb} 80,`,
      `tut-001 name-based-ingress nginx app.example.com,api.example.com ${lb} 80`,
      `tut-001 nginx-ingress nginx myapp.example.com ${lb} 80`,
      `tut-001 path-ingress nginx example.com ${lb} 80`,
      `tut-001 secure-ingress nginx myapp.example.com ${lb} 80,`,
      `tut-003 nginx-ingress nginx nginx.example.com ${lb} 80`,
    ].sort());
    assert.match(out, /tut-000 app-ingress .* 80, 443 /);
  });

  for (const where of ['127.0.0.1', 'the LoadBalancer IP'] as const) {
    const addr = () => (where === '127.0.0.1' ? '127.0.0.1' : lb);
    const hp = () => (where === '127.0.0.1' ? http : 80);
    const sp = () => (where === '127.0.0.1' ? https : 443);
    const plain = (host: string, path: string) => curl(['-H', `Host: ${host}`, `http://${addr()}:${hp()}${path}`]);
    const tls = (host: string, path: string) => curl(['-k', '--resolve', `${host}:${sp()}:${addr()}`, `https://${host}:${sp()}${path}`]);

    it(`app-ingress (TLS, rewrite-target /) on ${where}: HTTPS routes / and /api, HTTP redirects with 308`, async () => {
      assert.deepEqual(await tls('learn.nextgenplayground.org', '/'), { code: '200', body: 'app-000\n', stderr: '' });
      assert.deepEqual(await tls('learn.nextgenplayground.org', '/api'), { code: '200', body: 'api-000\n', stderr: '' });
      assert.deepEqual(await tls('learn.nextgenplayground.org', '/api/users'), { code: '200', body: 'api-000\n', stderr: '' });
      const r = await curl(['-o', '/dev/null', '-D', '-', '-H', 'Host: learn.nextgenplayground.org', `http://${addr()}:${hp()}/api`]);
      assert.match(r.body, /^HTTP\/1\.1 308 Permanent Redirect/);
      assert.match(r.body, /\r\nLocation: https:\/\/learn\.nextgenplayground\.org\/api\r\n/i);
    });

    it(`nginx-ingress and secure-ingress (one host, TLS) on ${where}`, async () => {
      const r = await tls('myapp.example.com', '/');
      assert.equal(r.code, '200');
      assert.match(r.body, /Welcome to nginx!/);
      assert.equal((await plain('myapp.example.com', '/')).code, '308');
    });

    it(`path-ingress on ${where}: /app and /api reach their Services, other paths 404`, async () => {
      assert.deepEqual(await plain('example.com', '/app'), { code: '200', body: 'app-001\n', stderr: '' });
      assert.deepEqual(await plain('example.com', '/api/v1'), { code: '200', body: 'api-001\n', stderr: '' });
      const miss = await plain('example.com', '/other');
      assert.equal(miss.code, '404');
      assert.match(miss.body, /<title>404 Not Found<\/title>/);
    });

    it(`name-based-ingress on ${where}: each host its Service`, async () => {
      assert.deepEqual(await plain('app.example.com', '/'), { code: '200', body: 'app-001\n', stderr: '' });
      assert.deepEqual(await plain('api.example.com', '/anything'), { code: '200', body: 'api-001\n', stderr: '' });
      assert.equal((await plain('unknown.example.com', '/')).code, '404');
    });

    it(`seed 003's nginx Ingress on ${where}`, async () => {
      const r = await plain('nginx.example.com', '/');
      assert.equal(r.code, '200');
      assert.match(r.body, /Welcome to nginx!/);
    });
  }

  it('the certificate served for a TLS host is the Secret\'s; unknown names get the fake certificate', async () => {
    const cert = async (name: string) => {
      const r = await runCommand('bash', ['-c', `openssl s_client -connect 127.0.0.1:${https} -servername ${name} </dev/null 2>/dev/null | openssl x509 -noout -subject -issuer`]);
      return r.stdout;
    };
    assert.match(await cert('learn.nextgenplayground.org'), /subject=CN ?= ?learn\.nextgenplayground\.org/);
    assert.match(await cert('nobody.example.com'), /issuer=O ?= ?Acme Co, ?CN ?= ?Kubernetes Ingress Controller Fake Certificate/);
  });
});
