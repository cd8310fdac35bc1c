// Acceptance (issue 8, 2): routing as the Kubernetes Ingress docs specify (the "Examples" table of
// path types, hostname wildcards, merged Ingresses, defaultBackend) with ingress-nginx's choices
// where the spec leaves room (404 from the controller's default backend, 503 without endpoints,
// 301 for a prefix asked without its trailing slash); class-less Ingresses get the default class;
// foreign classes are left alone. Every request is a real curl from the host to 127.0.0.1.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Knet, until } from './harness.js';
import { curl, httpEcho, ingress, kubectlOk, serveIngresses, service, whoami } from './ingress-fixtures.js';

describe('Ingress routing', () => {
  let knet: Knet;
  let http = 0;
  const k = (args: string[], input?: string) => kubectlOk(knet, args, input);
  const get = (host: string, path: string) => curl(['-H', `Host: ${host}`, `http://127.0.0.1:${http}${path}`]);
  /** What answered: the backend's text, or the status for controller answers. */
  const who = async (host: string, path: string) => {
    const r = await get(host, path);
    return r.code === 200 ? r.body.trim() : String(r.code);
  };

  before(async () => {
    knet = await new Knet(['--ingress']).start();
    http = knet.ingressPorts.http;
    await k(['apply', '-f', '-'], [
      httpEcho('a', 'A'), service('a', 'a', [[80, 5678]]), httpEcho('b', 'B'), service('b', 'b', [[80, 5678]]),
      httpEcho('c', 'C'), service('c', 'c', [[80, 5678]]), service('empty', 'nobody', [[80, 5678]]),
      whoami('lb', 3), service('lb', 'lb', [[80, 80]]),
    ].join('---\n'));
    await k(['rollout', 'status', 'deploy', '--timeout=60s']);
  });
  after(async () => { await knet?.cleanup(); });

  const serve = (yaml: string, names: string[]) => serveIngresses(knet, yaml, names);

  // kubernetes.io/docs/concepts/services-networking/ingress/#examples, with ingress-nginx's 301 where it differs.
  const examples: [string, [string, string, string][], string, string][] = [
    ['Prefix /, any path', [['Prefix', '/', 'a']], '/anything', 'A'],
    ['Exact /foo, /foo', [['Exact', '/foo', 'a']], '/foo', 'A'],
    ['Exact /foo, /bar', [['Exact', '/foo', 'a']], '/bar', '404'],
    ['Exact /foo, /foo/', [['Exact', '/foo', 'a']], '/foo/', '404'],
    ['Exact /foo/, /foo (ingress-nginx: 301)', [['Exact', '/foo/', 'a']], '/foo', '301'],
    ['Prefix /foo, /foo', [['Prefix', '/foo', 'a']], '/foo', 'A'],
    ['Prefix /foo, /foo/', [['Prefix', '/foo', 'a']], '/foo/', 'A'],
    ['Prefix /foo/, /foo/', [['Prefix', '/foo/', 'a']], '/foo/', 'A'],
    ['Prefix /foo/, /foo (ingress-nginx: 301)', [['Prefix', '/foo/', 'a']], '/foo', '301'],
    ['Prefix /aaa/bb, /aaa/bbb', [['Prefix', '/aaa/bb', 'a']], '/aaa/bbb', '404'],
    ['Prefix /aaa/bbb, /aaa/bbb', [['Prefix', '/aaa/bbb', 'a']], '/aaa/bbb', 'A'],
    ['Prefix /aaa/bbb, /aaa/bbb/', [['Prefix', '/aaa/bbb', 'a']], '/aaa/bbb/', 'A'],
    ['Prefix /aaa/bbb, /aaa/bbb/ccc', [['Prefix', '/aaa/bbb', 'a']], '/aaa/bbb/ccc', 'A'],
    ['Prefix /aaa/bbb, /aaa/bbbxyz', [['Prefix', '/aaa/bbb', 'a']], '/aaa/bbbxyz', '404'],
    ['Prefix / and /aaa, /aaa/ccc', [['Prefix', '/', 'a'], ['Prefix', '/aaa', 'b']], '/aaa/ccc', 'B'],
    ['Prefix /, /aaa and /aaa/bbb, /aaa/bbb', [['Prefix', '/', 'a'], ['Prefix', '/aaa', 'b'], ['Prefix', '/aaa/bbb', 'c']], '/aaa/bbb', 'C'],
    ['Prefix /, /aaa and /aaa/bbb, /ccc', [['Prefix', '/', 'a'], ['Prefix', '/aaa', 'b'], ['Prefix', '/aaa/bbb', 'c']], '/ccc', 'A'],
    ['Prefix /aaa, /ccc', [['Prefix', '/aaa', 'a']], '/ccc', '404'],
    ['Prefix and Exact /foo, /foo: Exact wins', [['Prefix', '/foo', 'a'], ['Exact', '/foo', 'b']], '/foo', 'B'],
    ['Exact /foo, /FOO (case-sensitive)', [['Exact', '/foo', 'a']], '/FOO', '404'],
    ['ImplementationSpecific /foo, /foobar (ingress-nginx: string prefix)', [['ImplementationSpecific', '/foo', 'a']], '/foobar', 'A'],
  ];

  it('the path-type examples of the Kubernetes docs', async () => {
    const yaml = examples.map(([, paths], i) => ingress(`ex-${i}`, paths.map(([t, p, s]) => [`ex-${i}.test`, p, t, s, 80]))).join('---\n');
    await serve(yaml, examples.map((_, i) => `ex-${i}`));
    const got = await Promise.all(examples.map(async ([name, , path], i) => `${name} → ${await who(`ex-${i}.test`, path)}`));
    assert.deepEqual(got, examples.map(([name, , , want]) => `${name} → ${want}`));
  });

  it('a prefix asked without its trailing slash is redirected with 301 to it, query kept', async () => {
    const r = await get('ex-8.test', '/foo?x=1');
    assert.equal(r.code, 301);
    assert.equal(r.headers.location, 'http://ex-8.test/foo/?x=1');
  });

  it('host wildcards match exactly one label; exact hosts win over wildcards', async () => {
    await serve(ingress('wild', [['*.wild.test', '/', 'Prefix', 'a', 80], ['exact.wild.test', '/', 'Prefix', 'b', 80]]), ['wild']);
    assert.deepEqual(await Promise.all(['x.wild.test', 'X.Wild.Test', 'exact.wild.test', 'y.x.wild.test', 'wild.test'].map((h) => who(h, '/'))),
      ['A', 'A', 'B', '404', '404']);
    // The controller's own event, as ingress-nginx writes it.
    const events = (await k(['get', 'events', '--field-selector', 'involvedObject.name=wild,reason=Sync', '-o', 'jsonpath={range .items[*]}{.type} {.source.component} {.message}{"\\n"}{end}'])).stdout;
    assert.match(events, /^Normal nginx-ingress-controller Scheduled for sync$/m);
  });

  it('several Ingresses for one host are merged; for the same path the oldest keeps it', async () => {
    await serve(ingress('merge-1', [['merged.test', '/one', 'Prefix', 'a', 80], ['merged.test', '/same', 'Prefix', 'a', 80]]), ['merge-1']);
    await new Promise((r) => setTimeout(r, 1100)); // creationTimestamps have seconds; within one second ingress-nginx orders by name, descending
    await serve(ingress('merge-2', [['merged.test', '/two', 'Prefix', 'b', 80], ['merged.test', '/same', 'Prefix', 'b', 80]]), ['merge-2']);
    assert.deepEqual(await Promise.all(['/one', '/two', '/same', '/three'].map((p) => who('merged.test', p))), ['A', 'B', 'A', '404']);
  });

  it('unmatched hosts and paths get the controller\'s 404 page; a backend without endpoints or missing gets 503', async () => {
    const miss = await get('nobody.test', '/');
    assert.equal(miss.code, 404);
    assert.equal(miss.headers['content-type'], 'text/html');
    assert.equal(miss.headers.server, undefined);
    assert.equal(miss.body, '<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n');
    await serve(ingress('unavailable', [['empty.test', '/', 'Prefix', 'empty', 80], ['missing.test', '/', 'Prefix', 'no-such-service', 80]]), ['unavailable']);
    for (const host of ['empty.test', 'missing.test']) {
      const r = await get(host, '/');
      assert.equal(r.code, 503, host);
      assert.match(r.body, /<title>503 Service Temporarily Unavailable<\/title>/);
    }
  });

  it('the controller balances over the Service\'s endpoints directly: every pod gets traffic', async () => {
    await serve(ingress('balanced', [['lb.test', '/', 'Prefix', 'lb', 80]]), ['balanced']);
    const hosts = new Set<string>();
    for (let i = 0; i < 30; i++) hosts.add(/^Hostname: (\S+)/m.exec((await get('lb.test', '/')).body)?.[1] ?? '');
    assert.equal(hosts.size, 3, [...hosts].join(' '));
  });

  it('a class-less Ingress gets the default class nginx on create and is served; a foreign class is left alone', async () => {
    await k(['apply', '-f', '-'], ingress('classless', [['classless.test', '/', 'Prefix', 'a', 80]]).replace('  ingressClassName: nginx\n', ''));
    assert.equal((await k(['get', 'ingress', 'classless', '-o', 'jsonpath={.spec.ingressClassName}'])).stdout, 'nginx');
    await serve('', ['classless']);
    assert.equal(await who('classless.test', '/'), 'A');
    await k(['apply', '-f', '-'], `apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata:
  name: other
spec:
  controller: example.com/other
---
${ingress('foreign', [['foreign.test', '/', 'Prefix', 'a', 80]]).replace('ingressClassName: nginx', 'ingressClassName: other')}`);
    // Something applied after it is served, so the controller has seen the foreign one by now.
    await serve(ingress('after-foreign', [['after-foreign.test', '/', 'Prefix', 'a', 80]]), ['after-foreign']);
    assert.equal(await who('foreign.test', '/'), '404');
    assert.equal((await k(['get', 'ingress', 'foreign', '-o', 'jsonpath={.status.loadBalancer.ingress}'])).stdout, '');
  });

  it('the deprecated annotation alone is honoured, with the API warning', async () => {
    const r = await k(['apply', '-f', '-'], ingress('annotated', [['annotated.test', '/', 'Prefix', 'b', 80]], { 'kubernetes.io/ingress.class': 'nginx' }).replace('  ingressClassName: nginx\n', ''));
    assert.match(r.stderr, /Warning: annotation "kubernetes\.io\/ingress\.class" is deprecated, please use 'spec\.ingressClassName' instead/);
    await serve('', ['annotated']);
    assert.equal(await who('annotated.test', '/'), 'B');
  });

  it('spec.defaultBackend alone catches every unmatched host and path; removing it brings back the 404', async () => {
    await serve(`apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: catch-all
spec:
  ingressClassName: nginx
  defaultBackend:
    service:
      name: c
      port:
        number: 80
`, ['catch-all']);
    assert.deepEqual(await Promise.all([who('nobody.test', '/x'), who('127.0.0.1', '/'), who('wild.test', '/')]), ['C', 'C', 'C']);
    assert.equal(await who('merged.test', '/one'), 'A');
    await k(['delete', 'ingress', 'catch-all']);
    await until('the catch-all to go', async () => ((await who('nobody.test', '/x')) === '404' ? true : undefined), 5000);
  });
});
