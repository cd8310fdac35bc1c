// startIngressRoutes over a real ClusterView of an in-process store: classes, events, live ConfigMap
// and Secret changes, TLS selection, refused Ingresses (notes §1.3, §1.6, §3, §5.11, §6).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KObject } from '../../api/meta.js';
import type { Client } from '../../client/client.js';
import type { ClusterView } from '../../client/view.js';
import { baseEnv } from '../../controllers/util/testenv.js';
import { createFakeCertificate } from './certs.js';
import { route } from './match.js';
import type { Certificate } from './model.js';
import { startIngressRoutes, type IngressRoutes } from './routes.js';
import { hit } from './testkit.js';

const ING = { resource: 'ingresses', group: 'networking.k8s.io' };
const CLASSES = { resource: 'ingressclasses', group: 'networking.k8s.io' };
const P = 'nginx.ingress.kubernetes.io/';
let client: Client;
let view: ClusterView;
let fake: Certificate;
let routes: IngressRoutes;
const logs: string[] = [];
const events: string[] = [];

function selfSigned(host: string): { crt: string; key: string } {
  const dir = mkdtempSync(join(tmpdir(), 'ingress-tls-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-subj', `/CN=${host}`, '-addext', `subjectAltName=DNS:${host}`, '-days', '2', '-keyout', join(dir, 'key'), '-out', join(dir, 'crt')], { stdio: 'ignore' });
    return { key: readFileSync(join(dir, 'key'), 'utf8'), crt: readFileSync(join(dir, 'crt'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
const rulesFor = (host: string) => [{ host, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } }];

const simple = (name: string, host: string, extra: Record<string, unknown> = {}, annotations?: Record<string, string>): KObject => ({
  metadata: { name, namespace: 'default', ...(annotations ? { annotations } : {}) },
  spec: { ingressClassName: 'nginx', rules: [{ host, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } }], ...extra },
});

async function settled(): Promise<void> {
  await new Promise((r) => setTimeout(r, 5));
  await routes.synced();
}

before(async () => {
  const env = await baseEnv(1);
  client = env.client;
  view = env.view;
  fake = (await createFakeCertificate()).certificate;
  await client.create(CLASSES, { metadata: { name: 'nginx' }, spec: { controller: 'k8s.io/ingress-nginx' } });
  await client.create(CLASSES, { metadata: { name: 'other' }, spec: { controller: 'example.com/other' } });
  await client.create({ resource: 'services' }, { metadata: { name: 'web', namespace: 'default' }, spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] } });
  await client.create({ resource: 'endpointslices', group: 'discovery.k8s.io' }, {
    metadata: { name: 'web-1', namespace: 'default', labels: { 'kubernetes.io/service-name': 'web' } }, addressType: 'IPv4',
    ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
    endpoints: [{ addresses: ['10.244.0.5'], conditions: { ready: true } }, { addresses: ['10.244.0.6'], conditions: { ready: false } }, { addresses: ['10.244.0.4'] }],
  });
  routes = startIngressRoutes({
    view, controllerClass: 'k8s.io/ingress-nginx', ingressClass: 'nginx', watchWithoutClass: false, configMap: 'default/ingress-nginx-controller', defaultCertificate: fake,
    log: (sev, msg, kv) => logs.push(`${sev} ${msg}${kv ? ' ' + Object.entries(kv).map(([k, v]) => `${k}="${v}"`).join(' ') : ''}`),
    event: (obj, type, reason, message) => events.push(`${obj.metadata.name} ${type} ${reason} ${message}`),
  });
});

after(() => { routes.stop(); view.stop(); });

test('served by class name, by annotation only, not by a foreign class or without class', async () => {
  await client.create(ING, simple('by-name', 'a.example'));
  await client.create(ING, { metadata: { name: 'by-annotation', namespace: 'default', annotations: { 'kubernetes.io/ingress.class': 'nginx' } }, spec: { rules: rulesFor('b.example') } });
  await client.create(ING, { metadata: { name: 'foreign', namespace: 'default' }, spec: { ingressClassName: 'other', rules: rulesFor('c.example') } });
  await client.create(ING, { metadata: { name: 'classless', namespace: 'default' }, spec: { rules: rulesFor('d.example') } });
  await settled();
  const t = routes.current();
  assert.deepEqual(['a.example', 'b.example', 'c.example', 'd.example'].map((h) => hit(t, h, '/')), ['web', 'web', '404', '404']);
  assert.deepEqual(routes.served().map((i) => i.metadata.name).sort(), ['by-annotation', 'by-name']);
  assert.ok(logs.includes('I Found valid IngressClass ingress="default/by-name" ingressclass="nginx"'));
  assert.ok(logs.includes('I Ignoring ingress because of error while validating ingress class ingress="default/foreign" error="no object matching key "other" in local store"'));
  assert.ok(logs.includes('I Ignoring ingress because of error while validating ingress class ingress="default/classless" error="ingress does not contain a valid IngressClass"'));
  assert.equal(events.filter((e) => e === 'by-name Normal Sync Scheduled for sync').length, 1);
  const r = route(t, 'a.example', '/');
  assert.equal(r.kind, 'location');
  if (r.kind === 'location') assert.deepEqual(r.location.upstream, { name: 'default-web-80', namespace: 'default', service: 'web', port: 80, endpoints: [{ ip: '10.244.0.4', port: 8080 }, { ip: '10.244.0.5', port: 8080 }] });
});

test('Sync is announced once per version, not per recompile', async () => {
  await client.create(ING, simple('unrelated', 'z.example'));
  await settled();
  assert.equal(events.filter((e) => e.startsWith('by-name Normal Sync')).length, 1);
  await client.patch(ING, 'default', 'by-name', 'merge', { metadata: { labels: { touched: 'yes' } } });
  await settled();
  assert.equal(events.filter((e) => e.startsWith('by-name Normal Sync')).length, 2);
});

test('a backend by Service port name and by number reach the same ready endpoints, at the slice\'s target port', async () => {
  const path = (p: string, port: Record<string, unknown>) => ({ path: p, pathType: 'Prefix', backend: { service: { name: 'web', port } } });
  await client.create(ING, { metadata: { name: 'ports', namespace: 'default' }, spec: { ingressClassName: 'nginx', rules: [{ host: 'ports.example', http: { paths: [path('/by-name', { name: 'http' }), path('/by-number', { number: 80 })] } }] } });
  await settled();
  const upstreamOf = (uri: string) => {
    const r = route(routes.current(), 'ports.example', uri);
    assert.ok(r.kind === 'location' && r.location.upstream);
    return r.location.upstream;
  };
  const byName = upstreamOf('/by-name');
  const byNumber = upstreamOf('/by-number');
  assert.equal(byName.name, 'default-web-http');
  assert.equal(byNumber.name, 'default-web-80');
  // Ready (and unset-ready) endpoints only, at the EndpointSlice's port 8080, not the Service port 80.
  assert.deepEqual(byName.endpoints, [{ ip: '10.244.0.4', port: 8080 }, { ip: '10.244.0.5', port: 8080 }]);
  assert.deepEqual(byNumber.endpoints, byName.endpoints);
});

test('a missing Service gives an upstream without endpoints and a problem, a log line and one Warning event', async () => {
  await client.create(ING, { ...simple('nosvc', 'nosvc.example'), spec: { ingressClassName: 'nginx', rules: [{ host: 'nosvc.example', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'ghost', port: { name: 'http' } } } }] } }] } });
  await settled();
  const r = route(routes.current(), 'nosvc.example', '/');
  assert.ok(r.kind === 'location' && r.location.upstream?.endpoints.length === 0 && r.location.upstream.problem === 'service default/ghost not found' && r.location.upstream.name === 'default-ghost-http');
  assert.ok(logs.includes('W Error obtaining Endpoints for Service "default/ghost": no object matching key "default/ghost" in local store'));
  assert.deepEqual(events.filter((e) => e.startsWith('nosvc Warning')), ['nosvc Warning ServiceNotFound Service "default/ghost" not found: requests routed to it get 503']);
});

test('an invalid annotation value refuses the Ingress; the last accepted version keeps serving', async () => {
  await client.create(ING, simple('limited', 'limited.example', {}, { [P + 'limit-rps']: 'abc' }));
  await settled();
  assert.equal(hit(routes.current(), 'limited.example', '/'), '404');
  assert.ok(logs.includes('E validation error on ingress default/limited: annotation limit-rps contains invalid value abc'));
  assert.ok(events.includes('limited Warning Rejected validation error on ingress default/limited: annotation limit-rps contains invalid value abc'));
  await client.patch(ING, 'default', 'limited', 'merge', { metadata: { annotations: { [P + 'limit-rps']: '5' } } });
  await settled();
  assert.equal(hit(routes.current(), 'limited.example', '/'), 'web');
  await client.patch(ING, 'default', 'limited', 'merge', { metadata: { annotations: { [P + 'limit-rps']: 'x' } } });
  await settled();
  const r = route(routes.current(), 'limited.example', '/');
  assert.ok(r.kind === 'location' && r.location.config.limits?.rps === 5, 'the accepted version still serves');
});

test('snippet annotations refuse the Ingress with the webhook\'s text; unknown annotations only warn', async () => {
  await client.create(ING, simple('snippet', 'snippet.example', {}, { [P + 'configuration-snippet']: 'return 200;' }));
  await client.create(ING, simple('unknown', 'unknown.example', {}, { [P + 'made-up']: 'x' }));
  await settled();
  assert.equal(hit(routes.current(), 'snippet.example', '/'), '404');
  assert.equal(hit(routes.current(), 'unknown.example', '/'), 'web');
  assert.ok(events.includes('snippet Warning Rejected nginx.ingress.kubernetes.io/configuration-snippet annotation cannot be used. Snippet directives are disabled by the Ingress administrator'));
  assert.ok(logs.some((l) => l.startsWith('E annotation group ConfigurationSnippet contains risky annotation based on ingress configuration')));
  assert.ok(events.includes('unknown Warning UnsupportedAnnotation annotation nginx.ingress.kubernetes.io/made-up is not supported by knet and has no effect'));
});

test('a regex path re2js cannot run (lookahead) is not served: a log line and an InvalidPath Warning event', async () => {
  await client.create(ING, { ...simple('pcre', 'pcre.example', {}, { [P + 'use-regex']: 'true' }), spec: { ingressClassName: 'nginx', rules: [{ host: 'pcre.example', http: { paths: [
    { path: '/(?!admin).*', pathType: 'ImplementationSpecific', backend: { service: { name: 'web', port: { number: 80 } } } },
    { path: '/ok/[0-9]+', pathType: 'ImplementationSpecific', backend: { service: { name: 'web', port: { number: 80 } } } },
  ] } }] } });
  await settled();
  assert.equal(hit(routes.current(), 'pcre.example', '/ok/12'), 'web');
  assert.equal(hit(routes.current(), 'pcre.example', '/user'), '404');
  assert.ok(logs.includes('E invalid regular expression in path /(?!admin).*: location ignored ingress="default/pcre"'));
  assert.deepEqual(events.filter((e) => e.startsWith('pcre Warning')), [
    'pcre Warning InvalidPath path /(?!admin).* is not a regular expression knet can run (RE2 syntax: no lookaround or backreferences); the path is not served',
  ]);
});

test('strict-validate-path-type refuses regex paths with Prefix', async () => {
  await client.create(ING, { ...simple('badpath', 'badpath.example'), spec: { ingressClassName: 'nginx', rules: [{ host: 'badpath.example', http: { paths: [{ path: '/foo/.*', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } }] } });
  await settled();
  assert.ok(logs.includes('E ingress contains invalid paths: path /foo/.* cannot be used with pathType Prefix'));
  assert.equal(hit(routes.current(), 'badpath.example', '/foo/x'), '404');
});

test('the ConfigMap applies live', async () => {
  const sslRedirect = () => { const r = route(routes.current(), 'a.example', '/'); return r.kind === 'location' ? r.location.config.sslRedirect : undefined; };
  assert.equal(sslRedirect(), true);
  await client.create({ resource: 'configmaps' }, { metadata: { name: 'ingress-nginx-controller', namespace: 'default' }, data: { 'ssl-redirect': 'false', 'hsts': 'false' } });
  await settled();
  assert.equal(sslRedirect(), false);
  assert.equal(routes.current().global.hsts, false);
  await client.patch({ resource: 'configmaps' }, 'default', 'ingress-nginx-controller', 'merge', { data: { 'ssl-redirect': 'true' } });
  await settled();
  assert.equal(sslRedirect(), true);
});

test('TLS: the Secret listing the host, the default certificate for a missing or invalid Secret, live Secret changes', async () => {
  const good = selfSigned('secure.example');
  const tls = (secretName: string, host: string) => ({ tls: [{ hosts: [host], secretName }] });
  await client.create({ resource: 'secrets' }, { metadata: { name: 'good', namespace: 'default' }, type: 'kubernetes.io/tls', data: { 'tls.crt': Buffer.from(good.crt).toString('base64'), 'tls.key': Buffer.from(good.key).toString('base64') } });
  const other = selfSigned('other.example');
  await client.create({ resource: 'secrets' }, { metadata: { name: 'mismatch', namespace: 'default' }, type: 'kubernetes.io/tls', data: { 'tls.crt': Buffer.from(good.crt).toString('base64'), 'tls.key': Buffer.from(other.key).toString('base64') } });
  await client.create(ING, simple('secure', 'secure.example', tls('good', 'secure.example')));
  await client.create(ING, simple('missing', 'missing.example', tls('absent', 'missing.example')));
  await client.create(ING, simple('bad', 'bad.example', tls('mismatch', 'bad.example')));
  await settled();
  const t = routes.current();
  assert.equal(t.servers.get('secure.example')?.certificate?.source, 'default/good');
  assert.equal(t.servers.get('missing.example')?.certificate, fake);
  assert.equal(t.servers.get('bad.example')?.certificate, fake);
  assert.equal(t.servers.get('a.example')?.certificate, undefined, 'no spec.tls, no certificate');
  assert.ok(logs.includes('W Error getting SSL certificate "default/absent": local SSL certificate default/absent was not found. Using default certificate'));
  assert.ok(events.some((e) => e.startsWith('bad Warning InvalidTLSSecret Error getting SSL certificate "default/mismatch": unexpected error creating SSL Cert')));
  const missing = selfSigned('missing.example');
  await client.create({ resource: 'secrets' }, { metadata: { name: 'absent', namespace: 'default' }, type: 'kubernetes.io/tls', data: { 'tls.crt': Buffer.from(missing.crt).toString('base64'), 'tls.key': Buffer.from(missing.key).toString('base64') } });
  await settled();
  assert.equal(routes.current().servers.get('missing.example')?.certificate?.source, 'default/absent');
});

test('auth-secret changes apply live', async () => {
  await client.create(ING, simple('auth', 'auth.example', {}, { [P + 'auth-type']: 'basic', [P + 'auth-secret']: 'htpasswd' }));
  await settled();
  const auth = () => { const r = route(routes.current(), 'auth.example', '/'); return r.kind === 'location' ? r.location.config.auth : undefined; };
  assert.ok(auth()?.denied?.includes('not found'));
  assert.ok(events.some((e) => e.startsWith('auth Warning AnnotationParsingFailed Error parsing annotations: unexpected error reading secret default/htpasswd')));
  await client.create({ resource: 'secrets' }, { metadata: { name: 'htpasswd', namespace: 'default' }, data: { auth: Buffer.from('foo:$apr1$OFG3Xybp$ckL0FHDAkoXYIlH9.cysT0\n').toString('base64') } });
  await settled();
  assert.equal(auth()?.denied, undefined);
  assert.equal(await auth()?.verify('foo', 'bar'), true);
});
