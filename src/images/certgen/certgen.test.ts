import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import tls from 'node:tls';
import { PassThrough } from 'node:stream';
import { createNetwork } from '../../net/network.js';
import { MemoryFileSystem } from '../fs.js';
import type { ProcessContext } from '../types.js';
import { serveHttps } from '../util/admission.js';
import { inClusterClient, SERVICE_ACCOUNT_DIR, type ApiClient, type ApiResponse } from '../util/incluster.js';
import { ImageRegistry } from '../registry.js';
import { generateCerts } from './certs.js';
import { certgen } from './index.js';
import { Logrus } from './logrus.js';

/** An API server in memory: objects by path; PUT replaces, POST creates (409 when present). */
function fakeApi(objects: Record<string, Record<string, unknown>> = {}): ApiClient & { objects: typeof objects; calls: string[] } {
  const calls: string[] = [];
  const notFound = (path: string): ApiResponse => ({ status: 404, body: { kind: 'Status', message: `${path.split('/').at(-2) ?? ''} "${path.split('/').pop() ?? ''}" not found` } });
  return {
    objects, calls,
    request(method, path, body) {
      calls.push(`${method} ${path}`);
      if (method === 'GET') return Promise.resolve(objects[path] ? { status: 200, body: structuredClone(objects[path]) } : notFound(path));
      const obj = body as { metadata: { name: string } };
      const at = method === 'POST' ? `${path}/${obj.metadata.name}` : path;
      if (method === 'POST' && objects[at]) return Promise.resolve({ status: 409, body: { message: 'already exists' } });
      if (method === 'PUT' && !objects[at]) return Promise.resolve(notFound(at));
      objects[at] = structuredClone(body) as Record<string, unknown>;
      return Promise.resolve({ status: method === 'POST' ? 201 : 200, body: objects[at] });
    },
  };
}

function context(argv: string[], env: Record<string, string> = {}, files: Record<string, string> = {}): { ctx: ProcessContext; out: () => string; err: () => string } {
  const stdout = new PassThrough(), stderr = new PassThrough();
  let out = '', err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  const ctx = {
    argv: ['/kube-webhook-certgen', ...argv], env, cwd: '/', stdin: null, stdout, stderr, signal: new AbortController().signal, fs: new MemoryFileSystem(files),
    pod: { namespace: 'ingress-nginx', name: 'p', uid: 'u', ip: '10.244.0.7', nodeName: 'n', nodeIP: '127.1.0.1', hostname: 'p', containerName: 'create', image: 'x', labels: {} },
    net: createNetwork().addStack(['10.244.0.7'], { kind: 'pod', name: 'p' }), cluster: {}, spawn: () => Promise.resolve(127),
  } as ProcessContext;
  return { ctx, out: () => out, err: () => err };
}

const SECRET = '/api/v1/namespaces/ingress-nginx/secrets/ingress-nginx-admission';
const VWC = '/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations/ingress-nginx-admission';
const CREATE = ['create', '--host=ingress-nginx-controller-admission,ingress-nginx-controller-admission.ingress-nginx.svc,10.0.0.9', '--namespace=ingress-nginx', '--secret-name=ingress-nginx-admission'];
const PATCH = ['patch', '--webhook-name=ingress-nginx-admission', '--namespace=ingress-nginx', '--patch-mutating=false', '--secret-name=ingress-nginx-admission', '--patch-failure-policy=Fail'];
const entries = (out: string) => out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, string>);

test('the certificates: a P-256 CA that signed a serving certificate for the hosts (DNS and IP SANs), the key in SEC1', async () => {
  const c = await generateCerts('svc,svc.ns.svc,10.0.0.9');
  const ca = new X509Certificate(c.ca), leaf = new X509Certificate(c.cert);
  assert.equal(ca.ca, true);
  assert.equal(ca.subject, 'O=nil1');
  assert.equal(leaf.ca, false);
  assert.ok(leaf.verify(ca.publicKey));
  assert.equal(leaf.subjectAltName, 'DNS:svc, DNS:svc.ns.svc, IP Address:10.0.0.9');
  assert.ok(new Date(leaf.validTo).getTime() > Date.now() + 99 * 365 * 86_400_000);
  assert.match(c.key, /^-----BEGIN EC PRIVATE KEY-----\n/);
  assert.equal(createPrivateKey(c.key).asymmetricKeyDetails?.namedCurve, 'prime256v1');
  assert.doesNotThrow(() => tls.createSecureContext({ cert: c.cert, key: c.key }));
});

test('create stores ca/cert/key in the Secret and logs as logrus JSON; a second run keeps it', async () => {
  const api = fakeApi();
  const first = context(CREATE);
  assert.equal(await certgen(first.ctx, api), 0);
  const [noSecret, creating] = entries(first.out());
  assert.deepEqual({ ...noSecret, time: '' }, { err: 'secrets "ingress-nginx-admission" not found', level: 'info', msg: 'no secret found', source: 'k8s/k8s.go:229', time: '' });
  assert.equal(creating?.msg, 'creating new secret');
  assert.match(first.out().split('\n')[1] ?? '', /^\{"level":"info","msg":"creating new secret","source":"cmd\/create\.go:28","time":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"\}$/);
  const data = api.objects[SECRET]?.data as Record<string, string>;
  assert.deepEqual(Object.keys(data).sort(), ['ca', 'cert', 'key']);
  assert.ok(new X509Certificate(Buffer.from(data.cert!, 'base64')).checkHost('ingress-nginx-controller-admission.ingress-nginx.svc'));
  const again = context(CREATE);
  assert.equal(await certgen(again.ctx, api), 0);
  assert.equal(entries(again.out()).at(-1)?.msg, 'secret already exists');
  assert.deepEqual(api.objects[SECRET]?.data, data);
});

test('patch sets every webhook caBundle and failurePolicy; without the Secret it fails (exit 1) so the Job retries', async () => {
  const api = fakeApi({
    [VWC]: { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingWebhookConfiguration', metadata: { name: 'ingress-nginx-admission' },
      webhooks: [{ name: 'a', failurePolicy: 'Ignore', clientConfig: { service: { name: 's', namespace: 'ingress-nginx' } } }, { name: 'b', clientConfig: {} }] },
  });
  const early = context(PATCH);
  assert.equal(await certgen(early.ctx, api), 1);
  assert.deepEqual(entries(early.out()).map((e) => [e.level, e.msg, e.source]), [
    ['info', 'no secret found', 'k8s/k8s.go:229'], ['fatal', "no secret with 'ingress-nginx-admission' in 'ingress-nginx'", 'cmd/patch.go:106'],
  ]);
  assert.equal(await certgen(context(CREATE).ctx, api), 0);
  const ok = context(PATCH);
  assert.equal(await certgen(ok.ctx, api), 0);
  assert.deepEqual(entries(ok.out()).map((e) => e.msg), [
    "patching webhook configurations 'ingress-nginx-admission' mutating=false, validating=true, failurePolicy=Fail", 'Patched hook(s)',
  ]);
  const ca = (api.objects[SECRET]?.data as Record<string, string>).ca;
  for (const h of api.objects[VWC]?.webhooks as { clientConfig: { caBundle: string; service?: object }; failurePolicy: string }[]) {
    assert.equal(h.clientConfig.caBundle, ca);
    assert.equal(h.failurePolicy, 'Fail');
  }
  assert.ok(!api.calls.some((c) => c.includes('mutatingwebhookconfigurations')), '--patch-mutating=false leaves mutating configurations alone');
  const missing = context([...PATCH.slice(0, 3), '--patch-mutating=true', ...PATCH.slice(4)]);
  assert.equal(await certgen(missing.ctx, api), 1);
  assert.deepEqual(entries(missing.out()).at(-1), { ...entries(missing.out()).at(-1), level: 'fatal', msg: 'failed getting mutating webhook', err: 'mutatingwebhookconfigurations "ingress-nginx-admission" not found' });
});

test('flags: cobra errors for unknown commands and required flags; bad policies and no in-cluster config are fatal', async () => {
  const api = fakeApi();
  let c = context(['rotate']);
  assert.equal(await certgen(c.ctx, api), 1);
  assert.equal(c.err(), 'Error: unknown command "rotate" for "kube-webhook-certgen"\nRun \'kube-webhook-certgen --help\' for usage.\n');
  c = context(['create', '--namespace=x']);
  assert.equal(await certgen(c.ctx, api), 1);
  assert.equal(c.err(), 'Error: required flag(s) "host", "secret-name" not set\n');
  c = context(['patch', '--namespace=x', '--secret-name=s', '--patch-failure-policy=Sometimes']);
  assert.equal(await certgen(c.ctx, api), 1);
  assert.equal(entries(c.out())[0]?.msg, 'patch-failure-policy Sometimes is not valid');
  c = context(CREATE);
  assert.equal(await certgen(c.ctx), 1);
  assert.match(entries(c.out())[0]?.error ?? '', /KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be defined/);
  c = context(['create', '--log-format=text', ...CREATE.slice(1)]);
  assert.equal(await certgen(c.ctx, api), 0);
  assert.match(c.out(), /^time="[^"]+" level=info msg="no secret found" err="secrets \\"ingress-nginx-admission\\" not found" source="k8s\/k8s\.go:229"\ntime="[^"]+" level=info msg="creating new secret" source="cmd\/create\.go:28"\n$/);
});

test('the in-cluster client speaks TLS to $KUBERNETES_SERVICE_HOST verified against ca.crt, with the bearer token', async () => {
  const network = createNetwork();
  const apiserver = network.addStack(['10.96.0.1'], { kind: 'pod', name: 'apiserver' });
  const certs = await generateCerts('10.96.0.1');
  let auth = '';
  const server = serveHttps(apiserver, 443, tls.createSecureContext({ cert: certs.cert, key: certs.key }), (req, res) => {
    auth = req.headers.authorization ?? '';
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ kind: 'Secret', path: req.url }));
  });
  try {
    const files = { [`${SERVICE_ACCOUNT_DIR}/token`]: 'tok123\n', [`${SERVICE_ACCOUNT_DIR}/ca.crt`]: certs.ca };
    const { ctx } = context([], { KUBERNETES_SERVICE_HOST: '10.96.0.1', KUBERNETES_SERVICE_PORT: '443' }, files);
    const pod = { ...ctx, net: network.addStack(['10.244.0.8'], { kind: 'pod', name: 'p' }) };
    const client = inClusterClient(pod);
    assert.ok(!('error' in client));
    assert.deepEqual(await client.request('GET', '/api/v1/namespaces/x/secrets/y'), { status: 200, body: { kind: 'Secret', path: '/api/v1/namespaces/x/secrets/y' } });
    assert.equal(auth, 'Bearer tok123');
    const other = await generateCerts('10.96.0.1');
    const wrong = inClusterClient({ ...pod, fs: new MemoryFileSystem({ ...files, [`${SERVICE_ACCOUNT_DIR}/ca.crt`]: other.ca }) });
    assert.ok(!('error' in wrong));
    await assert.rejects(wrong.request('GET', '/api'), /^Error: Get "https:\/\/10\.96\.0\.1:443\/api": tls: failed to verify certificate: x509: /);
  } finally {
    server.close();
  }
});

test('the image answers to registry.k8s.io/ingress-nginx/kube-webhook-certgen at any tag', () => {
  const def = new ImageRegistry().resolve('registry.k8s.io/ingress-nginx/kube-webhook-certgen:v1.6.9@sha256:01038e7de14b78d702d2849c3aad72fd25903c4765af63cf16aa3398f5d5f2dd');
  assert.deepEqual(def?.entrypoint, ['/kube-webhook-certgen']);
  assert.equal(new Logrus(new PassThrough()) instanceof Logrus, true);
});
