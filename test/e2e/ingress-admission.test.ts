// End-to-end: ingress-nginx's validating admission webhook, wired as its published deploy.yaml wires
// it (a Secret with cert/key/ca mounted at /usr/local/certificates/, the controller started with
// --validating-webhook=:8443, the `ingress-nginx-controller-admission` Service and the
// `ingress-nginx-admission` ValidatingWebhookConfiguration; objects written here with the kinds and
// structure of the real ones). A second Ingress for a host and path the first one serves is refused
// with ingress-nginx's words.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Knet, until } from './harness.js';
import { makeWebhookCerts } from '../../src/apiserver/webhooks/testcerts.js';

const NS = 'ingress-nginx';
const SELECTOR = { 'app.kubernetes.io/name': 'ingress-nginx', 'app.kubernetes.io/instance': 'ingress-nginx', 'app.kubernetes.io/component': 'controller' };

const ingress = (ns: string, name: string, annotations: Record<string, string> = {}) => JSON.stringify({
  apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name, namespace: ns, annotations },
  spec: { ingressClassName: 'nginx', rules: [{ http: { paths: [{ path: '/pay', pathType: 'Prefix', backend: { service: { name: 'pay', port: { number: 80 } } } }] } }] },
});

describe('ingress-nginx admission webhook', () => {
  const knet = new Knet(['--ingress']);
  const k = (...args: string[]) => knet.kubectl(args);

  before(async () => {
    await knet.start();
    const certs = makeWebhookCerts([`ingress-nginx-controller-admission.${NS}.svc`]);
    for (const [f, text] of [['cert', certs.cert], ['key', certs.key], ['ca', certs.caCert]] as const) writeFileSync(join(knet.dir, f), text);
    let r = await k('create', 'secret', 'generic', 'ingress-nginx-admission', '-n', NS, ...['cert', 'key', 'ca'].map((f) => `--from-file=${f}=${join(knet.dir, f)}`));
    assert.equal(r.code, 0, r.stderr);
    const patch = [
      ...['--validating-webhook=:8443', '--validating-webhook-certificate=/usr/local/certificates/cert', '--validating-webhook-key=/usr/local/certificates/key']
        .map((value) => ({ op: 'add', path: '/spec/template/spec/containers/0/args/-', value })),
      { op: 'add', path: '/spec/template/spec/containers/0/ports/-', value: { name: 'webhook', containerPort: 8443, protocol: 'TCP' } },
      { op: 'add', path: '/spec/template/spec/containers/0/volumeMounts', value: [{ name: 'webhook-cert', mountPath: '/usr/local/certificates/', readOnly: true }] },
      { op: 'add', path: '/spec/template/spec/volumes', value: [{ name: 'webhook-cert', secret: { secretName: 'ingress-nginx-admission' } }] },
    ];
    r = await k('patch', 'deployment', 'ingress-nginx-controller', '-n', NS, '--type=json', '-p', JSON.stringify(patch));
    assert.equal(r.code, 0, r.stderr);
    r = await k('rollout', 'status', 'deployment/ingress-nginx-controller', '-n', NS, '--timeout=90s');
    assert.equal(r.code, 0, r.stderr);
    r = await knet.kubectl(['apply', '-f', '-'], {
      input: JSON.stringify({
        apiVersion: 'v1', kind: 'List', items: [
          {
            apiVersion: 'v1', kind: 'Service', metadata: { name: 'ingress-nginx-controller-admission', namespace: NS },
            spec: { type: 'ClusterIP', selector: SELECTOR, ports: [{ name: 'https-webhook', port: 443, targetPort: 'webhook', appProtocol: 'https' }] },
          },
          {
            apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingWebhookConfiguration', metadata: { name: 'ingress-nginx-admission' },
            webhooks: [{
              name: 'validate.nginx.ingress.kubernetes.io', matchPolicy: 'Equivalent', failurePolicy: 'Fail', sideEffects: 'None', admissionReviewVersions: ['v1'],
              rules: [{ apiGroups: ['networking.k8s.io'], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['ingresses'] }],
              clientConfig: { service: { name: 'ingress-nginx-controller-admission', namespace: NS, path: '/networking/v1/ingresses', port: 443 }, caBundle: Buffer.from(certs.caCert).toString('base64') },
            }],
          },
        ],
      }),
    });
    assert.equal(r.code, 0, r.stderr);
  });
  after(() => knet.cleanup());

  it('refuses a second Ingress for the same host and path, as ingress-nginx words it', async () => {
    let r = await knet.kubectl(['apply', '-f', '-'], { input: ingress('default', 'first') });
    assert.equal(r.code, 0, r.stderr);
    await until('the controller serves the first Ingress', async () =>
      (await k('get', 'ingress', 'first', '-o', 'jsonpath={.status.loadBalancer.ingress[0].ip}')).stdout || undefined, 30_000);
    assert.equal((await k('create', 'namespace', 'crit')).code, 0);
    r = await knet.kubectl(['apply', '-f', '-'], { input: ingress('crit', 'second') });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^Error from server \(BadRequest\): error when creating "STDIN": admission webhook "validate.nginx.ingress.kubernetes.io" denied the request: host "_" and path "\/pay" is already defined in ingress default\/first\n$/);
    assert.equal((await k('get', 'ingress', '-n', 'crit', '-o', 'name')).stdout, '');
    r = await knet.kubectl(['apply', '-f', '-'], { input: ingress('crit', 'canary', { 'nginx.ingress.kubernetes.io/canary': 'true', 'nginx.ingress.kubernetes.io/canary-weight': '10' }) });
    assert.equal(r.code, 0, `a canary may share the host and path: ${r.stderr}`);
    r = await knet.kubectl(['apply', '-f', '-'], { input: ingress('default', 'first', { 'nginx.ingress.kubernetes.io/configuration-snippet': 'more_set_headers "X: y";' }) });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /admission webhook "validate.nginx.ingress.kubernetes.io" denied the request: /);
    const logs = (await k('logs', '-n', NS, 'deploy/ingress-nginx-controller')).stdout + (await k('logs', '-n', NS, 'deploy/ingress-nginx-controller')).stderr;
    assert.match(logs, /"Starting validation webhook" address=":8443"/);
  });
});
