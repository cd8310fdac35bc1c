// Each annotation parser, valid and invalid values (notes §5), over the ConfigMap's defaults (§6).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Secret } from '../../../api/kinds/secret.js';
import { controllerConfig } from '../configmap.js';
import type { LocationConfig } from '../model.js';
import { InvalidAnnotation, parseAnnotations, refusedSnippet, type IngressAnnotationConfig } from './index.js';

const P = 'nginx.ingress.kubernetes.io/';
const b64 = (s: string) => Buffer.from(s).toString('base64');
const secrets: Record<string, Secret> = {
  'default/basic': { metadata: { name: 'basic', namespace: 'default' }, data: { auth: b64('foo:$apr1$OFG3Xybp$ckL0FHDAkoXYIlH9.cysT0\n') } },
  'default/map': { metadata: { name: 'map', namespace: 'default' }, data: { foo: b64('{PLAIN}bar') } },
  'default/nokey': { metadata: { name: 'nokey', namespace: 'default' }, data: { other: b64('x') } },
  'default/garbled': { metadata: { name: 'garbled', namespace: 'default' }, data: { auth: b64('this is not htpasswd\n') } },
};

function parse(anns: Record<string, string>, cm?: Record<string, string>): { out: IngressAnnotationConfig; events: string[] } {
  const events: string[] = [];
  const full = Object.fromEntries(Object.entries(anns).map(([k, v]) => [P + k, v]));
  const out = parseAnnotations(full, {
    ingress: 'default/ing', namespace: 'default', config: controllerConfig(cm), log: () => undefined,
    secret: (ns, name) => secrets[`${ns}/${name}`], warn: (reason, message) => events.push(`${reason}: ${message}`),
  });
  return { out, events };
}
const loc = (anns: Record<string, string>, cm?: Record<string, string>): LocationConfig => parse(anns, cm).out.location;

const valid: [string, Record<string, string>, (l: LocationConfig) => unknown, unknown][] = [
  ['rewrite-target', { 'rewrite-target': '/$2' }, (l) => l.rewriteTarget, '/$2'],
  ['app-root', { 'app-root': '/app1' }, (l) => l.appRoot, '/app1'],
  ['x-forwarded-prefix', { 'x-forwarded-prefix': '/p' }, (l) => l.xForwardedPrefix, '/p'],
  ['upstream-vhost', { 'upstream-vhost': 'internal.svc' }, (l) => l.upstreamVhost, 'internal.svc'],
  ['backend-protocol lower case', { 'backend-protocol': 'https' }, (l) => l.backendProtocol, 'HTTPS'],
  ['permanent-redirect', { 'permanent-redirect': 'https://x.com/a' }, (l) => l.redirect, { url: 'https://x.com/a', code: 301 }],
  ['permanent-redirect-code in range', { 'permanent-redirect': 'https://x.com', 'permanent-redirect-code': '308' }, (l) => l.redirect?.code, 308],
  ['permanent-redirect-code out of range', { 'permanent-redirect': 'https://x.com', 'permanent-redirect-code': '309' }, (l) => l.redirect?.code, 301],
  ['temporal wins over permanent', { 'permanent-redirect': 'https://p.com', 'temporal-redirect': 'https://t.com' }, (l) => l.redirect, { url: 'https://t.com', code: 302 }],
  ['ssl-redirect', { 'ssl-redirect': 'false' }, (l) => l.sslRedirect, false],
  ['force-ssl-redirect', { 'force-ssl-redirect': 'true' }, (l) => l.forceSslRedirect, true],
  ['preserve-trailing-slash', { 'preserve-trailing-slash': 'true' }, (l) => l.preserveTrailingSlash, true],
  ['use-port-in-redirects', { 'use-port-in-redirects': 'true' }, (l) => l.usePortInRedirects, true],
  ['proxy-body-size 8k', { 'proxy-body-size': '8k' }, (l) => l.proxyBodySize, 8192],
  ['proxy-body-size 0 = unlimited', { 'proxy-body-size': '0' }, (l) => l.proxyBodySize, 0],
  ['proxy timeouts', { 'proxy-connect-timeout': '2', 'proxy-read-timeout': '30', 'proxy-send-timeout': '7' }, (l) => [l.connectTimeoutMs, l.readTimeoutMs, l.sendTimeoutMs], [2000, 30000, 7000]],
  ['enable-access-log', { 'enable-access-log': 'false' }, (l) => l.enableAccessLog, false],
  ['limit-rps with defaults', { 'limit-rps': '5' }, (l) => l.limits, { rps: 5, burstMultiplier: 5, allowlist: [], reqStatusCode: 503, connStatusCode: 503 }],
  ['limit-connections, multiplier, allowlist', { 'limit-connections': '8', 'limit-burst-multiplier': '2', 'limit-whitelist': '10.0.0.0/8, 127.0.0.1' }, (l) => l.limits, { connections: 8, burstMultiplier: 2, allowlist: ['10.0.0.0/8', '127.0.0.1'], reqStatusCode: 503, connStatusCode: 503 }],
  ['allowlist-source-range', { 'allowlist-source-range': '192.168.0.0/16,::1' }, (l) => l.allowSourceRange, ['192.168.0.0/16', '::1']],
  ['whitelist-source-range alias', { 'whitelist-source-range': '10.0.0.1' }, (l) => l.allowSourceRange, ['10.0.0.1']],
  ['denylist-source-range', { 'denylist-source-range': '1.2.3.0/24' }, (l) => l.denySourceRange, ['1.2.3.0/24']],
  ['enable-cors defaults', { 'enable-cors': 'true' }, (l) => [l.cors?.allowOrigin, l.cors?.allowCredentials, l.cors?.maxAge], [['*'], true, 1728000]],
  ['cors origins', { 'enable-cors': 'true', 'cors-allow-origin': 'https://a.com, https://*.b.com:8443' }, (l) => l.cors?.allowOrigin, ['https://a.com', 'https://*.b.com:8443']],
  ['cors without enable-cors', { 'cors-allow-origin': 'https://a.com' }, (l) => l.cors, undefined],
  ['affinity cookie', { affinity: 'cookie', 'session-cookie-name': 'route', 'session-cookie-max-age': '60' }, (l) => [l.affinity?.cookieName, l.affinity?.maxAge, l.affinity?.mode], ['route', 60, 'balanced']],
  ['custom-http-errors', { 'custom-http-errors': '404,503' }, (l) => l.customHttpErrors, [404, 503]],
];
for (const [name, anns, pick, want] of valid) {
  test(`annotation ${name}`, () => assert.deepEqual(pick(loc(anns)), want));
}

const invalid: [string, string][] = [
  ['limit-rps', 'abc'], ['ssl-redirect', 'maybe'], ['proxy-body-size', '1x'], ['auth-type', 'foo'],
  ['allowlist-source-range', '10.0.0.0/33'], ['denylist-source-range', 'nope'], ['backend-protocol', 'SMTP'],
  ['permanent-redirect', 'not a url'], ['affinity', 'ip'], ['custom-http-errors', '200'], ['canary-weight', '-1'],
  ['rewrite-target', '/a b'], ['cors-allow-methods', 'GET;rm'],
];
for (const [name, value] of invalid) {
  test(`annotation ${name}: ${JSON.stringify(value)} is refused`, () => {
    assert.throws(() => parse({ [name]: value }), (e: unknown) => e instanceof InvalidAnnotation && e.message.startsWith(`annotation ${name} contains invalid value ${value}`));
  });
}

test('the ConfigMap gives the defaults; annotations override them', () => {
  const cm = { 'ssl-redirect': 'false', 'proxy-body-size': '2m', 'limit-req-status-code': '429' };
  assert.deepEqual([loc({}, cm).sslRedirect, loc({}, cm).proxyBodySize], [false, 2 * 1024 * 1024]);
  assert.equal(loc({ 'ssl-redirect': 'true' }, cm).sslRedirect, true);
  assert.equal(loc({ 'limit-rps': '1' }, cm).limits?.reqStatusCode, 429);
});

test('basic auth from an auth-file and an auth-map Secret', async () => {
  const file = loc({ 'auth-type': 'basic', 'auth-secret': 'basic', 'auth-realm': 'Need creds' }).auth!;
  assert.equal(file.realm, 'Need creds');
  assert.equal(file.denied, undefined);
  assert.equal(await file.verify('foo', 'bar'), true);
  assert.equal(await file.verify('foo', 'x'), false);
  const map = loc({ 'auth-type': 'basic', 'auth-secret': 'default/map', 'auth-secret-type': 'auth-map' }).auth!;
  assert.equal(await map.verify('foo', 'bar'), true);
});

test('basic auth with a malformed htpasswd: served (nobody matches) with an InvalidAuthSecret Warning', async () => {
  const { out, events } = parse({ 'auth-type': 'basic', 'auth-secret': 'garbled' });
  assert.equal(out.location.auth?.denied, undefined);
  assert.equal(await out.location.auth?.verify('this is not htpasswd', ''), false);
  assert.deepEqual(events, ['InvalidAuthSecret: the secret default/garbled has htpasswd lines that can never match (1): expected user:hash with an apr1, bcrypt, {SHA}, {SSHA} or {PLAIN} hash']);
});

test('basic auth with an unusable Secret denies the location with an AnnotationParsingFailed event', () => {
  const cases: [string, string][] = [
    ['missing', 'unexpected error reading secret default/missing: secret "missing" not found'],
    ['nokey', 'the secret default/nokey does not contain a key with value auth'],
    ['other/basic', 'cross namespace usage of secrets is not allowed'],
  ];
  for (const [ref, reason] of cases) {
    const { out, events } = parse({ 'auth-type': 'basic', 'auth-secret': ref });
    assert.equal(out.location.auth?.denied, reason);
    assert.deepEqual(events, [`AnnotationParsingFailed: Error parsing annotations: ${reason}`]);
  }
});

test('canary annotations', () => {
  const { out } = parse({ canary: 'true', 'canary-by-header': 'X-Canary', 'canary-by-header-pattern': '^(yes|y)$', 'canary-weight': '20', 'canary-weight-total': '50' });
  assert.equal(out.canary?.byHeader, 'X-Canary');
  assert.equal(out.canary?.byHeaderPattern?.('yes'), true);
  assert.equal(out.canary?.byHeaderPattern?.('no'), false);
  assert.deepEqual([out.canary?.weight, out.canary?.weightTotal], [20, 100], 'a total below 100 counts as 100');
  const bad = parse({ canary: 'true', 'canary-by-header': 'X', 'canary-by-header-pattern': '(?=lookahead)' }).out;
  assert.equal(bad.canary?.byHeaderPattern?.('lookahead'), false, 'a pattern re2js refuses keeps requests on mainline');
  assert.equal(parse({ 'canary-weight': '10' }).out.canary, undefined);
});

test('use-regex, from-to-www-redirect and default-backend are Ingress-wide', () => {
  const { out } = parse({ 'use-regex': 'true', 'from-to-www-redirect': 'true', 'default-backend': 'errors' });
  assert.deepEqual([out.useRegex, out.fromToWwwRedirect, out.defaultBackendService], [true, true, 'errors']);
});

test('an unknown annotation gets an UnsupportedAnnotation event and nothing else', () => {
  const { events } = parse({ 'proxy-buffering': 'on', 'ssl-redirect': 'false' });
  assert.deepEqual(events, ['UnsupportedAnnotation: annotation nginx.ingress.kubernetes.io/proxy-buffering is not supported by knet and has no effect']);
});

test('backend-protocol values knet cannot honour (FCGI, gRPC) get an UnsupportedAnnotation event', () => {
  assert.deepEqual(parse({ 'backend-protocol': 'FCGI' }).events, ['UnsupportedAnnotation: backend-protocol FCGI is not supported by knet; using HTTP']);
  const grpc = parse({ 'backend-protocol': 'GRPC' });
  assert.equal(grpc.out.location.backendProtocol, 'GRPC');
  assert.deepEqual(grpc.events, ['UnsupportedAnnotation: backend-protocol GRPC is not supported by knet yet; requests go to the backend over HTTP/1.1']);
  assert.deepEqual(parse({ 'backend-protocol': 'HTTPS' }).events, []);
});

test('session-cookie-change-on-failure is parsed but warned about: knet does not re-assign a failed client', () => {
  const { out, events } = parse({ affinity: 'cookie', 'session-cookie-change-on-failure': 'true' });
  assert.equal(out.location.affinity?.changeOnFailure, true);
  assert.deepEqual(events, ['UnsupportedAnnotation: session-cookie-change-on-failure is not supported by knet: a client whose endpoint fails is not moved to another one']);
});

test('snippets stay refused with allow-snippet-annotations "true", and the event says why', () => {
  const anns = { [P + 'server-snippet']: 'return 200;' };
  assert.match(refusedSnippet(anns)!.event, /Snippet directives are disabled by the Ingress administrator$/);
  assert.match(refusedSnippet(anns, true)!.event, /knet has no nginx configuration to add snippets to \(allow-snippet-annotations has no effect\)$/);
});
