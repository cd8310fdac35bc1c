// End-to-end: admission webhooks (issue 11). A webhook server (the agnhost `webhook` subcommand, as
// Kubernetes' e2e deploys it: test/e2e/apimachinery/webhook.go) runs in a pod with a TLS Secret
// mounted; the API server reaches it through its Service over the pod network, verifies TLS against
// caBundle, and honours rules, selectors, failurePolicy and timeoutSeconds with kube-apiserver's
// messages (k8s.io/apiserver/pkg/admission/plugin/webhook).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Knet, squash, until } from './harness.js';
import { makeWebhookCerts } from '../../src/apiserver/webhooks/testcerts.js';

const NS = 'webhook-e2e';
const SVC = 'e2e-test-webhook';

/** The webhook server: a pod and a Service 8443 → 8444, with the serving certificate from a Secret volume. */
const server = {
  apiVersion: 'v1', kind: 'List', items: [
    {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'sample-webhook', namespace: NS, labels: { app: 'sample-webhook' } },
      spec: {
        containers: [{
          name: 'sample-webhook', image: 'registry.k8s.io/e2e-test-images/agnhost:2.53',
          args: ['webhook', '--tls-cert-file=/webhook.local.config/certificates/tls.crt', '--tls-private-key-file=/webhook.local.config/certificates/tls.key', '--port=8444'],
          ports: [{ containerPort: 8444 }],
          readinessProbe: { tcpSocket: { port: 8444 }, periodSeconds: 1 },
          volumeMounts: [{ name: 'webhook-certs', mountPath: '/webhook.local.config/certificates', readOnly: true }],
        }],
        volumes: [{ name: 'webhook-certs', secret: { secretName: 'sample-webhook-secret' } }],
      },
    },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: SVC, namespace: NS }, spec: { selector: { app: 'sample-webhook' }, ports: [{ port: 8443, targetPort: 8444 }] } },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'no-endpoints', namespace: NS }, spec: { selector: { app: 'nothing-here' }, ports: [{ port: 443 }] } },
  ],
};

describe('admission webhooks', () => {
  const knet = new Knet();
  const k = (...args: string[]) => knet.kubectl(args);
  let ca = '';
  /** Namespaces labelled skip-webhooks=true (the server's own among them) are never sent to the webhooks. */
  const notSkipped = { matchExpressions: [{ key: 'skip-webhooks', operator: 'DoesNotExist' }] };
  const hook = (name: string, path: string, extra: Record<string, unknown> = {}, svc = { name: SVC, port: 8443 }) => ({
    name, sideEffects: 'None', admissionReviewVersions: ['v1', 'v1beta1'], namespaceSelector: notSkipped,
    clientConfig: { service: { namespace: NS, ...svc, path }, caBundle: ca },
    rules: [{ operations: ['CREATE', 'UPDATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['configmaps'] }],
    ...extra,
  });
  const apply = async (kind: 'Validating' | 'Mutating', name: string, webhooks: unknown[], version = 'default') => {
    const r = await knet.kubectl(['apply', '-f', '-'], { version, input: JSON.stringify({ apiVersion: 'admissionregistration.k8s.io/v1', kind: `${kind}WebhookConfiguration`, metadata: { name }, webhooks }) });
    assert.equal(r.code, 0, r.stderr);
  };

  before(async () => {
    await knet.start();
    const certs = makeWebhookCerts([`${SVC}.${NS}.svc`]);
    ca = Buffer.from(certs.caCert).toString('base64');
    writeFileSync(join(knet.dir, 'tls.crt'), certs.cert);
    writeFileSync(join(knet.dir, 'tls.key'), certs.key);
    for (const ns of [NS, 'skipped']) {
      assert.equal((await k('create', 'namespace', ns)).code, 0);
      assert.equal((await k('label', 'namespace', ns, 'skip-webhooks=true')).code, 0);
    }
    let r = await k('create', 'secret', 'tls', 'sample-webhook-secret', '-n', NS, '--cert', join(knet.dir, 'tls.crt'), '--key', join(knet.dir, 'tls.key'));
    assert.equal(r.code, 0, r.stderr);
    r = await knet.kubectl(['apply', '-f', '-'], { input: JSON.stringify(server) });
    assert.equal(r.code, 0, r.stderr);
    r = await k('wait', '--for=condition=Ready', 'pod/sample-webhook', '-n', NS, '--timeout=60s');
    assert.equal(r.code, 0, r.stderr + (await k('describe', 'pod', 'sample-webhook', '-n', NS)).stdout);
  });
  after(() => knet.cleanup());

  it('a mutating webhook adds a label to new pods, except in a namespace its namespaceSelector excludes', async () => {
    await apply('Mutating', 'add-label', [hook('add-label.webhook.example.com', '/add-label', {
      rules: [{ operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods'] }],
    })], '1.27'); // kubectl 1.27 validates against OpenAPI v2
    assert.equal((await k('run', 'labelled', '--image=nginx', '--labels=run=labelled')).code, 0);
    const got = squash((await k('get', 'pod', 'labelled', '--show-labels')).stdout).split('\n');
    assert.equal(got[0], 'NAME READY STATUS RESTARTS AGE LABELS');
    assert.match(got[1] ?? '', /^labelled .* added-label=yes,run=labelled$/);
    assert.equal((await k('run', 'plain', '--image=nginx', '-n', 'skipped', '--labels=run=plain')).code, 0);
    assert.equal((await k('get', 'pod', 'plain', '-n', 'skipped', '-o', 'jsonpath={.metadata.labels}')).stdout, '{"run":"plain"}');
    const rows = squash((await k('get', 'mutatingwebhookconfigurations')).stdout).split('\n');
    assert.equal(rows[0], 'NAME WEBHOOKS AGE');
    assert.match(rows[1] ?? '', /^add-label 1 \d+s$/);
  });

  it('a validating webhook denies a ConfigMap with upstream\'s message on kubectl\'s stderr (kubectl default and 1.27)', async () => {
    await apply('Validating', 'deny-configmap', [hook('deny-configmap.webhook.example.com', '/configmaps')]);
    for (const version of ['default', '1.27']) {
      const r = await knet.kubectl(['create', 'configmap', `bad-${version.replace('.', '-')}`, '--from-literal=webhook-e2e-test=webhook-disallow'], { version });
      assert.equal(r.code, 1);
      assert.match(r.stderr, /admission webhook "deny-configmap.webhook.example.com" denied the request: the configmap contains unwanted key and value\n$/);
    }
    assert.equal((await k('create', 'configmap', 'fine', '--from-literal=a=b')).code, 0);
    assert.equal((await k('create', 'configmap', 'bad', '-n', 'skipped', '--from-literal=webhook-e2e-test=webhook-disallow')).code, 0, 'namespaceSelector excludes it');
    const rows = squash((await k('get', 'validatingwebhookconfigurations')).stdout).split('\n');
    assert.equal(rows[0], 'NAME WEBHOOKS AGE');
    assert.match(rows[1] ?? '', /^deny-configmap 1 \d+s$/);
  });

  it('a Service without endpoints: failurePolicy Fail refuses with kube-apiserver\'s words, Ignore lets the request through', async () => {
    const only = (v: string) => ({ objectSelector: { matchLabels: { policy: v } } });
    await apply('Validating', 'unreachable', [
      hook('fail-closed.webhook.example.com', '/configmaps', { failurePolicy: 'Fail', ...only('fail') }, { name: 'no-endpoints', port: 443 }),
      hook('fail-open.webhook.example.com', '/configmaps', { failurePolicy: 'Ignore', ...only('ignore') }, { name: 'no-endpoints', port: 443 }),
    ]);
    const ip = (await k('get', 'svc', 'no-endpoints', '-n', NS, '-o', 'jsonpath={.spec.clusterIP}')).stdout;
    const mk = (name: string, policy: string) => knet.kubectl(['apply', '-f', '-'], { input: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels: { policy } } }) });
    const r = await mk('closed', 'fail');
    assert.equal(r.code, 1);
    assert.ok(r.stderr.includes(`Internal error occurred: failed calling webhook "fail-closed.webhook.example.com": failed to call webhook: Post "https://no-endpoints.${NS}.svc:443/configmaps?timeout=10s": dial tcp ${ip}:443: connect: connection refused`), r.stderr);
    assert.equal((await mk('open', 'ignore')).code, 0);
    assert.equal((await k('get', 'configmap', 'open', '-o', 'name')).stdout, 'configmap/open\n');
  });

  it('a webhook slower than timeoutSeconds fails the request after that time', async () => {
    await apply('Validating', 'slow', [hook('slow.webhook.example.com', '/always-allow-delay-5s', { timeoutSeconds: 1, objectSelector: { matchLabels: { slow: 'yes' } } })]);
    const t0 = Date.now();
    const r = await knet.kubectl(['apply', '-f', '-'], { input: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'slow', labels: { slow: 'yes' } } }) });
    const took = Date.now() - t0;
    assert.equal(r.code, 1);
    assert.ok(r.stderr.includes(`failed calling webhook "slow.webhook.example.com": failed to call webhook: Post "https://${SVC}.${NS}.svc:8443/always-allow-delay-5s?timeout=1s": context deadline exceeded`), r.stderr);
    assert.ok(took < 4500, `took ${took} ms`);
    // Other requests go on meanwhile: the API server is not held by a slow call (here 4 s).
    await apply('Validating', 'slower', [hook('slower.webhook.example.com', '/always-allow-delay-5s', { timeoutSeconds: 4, objectSelector: { matchLabels: { slow: 'longer' } } })]);
    const done = async (p: Promise<unknown>) => { await p; return Date.now(); };
    const [slowDone, quickDone] = await Promise.all([
      done(knet.kubectl(['apply', '-f', '-'], { input: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'slow2', labels: { slow: 'longer' } } }) })),
      done(new Promise((r) => setTimeout(r, 300)).then(() => until('a quick request while a slow webhook call runs', async () => ((await k('get', 'ns', NS, '-o', 'name')).code === 0 ? true : undefined)))),
    ]);
    assert.ok(quickDone < slowDone, `the quick request ended ${quickDone - slowDone} ms after the slow one`);
  });

  it('CONNECT admission: a webhook refuses `kubectl attach -i` to container1 (kubectl default and 1.27)', async () => {
    await apply('Validating', 'deny-attaching-pod', [hook('deny-attaching-pod.webhook.example.com', '/pods/attach', {
      rules: [{ operations: ['CONNECT'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods/attach'] }],
    })]);
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'to-be-attached-pod' }, spec: { containers: [{ name: 'container1', image: 'busybox', command: ['sh', '-c', 'sleep 600'], stdin: true }] } };
    assert.equal((await knet.kubectl(['apply', '-f', '-'], { input: JSON.stringify(pod) })).code, 0);
    assert.equal((await k('wait', '--for=condition=Ready', 'pod/to-be-attached-pod', '--timeout=60s')).code, 0);
    for (const version of ['default', '1.27']) {
      const r = await knet.kubectl(['attach', 'to-be-attached-pod', '-i', '-c', 'container1'], { version, timeoutMs: 20_000 });
      assert.notEqual(r.code, 0);
      assert.ok(r.stderr.includes('admission webhook "deny-attaching-pod.webhook.example.com" denied the request: attaching to pod \'to-be-attached-pod\' is not allowed'), `${version}: ${r.stderr}`);
    }
  });

  it('configurations are validated with upstream\'s field paths', async () => {
    const r = await knet.kubectl(['apply', '-f', '-'], {
      input: JSON.stringify({
        apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingWebhookConfiguration', metadata: { name: 'broken' },
        webhooks: [
          { name: 'deny', sideEffects: 'Some', admissionReviewVersions: ['v1'], clientConfig: { url: 'http://example.com/x' }, rules: [{ operations: ['GET'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods'] }] },
          { name: 'dup.example.com', sideEffects: 'None', admissionReviewVersions: ['v1'], clientConfig: { service: { namespace: NS, name: SVC } } },
          { name: 'dup.example.com', sideEffects: 'None', admissionReviewVersions: ['v1'], timeoutSeconds: 31, clientConfig: { service: { namespace: NS, name: SVC }, url: 'https://x.example.com' } },
        ],
      }),
    });
    assert.equal(r.code, 1);
    const want = [
      'webhooks[0].name: Invalid value: "deny": should be a domain with at least three segments separated by dots',
      'webhooks[0].rules[0].operations[0]: Unsupported value: "GET": supported values: "*", "CONNECT", "CREATE", "DELETE", "UPDATE"',
      'webhooks[0].sideEffects: Unsupported value: "Some": supported values: "None", "NoneOnDryRun"',
      'webhooks[0].clientConfig.url: Invalid value: "http": \'https\' is the only allowed URL scheme; desired format: https://host[/path]',
      'webhooks[2].timeoutSeconds: Invalid value: 31: the timeout value must be between 1 and 30 seconds',
      'webhooks[2].clientConfig: Required value: exactly one of url or service is required',
      'webhooks[2].name: Duplicate value: "dup.example.com"',
    ];
    for (const w of want) assert.ok(r.stderr.includes(w), `${w}\nin:\n${r.stderr}`);
  });
});
