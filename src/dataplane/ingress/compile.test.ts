// Ingress → RouteTable through compile and route(): the Kubernetes path examples, ingress-nginx's
// translation of pathTypes, hosts, merging, default backends and regex mode (notes §2, §5.1).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { route } from './match.js';
import { hit, ingress, rule, tableOf } from './testkit.js';

type PT = 'Exact' | 'Prefix' | 'ImplementationSpecific';

// K8s docs "Examples" table (notes §2.2), with ingress-nginx's 301 where it differs.
const examples: [PT, string[], string, string][] = [
  ['Prefix', ['/'], '/anything', '/'],
  ['Exact', ['/foo'], '/foo', '/foo'],
  ['Exact', ['/foo'], '/bar', '404'],
  ['Exact', ['/foo'], '/foo/', '404'],
  // ingress-nginx: 301 (nginx's auto_redirect applies to exact locations too; notes §0), where the spec says 404.
  ['Exact', ['/foo/'], '/foo', '301 /foo/'],
  ['Prefix', ['/foo'], '/foo', '/foo'],
  ['Prefix', ['/foo'], '/foo/', '/foo'],
  ['Prefix', ['/foo/'], '/foo/', '/foo/'],
  ['Prefix', ['/foo/'], '/foo', '301 /foo/'],
  ['Prefix', ['/aaa/bb'], '/aaa/bbb', '404'],
  ['Prefix', ['/aaa/bbb'], '/aaa/bbb', '/aaa/bbb'],
  ['Prefix', ['/aaa/bbb/'], '/aaa/bbb', '301 /aaa/bbb/'],
  ['Prefix', ['/aaa/bbb'], '/aaa/bbb/', '/aaa/bbb'],
  ['Prefix', ['/aaa/bbb'], '/aaa/bbb/ccc', '/aaa/bbb'],
  ['Prefix', ['/aaa/bbb'], '/aaa/bbbxyz', '404'],
  ['Prefix', ['/', '/aaa'], '/aaa/ccc', '/aaa'],
  ['Prefix', ['/', '/aaa', '/aaa/bbb'], '/aaa/bbb', '/aaa/bbb'],
  ['Prefix', ['/', '/aaa', '/aaa/bbb'], '/ccc', '/'],
  ['Prefix', ['/aaa'], '/ccc', '404'],
  ['Exact', ['/foo'], '/FOO', '404'],
  ['Prefix', ['/foo'], '/FOO', '404'],
];

const svc = (path: string) => `svc${path.replace(/\//g, '-')}`;
const expectSvc = (want: string) => (want === '404' || want.startsWith('301') ? want : svc(want));

for (const [pathType, paths, request, want] of examples) {
  test(`K8s path example: ${pathType} ${paths.join(',')} requested as ${request} → ${want}`, () => {
    const t = tableOf([ingress('a', { rules: [rule('foo.com', ...paths.map((p): [string, PT, string] => [p, pathType, svc(p)]))] })]);
    assert.equal(hit(t, 'foo.com', request), expectSvc(want));
  });
}

test('K8s path example: Prefix and Exact /foo on one host → Exact preferred', () => {
  const t = tableOf([ingress('a', { rules: [rule('foo.com', ['/foo', 'Prefix', 'prefix'], ['/foo', 'Exact', 'exact'])] })]);
  assert.equal(hit(t, 'foo.com', '/foo'), 'exact');
  assert.equal(hit(t, 'foo.com', '/foo/x'), 'prefix');
});

// ingress-nginx behaviour table (notes §2.3): columns /foo, /foo/, /foo/bar, /foobar, /FOO.
const nginxTable: [string, PT, boolean, string[]][] = [
  ['Exact /foo', 'Exact', false, ['s', '404', '404', '404', '404']],
  ['Prefix /foo', 'Prefix', false, ['s', 's', 's', '404', '404']],
  ['Prefix /foo/', 'Prefix', false, ['301 /foo/', 's', 's', '404', '404']],
  ['ImplementationSpecific /foo', 'ImplementationSpecific', false, ['s', 's', 's', 's', '404']],
  ['Exact /foo in regex mode', 'Exact', true, ['s', 's', 's', 's', 's']],
  ['Prefix /foo in regex mode', 'Prefix', true, ['s', 's', 's', 's', 's']],
  ['ImplementationSpecific /foo in regex mode', 'ImplementationSpecific', true, ['s', 's', 's', 's', 's']],
];
for (const [name, pathType, regex, wants] of nginxTable) {
  test(`ingress-nginx paths: ${name}`, () => {
    const path = name.includes('/foo/') ? '/foo/' : '/foo';
    const t = tableOf([ingress('a', { rules: [rule('h', [path, pathType, 's'])] }, regex ? { annotations: { 'nginx.ingress.kubernetes.io/use-regex': 'true' } } : {})]);
    assert.deepEqual(['/foo', '/foo/', '/foo/bar', '/foobar', '/FOO'].map((u) => hit(t, 'h', u)), wants);
  });
}

test('hosts: exact beats wildcard, a wildcard covers exactly one label, unknown hosts go to the host-less rule', () => {
  const t = tableOf([ingress('a', { rules: [rule('*.foo.com', ['/', 'Prefix', 'wild']), rule('bar.foo.com', ['/', 'Prefix', 'exact']), rule(undefined, ['/', 'Prefix', 'any'])] })]);
  assert.equal(hit(t, 'bar.foo.com', '/'), 'exact');
  assert.equal(hit(t, 'BAZ.foo.com:8080', '/'), 'wild');
  assert.equal(hit(t, 'baz.bar.foo.com', '/'), 'any');
  assert.equal(hit(t, 'foo.com', '/'), 'any');
  assert.equal(hit(t, '10.1.2.3', '/x'), 'any');
});

test('a known host whose paths do not match answers its own 404, not the host-less rule', () => {
  const t = tableOf([ingress('a', { rules: [rule('h', ['/app', 'Prefix', 'app']), rule(undefined, ['/', 'Prefix', 'any'])] })]);
  assert.equal(hit(t, 'h', '/other'), '404');
});

test('several Ingresses merge per host; the oldest keeps an exact duplicate host/path/pathType', () => {
  const t = tableOf([
    ingress('newer', { rules: [rule('h', ['/a', 'Prefix', 'newer-a'], ['/b', 'Prefix', 'newer-b'])] }, { created: 20 }),
    ingress('older', { rules: [rule('h', ['/a', 'Prefix', 'older-a'])] }, { created: 10 }),
  ]);
  assert.equal(hit(t, 'h', '/a/x'), 'older-a');
  assert.equal(hit(t, 'h', '/b'), 'newer-b');
});

test('equal creation times: namespace/name in descending order processes first', () => {
  const t = tableOf([ingress('a', { rules: [rule('h', ['/', 'Prefix', 'from-a'])] }), ingress('b', { rules: [rule('h', ['/', 'Prefix', 'from-b'])] })]);
  assert.equal(hit(t, 'h', '/'), 'from-b');
});

test('defaultBackend alone is the catch-all for every host and path', () => {
  const t = tableOf([ingress('a', { defaultBackend: { service: { name: 'fallback', port: { number: 80 } } } })]);
  assert.equal(hit(t, 'anything.example', '/x/y'), 'fallback');
  assert.equal(hit(t, '', '/'), 'fallback');
});

test('defaultBackend with rules is the fallback of that Ingress\'s hosts only', () => {
  const t = tableOf([
    ingress('a', { defaultBackend: { service: { name: 'fallback', port: { number: 80 } } }, rules: [rule('h', ['/app', 'Prefix', 'app'])] }),
    ingress('b', { rules: [rule('other', ['/app', 'Prefix', 'app2'])] }, { created: 5 }),
  ]);
  assert.equal(hit(t, 'h', '/app'), 'app');
  assert.equal(hit(t, 'h', '/nope'), 'fallback');
  assert.equal(hit(t, 'other', '/nope'), '404');
  assert.equal(hit(t, 'unknown', '/'), '404');
});

test('regex mode is host-wide: a rewrite on one Ingress makes the other Ingresses\' paths case-insensitive regexes', () => {
  const t = tableOf([
    ingress('plain', { rules: [rule('h', ['/Header', 'Exact', 'plain'])] }),
    ingress('rw', { rules: [rule('h', ['/foo/bar/[A-Z0-9]{3}', 'ImplementationSpecific', 'regex'], ['/foo/bar/bar', 'ImplementationSpecific', 'literal'])] }, { annotations: { 'nginx.ingress.kubernetes.io/rewrite-target': '/x' } }),
    ingress('other', { rules: [rule('elsewhere', ['/Header', 'Exact', 'other'])] }),
  ]);
  assert.equal(hit(t, 'h', '/headers'), 'plain');
  assert.equal(hit(t, 'h', '/foo/bar/bar'), 'regex', 'the longer regex sorts first');
  assert.equal(hit(t, 'elsewhere', '/headers'), '404', 'other hosts keep exact matching');
});

test('rewrite-target captures (notes §5.1 examples)', () => {
  const cases: [string, string, string, string][] = [
    ['/something(/|$)(.*)', '/$2', '/something', ''],
    ['/something(/|$)(.*)', '/$2', '/something/', ''],
    ['/something(/|$)(.*)', '/$2', '/something/new', 'new'],
    ['/foo/bar/(.+)', '/new/backend/$1', '/foo/bar/bar', 'bar'],
  ];
  for (const [path, target, uri, capture] of cases) {
    const t = tableOf([ingress('a', { rules: [rule('h', [path, 'ImplementationSpecific', 's'])] }, { annotations: { 'nginx.ingress.kubernetes.io/rewrite-target': target } })]);
    const r = route(t, 'h', uri);
    assert.equal(r.kind, 'location', uri);
    if (r.kind !== 'location') continue;
    assert.equal(r.location.config.rewriteTarget, target);
    assert.equal(r.captures?.[target.includes('$2') ? 2 : 1], capture, `${path} ${uri}`);
  }
});

test('a rewrite-target equal to the path is no rewrite and no regex mode', () => {
  const t = tableOf([ingress('a', { rules: [rule('h', ['/app', 'Prefix', 's'])] }, { annotations: { 'nginx.ingress.kubernetes.io/rewrite-target': '/app' } })]);
  assert.equal(t.servers.get('h')?.regexMode, false);
  assert.equal(hit(t, 'h', '/APP'), '404');
});

test('a host\'s root location carries the oldest Ingress\'s settings and the controller\'s 404', () => {
  const t = tableOf([ingress('a', { rules: [rule('h', ['/app', 'Prefix', 's'])] }, { annotations: { 'nginx.ingress.kubernetes.io/ssl-redirect': 'false' } })]);
  const r = route(t, 'h', '/other');
  assert.equal(r.kind, 'location');
  if (r.kind === 'location') { assert.equal(r.location.upstream, undefined); assert.equal(r.location.config.sslRedirect, false); }
});

test('canary Ingresses attach to the mainline location and never serve alone', () => {
  const canary = { 'nginx.ingress.kubernetes.io/canary': 'true', 'nginx.ingress.kubernetes.io/canary-by-header': 'X-Canary', 'nginx.ingress.kubernetes.io/canary-weight': '30' };
  const t = tableOf([
    ingress('main', { rules: [rule('h', ['/', 'Prefix', 'main'])] }),
    ingress('canary', { rules: [rule('h', ['/', 'Prefix', 'canary']), rule('lonely', ['/', 'Prefix', 'canary'])] }, { annotations: canary, created: 5 }),
  ]);
  const r = route(t, 'h', '/');
  assert.equal(r.kind, 'location');
  if (r.kind === 'location') {
    assert.equal(r.location.upstream?.service, 'main');
    assert.equal(r.location.config.canary?.upstream.service, 'canary');
    assert.deepEqual([r.location.config.canary?.byHeader, r.location.config.canary?.weight, r.location.config.canary?.weightTotal], ['X-Canary', 30, 100]);
  }
  assert.equal(hit(t, 'lonely', '/'), '404');
});

test('from-to-www-redirect adds a redirect server for the other name unless another Ingress owns it', () => {
  const www = { 'nginx.ingress.kubernetes.io/from-to-www-redirect': 'true' };
  const t = tableOf([ingress('a', { rules: [rule('foo.com', ['/', 'Prefix', 's']), rule('www.bar.com', ['/', 'Prefix', 's'])] }, { annotations: www }), ingress('b', { rules: [rule('bar.com', ['/', 'Prefix', 'b'])] })]);
  assert.equal(t.servers.get('www.foo.com')?.redirectTo, 'foo.com');
  assert.equal(t.servers.get('bar.com')?.redirectTo, undefined);
});
