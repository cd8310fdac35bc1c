// Read-only snapshots of a live cluster through a kubeconfig: a knet cluster started in-process stands
// for "the real cluster" (client certificates, bearer tokens, exec plugins, insecure-skip-tls-verify),
// and a plain HTTP server plays an API server that refuses a list (403).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { Cluster } from '../cluster.js';
import { writeKubeconfig } from '../runtime/kubeconfig.js';
import { loadRemoteSnapshot } from './remote.js';

let cluster: Cluster;
let dir: string;
let certConfig: string;

/** A kubeconfig with one context `t` for `server` with the given cluster and user entries. */
function kubeconfig(name: string, cluster: object, user: object): string {
  const f = join(dir, name);
  writeFileSync(f, stringify({
    apiVersion: 'v1', kind: 'Config', clusters: [{ name: 'c', cluster }], users: [{ name: 'u', user }],
    contexts: [{ name: 't', context: { cluster: 'c', user: 'u' } }], 'current-context': 't',
  }));
  return f;
}

const server = (): string => `https://127.0.0.1:${cluster.port}`;

before(async () => {
  cluster = await Cluster.start({ ephemeral: true, apiPort: 0, nodes: 1 });
  dir = mkdtempSync(join(tmpdir(), 'knet-remote-'));
  certConfig = join(dir, 'admin');
  writeKubeconfig(certConfig, 'knet-real', server(), cluster.pki);
  const c = cluster.client('test');
  await c.create({ resource: 'namespaces' }, { metadata: { name: 'x', labels: { team: 'a' } } });
  await c.create({ group: 'apps', resource: 'deployments' }, {
    metadata: { name: 'web', namespace: 'x' },
    spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
  });
  await c.create({ resource: 'pods' }, { metadata: { name: 'lone', namespace: 'x', labels: { app: 'lone' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
  await c.create({ resource: 'services' }, { metadata: { name: 'web', namespace: 'x' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } });
  await c.create({ group: 'networking.k8s.io', resource: 'networkpolicies' }, { metadata: { name: 'deny', namespace: 'x' }, spec: { podSelector: {} } });
  for (let i = 0; i < 400 && !(c.list({ resource: 'pods' }, 'x')).some((p) => p.metadata.name?.startsWith('web-')); i++) await new Promise((r) => setTimeout(r, 25));
});

after(async () => {
  await cluster.stop();
});

test('a knet cluster read through its kubeconfig (client certificate): its namespaces, pods, Services, slices, policies and nodes', async () => {
  const s = await loadRemoteSnapshot({ kubeconfig: certConfig });
  assert.deepEqual(s.namespaces.find((n) => n.metadata.name === 'x')?.metadata.labels, { team: 'a', 'kubernetes.io/metadata.name': 'x' });
  const xPods = s.pods.filter((p) => p.metadata.namespace === 'x');
  assert.deepEqual(xPods.map((p) => p.metadata.name!.replace(/^web-.*/, 'web-*')), ['lone', 'web-*']);
  assert.ok(xPods.every((p) => p.kind === 'Pod' && p.apiVersion === 'v1'), 'items carry their kind');
  const web = xPods.find((p) => p.metadata.name!.startsWith('web-'))!;
  assert.equal(s.workloads.get(`x/${web.metadata.name!}`), 'deployment/web', 'a Deployment\'s pod stands for its Deployment');
  assert.equal(s.workloads.has('x/lone'), false, 'a pod without owner stands for no workload');
  assert.ok(s.services.some((x) => x.metadata.namespace === 'default' && x.metadata.name === 'kubernetes'));
  assert.ok(s.endpointSlices.some((x) => x.metadata.namespace === 'default' && x.metadata.labels?.['kubernetes.io/service-name'] === 'kubernetes'));
  assert.deepEqual(s.networkPolicies.map((p) => [p.metadata.namespace, p.metadata.name, p.spec?.policyTypes]), [['x', 'deny', ['Ingress']]]);
  assert.deepEqual(s.nodes.map((n) => n.metadata.name), ['knet-control-plane']);
});

test('bearer tokens (inline, with insecure-skip-tls-verify), an exec plugin, and one namespace only', async () => {
  const ca = cluster.pki.caCert;
  const tokenOnly = kubeconfig('token', { server: server(), 'insecure-skip-tls-verify': true }, { token: cluster.pki.token });
  assert.ok((await loadRemoteSnapshot({ kubeconfig: tokenOnly })).namespaces.length >= 5);
  const plugin = join(dir, 'plugin.mjs');
  writeFileSync(plugin, `const info = JSON.parse(process.env.KUBERNETES_EXEC_INFO);
if (info.kind !== 'ExecCredential' || info.spec.interactive !== false || process.env.PLUGIN_ENV !== 'yes') process.exit(3);
console.log(JSON.stringify({ apiVersion: info.apiVersion, kind: 'ExecCredential', status: { token: ${JSON.stringify(cluster.pki.token)} } }));\n`);
  const exec = kubeconfig('exec', { server: server(), 'certificate-authority-data': Buffer.from(ca).toString('base64') },
    { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: process.execPath, args: [plugin], env: [{ name: 'PLUGIN_ENV', value: 'yes' }] } });
  const s = await loadRemoteSnapshot({ kubeconfig: exec, namespaces: ['x'] });
  assert.deepEqual(s.namespaces.map((n) => n.metadata.name), ['x']);
  assert.deepEqual([...new Set([...s.pods, ...s.services, ...s.networkPolicies, ...s.endpointSlices].map((o) => o.metadata.namespace))], ['x']);
});

test('clear errors: refused connection, untrusted certificate, rejected credentials, unknown namespace', async () => {
  const refused = kubeconfig('refused', { server: 'https://127.0.0.1:1' }, { token: 't' });
  await assert.rejects(loadRemoteSnapshot({ kubeconfig: refused }), {
    message: 'the connection to the server 127.0.0.1:1 (context "t") was refused - is the cluster running? did you specify the right --kubeconfig and --context?',
  });
  const wrongCA = kubeconfig('wrong-ca', { server: server(), 'certificate-authority-data': Buffer.from(cluster.pki.adminCert).toString('base64') }, { token: cluster.pki.token });
  await assert.rejects(loadRemoteSnapshot({ kubeconfig: wrongCA }), { message: /^unable to connect to the server 127\.0\.0\.1:\d+ \(context "t"\): TLS: .* - the kubeconfig's certificate-authority does not match the server/ });
  const badToken = kubeconfig('bad-token', { server: server(), 'insecure-skip-tls-verify': true }, { token: 'wrong' });
  await assert.rejects(loadRemoteSnapshot({ kubeconfig: badToken }), { message: 'You must be logged in to the server (Unauthorized): the credentials of user "u" (context "t") were refused' });
  await assert.rejects(loadRemoteSnapshot({ kubeconfig: certConfig, namespaces: ['nope'] }), { message: 'Error from server (NotFound): namespaces "nope" not found' });
});

test('a list the account may not make (403) names the resource and what the analysis needs; nodes are optional', async () => {
  const forbidden = (what: string) => ({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Forbidden', code: 403,
    message: `${what} is forbidden: User "dev" cannot list resource "${what}" in API group "" at the cluster scope` });
  const seen: string[] = [];
  const api: Server = createServer((req, res) => {
    seen.push(req.url!);
    const path = new URL(req.url!, 'http://x').pathname;
    const deny = path === '/api/v1/nodes' ? 'nodes' : path === '/api/v1/pods' ? 'pods' : '';
    res.writeHead(deny ? 403 : 200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(deny ? forbidden(deny) : { kind: 'List', items: [], metadata: {} }));
  });
  await new Promise<void>((r) => api.listen(0, '127.0.0.1', r));
  try {
    const port = (api.address() as { port: number }).port;
    const f = kubeconfig('forbidden', { server: `http://127.0.0.1:${port}` }, { username: 'dev', password: 'pw' });
    await assert.rejects(loadRemoteSnapshot({ kubeconfig: f }), {
      message: 'Error from server (Forbidden): pods is forbidden: User "dev" cannot list resource "pods" in API group "" at the cluster scope'
        + ' - read-only analysis needs get/list on namespaces, pods, services, endpointslices.discovery.k8s.io and networkpolicies.networking.k8s.io'
        + ' (or limit it to namespaces you may read)',
    });
    assert.ok(seen.includes('/api/v1/pods?limit=500'), `lists are paged: ${seen.join(' ')}`);
    const s = await loadRemoteSnapshot({ kubeconfig: f, namespaces: [] });
    assert.deepEqual(s.nodes, [], 'a 403 on nodes leaves them out');
  } finally {
    await new Promise((r) => api.close(r));
  }
});
