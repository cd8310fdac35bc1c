// The webhook plugins end to end inside one process: an agnhost `webhook` server on a pod stack,
// reached through its Service with TLS verified against caBundle, as kube-apiserver calls it
// (k8s.io/apiserver/pkg/admission/plugin/webhook; agnhost handlers in test/images/agnhost/webhook).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allKinds } from '../../api/kinds/index.js';
import type { KObject } from '../../api/meta.js';
import { MemoryStore } from '../../store/memory.js';
import { createNetwork } from '../../net/network.js';
import { agnhostImage } from '../../images/agnhost/index.js';
import { run } from '../../images/util/testkit.js';
import { createObject, updateObject } from '../storage/write.js';
import { deleteObject } from '../storage/delete.js';
import { admitConnect, connectOptions } from '../storage/connect.js';
import { ADMIN_USER } from '../storage/attributes.js';
import { makeWebhookCerts } from './testcerts.js';
import { webhookAdmission } from './index.js';

const def = (kind: string) => allKinds.find((k) => k.kind === kind)!;
const certs = makeWebhookCerts(['wh.default.svc']);
const ca = Buffer.from(certs.caCert).toString('base64');

async function world() {
  const store = new MemoryStore();
  const net = createNetwork();
  const api = net.addStack(['127.1.0.1'], { kind: 'node', name: 'cp' });
  const pod = net.addStack(['10.244.0.5'], { kind: 'pod', namespace: 'default', name: 'wh' });
  const image = { ...agnhostImage, files: { '/certs/tls.crt': certs.cert, '/certs/tls.key': certs.key } };
  const server = run(image, ['/agnhost', 'webhook', '--tls-cert-file=/certs/tls.crt', '--tls-private-key-file=/certs/tls.key', '--port=8443'], pod);
  const logs: string[] = [];
  const hooks = webhookAdmission(store, { stack: () => api, log: (l) => logs.push(l) });
  for (const [ns, labels] of [['default', {}], ['skip', { 'webhooks.example.com/skip': 'true' }]] as const) {
    await createObject(store, def('Namespace'), '', { metadata: { name: ns, labels: { ...labels } } }, {}, {});
  }
  // A Service whose ClusterIP is the pod's own address: no service proxy runs in this test.
  const svc = (name: string, port: number) => ({ metadata: { name }, spec: { clusterIP: '10.244.0.5', clusterIPs: ['10.244.0.5'], ports: [{ port, targetPort: 8443 }] } });
  await store.create('/core/services/default/wh', { apiVersion: 'v1', kind: 'Service', ...svc('wh', 8443) });
  await store.create('/core/services/default/closed', { apiVersion: 'v1', kind: 'Service', ...svc('closed', 9999) });
  return { store, hooks, logs, stop: () => server.stop() };
}

function webhookConfig(kind: 'Mutating' | 'Validating', name: string, hook: Record<string, unknown>): KObject {
  return {
    metadata: { name },
    webhooks: [{
      name: `${name}.example.com`, sideEffects: 'None', admissionReviewVersions: ['v1'],
      clientConfig: { service: { namespace: 'default', name: 'wh', port: 8443, path: '/configmaps' }, caBundle: ca },
      rules: [{ operations: ['CREATE', 'UPDATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['configmaps'] }],
      ...hook,
    }],
  };
}
const add = (store: MemoryStore, kind: 'Mutating' | 'Validating', c: KObject) => createObject(store, def(`${kind}WebhookConfiguration`), '', c, {}, {});
const cm = (name: string, data: Record<string, string>): KObject => ({ metadata: { name }, data });

test('a mutating webhook adds a label to new pods; a validating one denies a ConfigMap with upstream\'s message', async () => {
  const w = await world();
  try {
    await add(w.store, 'Mutating', webhookConfig('Mutating', 'add-label', {
      clientConfig: { service: { namespace: 'default', name: 'wh', port: 8443, path: '/add-label' }, caBundle: ca },
      rules: [{ operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods'] }],
    }));
    const pod = { metadata: { name: 'p', labels: { app: 'x' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } };
    const r = await createObject(w.store, def('Pod'), 'default', pod, { fieldManager: 'kubectl' }, w.hooks);
    assert.deepEqual(r.object.metadata.labels, { app: 'x', 'added-label': 'yes' });
    const mf = JSON.stringify(r.object.metadata.managedFields);
    assert.ok(!mf.includes('added-label'), 'fields set by admission belong to no manager');

    await add(w.store, 'Validating', webhookConfig('Validating', 'deny-configmap', {}));
    await createObject(w.store, def('ConfigMap'), 'default', cm('ok', { a: 'b' }), {}, w.hooks);
    await assert.rejects(createObject(w.store, def('ConfigMap'), 'default', cm('bad', { 'webhook-e2e-test': 'webhook-disallow' }), {}, w.hooks), (e: { code: number; status: { message: string; reason?: string } }) => {
      assert.equal(e.code, 400);
      assert.equal(e.status.message, 'admission webhook "deny-configmap.example.com" denied the request: the configmap contains unwanted key and value');
      assert.equal(e.status.reason, 'the configmap contains unwanted key and value');
      return true;
    });
    assert.equal(w.store.get('/core/configmaps/default/bad'), undefined);
    const old = w.store.get('/core/configmaps/default/ok')!;
    await assert.rejects(updateObject(w.store, def('ConfigMap'), old, { ...old, data: { 'webhook-e2e-test': 'webhook-disallow' } }, {}, false, w.hooks), /denied the request/);
  } finally { await w.stop(); }
});

test('failurePolicy: Fail words the failure as kube-apiserver; Ignore lets the request through', async () => {
  const w = await world();
  try {
    await add(w.store, 'Validating', webhookConfig('Validating', 'missing', { clientConfig: { service: { namespace: 'default', name: 'nope', path: '/configmaps' }, caBundle: ca } }));
    await assert.rejects(createObject(w.store, def('ConfigMap'), 'default', cm('a', {}), {}, w.hooks), (e: { code: number; message: string }) => {
      assert.equal(e.code, 500);
      assert.equal(e.message, 'Internal error occurred: failed calling webhook "missing.example.com": failed to call webhook: Post "https://nope.default.svc:443/configmaps?timeout=10s": service "nope" not found');
      return true;
    });
    await w.store.delete('/admissionregistration.k8s.io/validatingwebhookconfigurations//missing');
    await add(w.store, 'Validating', webhookConfig('Validating', 'closed', { clientConfig: { service: { namespace: 'default', name: 'closed', port: 9999, path: '/configmaps' }, caBundle: ca } }));
    await assert.rejects(createObject(w.store, def('ConfigMap'), 'default', cm('a', {}), {}, w.hooks),
      /failed calling webhook "closed.example.com": failed to call webhook: Post "https:\/\/closed.default.svc:9999\/configmaps\?timeout=10s": dial tcp 10.244.0.5:9999: connect: connection refused$/);
    await w.store.delete('/admissionregistration.k8s.io/validatingwebhookconfigurations//closed');
    await add(w.store, 'Validating', webhookConfig('Validating', 'ignored', { failurePolicy: 'Ignore', clientConfig: { service: { namespace: 'default', name: 'closed', port: 9999 }, caBundle: ca } }));
    await createObject(w.store, def('ConfigMap'), 'default', cm('a', {}), {}, w.hooks);
    assert.match(w.logs.join('\n'), /Failed calling webhook, failing open ignored.example.com: .*connection refused/);
  } finally { await w.stop(); }
});

test('TLS is verified against caBundle; a slow webhook times out at timeoutSeconds', async () => {
  const w = await world();
  try {
    const other = Buffer.from(makeWebhookCerts(['wh.default.svc']).caCert).toString('base64');
    await add(w.store, 'Validating', webhookConfig('Validating', 'wrong-ca', { clientConfig: { service: { namespace: 'default', name: 'wh', port: 8443, path: '/configmaps' }, caBundle: other } }));
    await assert.rejects(createObject(w.store, def('ConfigMap'), 'default', cm('a', {}), {}, w.hooks), /Post "https:\/\/wh.default.svc:8443\/configmaps\?timeout=10s": tls: failed to verify certificate: x509: certificate signed by unknown authority$/);
    await w.store.delete('/admissionregistration.k8s.io/validatingwebhookconfigurations//wrong-ca');
    await add(w.store, 'Validating', webhookConfig('Validating', 'slow', { timeoutSeconds: 1, clientConfig: { service: { namespace: 'default', name: 'wh', port: 8443, path: '/always-allow-delay-5s' }, caBundle: ca } }));
    const t0 = Date.now();
    await assert.rejects(createObject(w.store, def('ConfigMap'), 'default', cm('a', {}), {}, w.hooks), /failed calling webhook "slow.example.com": failed to call webhook: Post "https:\/\/wh.default.svc:8443\/always-allow-delay-5s\?timeout=1s": context deadline exceeded$/);
    const took = Date.now() - t0;
    assert.ok(took >= 950 && took < 3000, `took ${took} ms`);
  } finally { await w.stop(); }
});

test('namespaceSelector and objectSelector exclude requests; DELETE sends oldObject', async () => {
  const w = await world();
  try {
    await add(w.store, 'Validating', webhookConfig('Validating', 'deny', {
      rules: [{ operations: ['*'], apiGroups: [''], apiVersions: ['v1'], resources: ['configmaps'] }],
      namespaceSelector: { matchExpressions: [{ key: 'webhooks.example.com/skip', operator: 'DoesNotExist' }] },
      objectSelector: { matchExpressions: [{ key: 'exempt', operator: 'NotIn', values: ['yes'] }] },
    }));
    const bad = { 'webhook-e2e-test': 'webhook-disallow' };
    await createObject(w.store, def('ConfigMap'), 'skip', cm('a', bad), {}, w.hooks);
    await createObject(w.store, def('ConfigMap'), 'default', { ...cm('b', bad), metadata: { name: 'b', labels: { exempt: 'yes' } } }, {}, w.hooks);
    await assert.rejects(createObject(w.store, def('ConfigMap'), 'default', cm('c', bad), {}, w.hooks), /denied the request/);
    await createObject(w.store, def('ConfigMap'), 'default', cm('d', { 'webhook-e2e-test': 'webhook-nondeletable' }), {}, w.hooks);
    await assert.rejects(deleteObject(w.store, def('ConfigMap'), 'default', 'd', {}, w.hooks), /admission webhook "deny.example.com" denied the request: the configmap cannot be deleted because it contains unwanted key and value/);
    assert.ok(w.store.get('/core/configmaps/default/d'));
  } finally { await w.stop(); }
});

test('dry-run requests reach webhooks (sideEffects None) without storing; webhook configurations are never sent to webhooks', async () => {
  const w = await world();
  try {
    await add(w.store, 'Validating', webhookConfig('Validating', 'deny-all', {
      clientConfig: { service: { namespace: 'default', name: 'wh', port: 8443, path: '/always-deny' }, caBundle: ca },
      rules: [{ operations: ['*'], apiGroups: ['*'], apiVersions: ['*'], resources: ['*'] }],
    }));
    await assert.rejects(createObject(w.store, def('ConfigMap'), 'default', cm('a', {}), { dryRun: true }, w.hooks), /admission webhook "deny-all.example.com" denied the request: this webhook denies all requests/);
    const r = await createObject(w.store, def('ValidatingWebhookConfiguration'), '', webhookConfig('Validating', 'another', {}), {}, w.hooks);
    assert.equal(r.object.metadata.name, 'another');
  } finally { await w.stop(); }
});

test('a path the agnhost webhook server does not serve is a 404, which fails the call', async () => {
  const w = await world();
  try {
    await add(w.store, 'Validating', webhookConfig('Validating', 'nopath', { clientConfig: { service: { namespace: 'default', name: 'wh', port: 8443, path: '/no-such-path' }, caBundle: ca } }));
    await assert.rejects(createObject(w.store, def('ConfigMap'), 'default', cm('a', {}), {}, w.hooks), /failed calling webhook "nopath.example.com": failed to call webhook: the server could not find the requested resource$/);
  } finally { await w.stop(); }
});

test('CONNECT: pods/attach options go to webhooks as the object (agnhost /pods/attach denies attaching to container1 with stdin)', async () => {
  const w = await world();
  try {
    await add(w.store, 'Validating', webhookConfig('Validating', 'deny-attach', {
      clientConfig: { service: { namespace: 'default', name: 'wh', port: 8443, path: '/pods/attach' }, caBundle: ca },
      rules: [{ operations: ['CONNECT'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods/attach'] }],
    }));
    const q = (s: string) => new URLSearchParams(s);
    await assert.rejects(admitConnect(w.hooks, def('Pod'), 'default', 'to-be-attached-pod', 'attach', q('container=container1&stdin=true&stdout=true'), ADMIN_USER),
      /admission webhook "deny-attach.example.com" denied the request: attaching to pod 'to-be-attached-pod' is not allowed/);
    await admitConnect(w.hooks, def('Pod'), 'default', 'to-be-attached-pod', 'attach', q('container=container1&stdout=true'), ADMIN_USER);
    await admitConnect(w.hooks, def('Pod'), 'default', 'to-be-attached-pod', 'exec', q('container=container1&stdin=true&command=sh'), ADMIN_USER);
    assert.deepEqual(connectOptions('exec', q('container=c&stdin=true&tty=false&command=sh&command=-c&command=ls')),
      { kind: 'PodExecOptions', apiVersion: 'v1', stdin: true, container: 'c', command: ['sh', '-c', 'ls'] });
  } finally { await w.stop(); }
});
