import { test } from 'node:test';
import assert from 'node:assert/strict';
import { endpointsEnv } from '../endpoints/testenv.js';

const webPorts = (n: number) => [{ name: 'http', containerPort: n }];

test('slices: labels, owner, ports resolved per pod, conditions, node and zone', async () => {
  const env = await endpointsEnv();
  try {
    const node = env.client.get({ resource: 'nodes' }, '', 'knet-worker')!;
    node.metadata.labels = { ...node.metadata.labels, 'topology.kubernetes.io/zone': 'zone-a' };
    await env.client.update({ resource: 'nodes' }, node);
    const svc = await env.service('web', { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] }, { tier: 'front' });
    await env.pod('a', { ports: webPorts(8080), ip: '10.244.1.10' });
    await env.pod('b', { ports: webPorts(8080), ip: '10.244.1.11', node: 'knet-control-plane' });
    await env.pod('c', { ports: webPorts(9090), ip: '10.244.1.12' });
    await env.pod('d', { ip: '10.244.1.13' }); // no port named http: no slice port, own slice
    await env.pod('noip', { ports: webPorts(8080), ip: '' });
    await env.settle();
    const slices = env.slices('web');
    assert.equal(slices.length, 3);
    const byPort = new Map(slices.map((s) => [s.ports?.[0]?.port ?? 0, s]));
    const s80 = byPort.get(8080)!;
    assert.match(s80.metadata.name!, /^web-[a-z0-9]{5}$/);
    assert.equal(s80.metadata.generateName, 'web-');
    assert.deepEqual(s80.metadata.labels, { tier: 'front', 'kubernetes.io/service-name': 'web', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' });
    assert.deepEqual(s80.metadata.ownerReferences, [{ apiVersion: 'v1', kind: 'Service', name: 'web', uid: svc.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    assert.ok(s80.metadata.annotations?.['endpoints.kubernetes.io/last-change-trigger-time']);
    assert.equal(s80.addressType, 'IPv4');
    assert.deepEqual(s80.ports, [{ name: 'http', protocol: 'TCP', port: 8080 }]);
    const a = s80.endpoints.find((e) => e.targetRef?.name === 'a')!;
    assert.deepEqual(a.addresses, ['10.244.1.10']);
    assert.deepEqual(a.conditions, { ready: true, serving: true, terminating: false });
    assert.equal(a.nodeName, 'knet-worker');
    assert.equal(a.zone, 'zone-a');
    assert.equal(a.targetRef?.kind, 'Pod');
    const b = s80.endpoints.find((e) => e.targetRef?.name === 'b')!;
    assert.equal(b.zone, undefined);
    assert.deepEqual(byPort.get(9090)!.endpoints.map((e) => e.targetRef?.name), ['c']);
    assert.deepEqual(byPort.get(0)!.ports, []);
    assert.ok(!slices.some((s) => s.endpoints.some((e) => e.targetRef?.name === 'noip')));
  } finally { await env.close(); }
});

test('slices: readiness, termination and publishNotReadyAddresses, updated in place', async () => {
  const env = await endpointsEnv();
  try {
    await env.service('web', { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] });
    await env.service('all', { selector: { app: 'web' }, ports: [{ port: 80 }], publishNotReadyAddresses: true });
    await env.pod('a');
    await env.settle();
    const [first] = env.slices('web');
    assert.deepEqual(first!.ports, [{ name: '', protocol: 'TCP', port: 8080 }]);
    await env.setReady('a', false);
    await env.settle();
    const [after] = env.slices('web');
    assert.equal(after!.metadata.name, first!.metadata.name);
    assert.equal(after!.metadata.uid, first!.metadata.uid);
    assert.deepEqual(after!.endpoints[0]!.conditions, { ready: false, serving: false, terminating: false });
    assert.deepEqual(env.slices('all')[0]!.endpoints[0]!.conditions, { ready: true, serving: false, terminating: false });
    await env.setReady('a', true);
    await env.client.delete({ resource: 'pods' }, 'default', 'a', { gracePeriodSeconds: 30 });
    await env.settle();
    assert.deepEqual(env.slices('web')[0]!.endpoints[0]!.conditions, { ready: false, serving: true, terminating: true });
    assert.deepEqual(env.slices('all')[0]!.endpoints[0]!.conditions, { ready: true, serving: true, terminating: true });
    await env.client.delete({ resource: 'pods' }, 'default', 'a', { gracePeriodSeconds: 0 });
    await env.settle();
    const [placeholder] = env.slices('web');
    assert.equal(placeholder!.metadata.name, first!.metadata.name);
    assert.deepEqual(placeholder!.endpoints, []);
    assert.deepEqual(placeholder!.ports ?? [], []);
  } finally { await env.close(); }
});

test('slices: placeholder for a Service without pods, hostname with a matching subdomain, headless label', async () => {
  const env = await endpointsEnv();
  try {
    await env.service('db', { selector: { app: 'db' }, clusterIP: 'None', ports: [{ port: 5432 }] });
    await env.settle();
    const [ph] = env.slices('db');
    assert.deepEqual(ph!.endpoints, []);
    assert.equal(ph!.metadata.labels?.['service.kubernetes.io/headless'], '');
    await env.pod('db-0', { labels: { app: 'db' }, hostname: 'db-0', subdomain: 'db' });
    await env.pod('db-1', { labels: { app: 'db' }, hostname: 'db-1', subdomain: 'other' });
    await env.settle();
    const slices = env.slices('db');
    assert.equal(slices.length, 1);
    assert.equal(slices[0]!.metadata.name, ph!.metadata.name);
    const host = new Map(slices[0]!.endpoints.map((e) => [e.targetRef?.name, e.hostname]));
    assert.equal(host.get('db-0'), 'db-0');
    assert.equal(host.get('db-1'), undefined);
  } finally { await env.close(); }
});

test('slices: more than 100 endpoints take two slices; Service deletion removes them', async () => {
  const env = await endpointsEnv();
  try {
    await env.service('big', { selector: { app: 'big' }, ports: [{ port: 80 }] });
    for (let i = 0; i < 101; i++) await env.pod(`p${i}`, { labels: { app: 'big' }, ip: `10.244.2.${i + 1}` });
    await env.settle();
    const slices = env.slices('big');
    assert.deepEqual(slices.map((s) => s.endpoints.length).sort((x, y) => x - y), [1, 100]);
    await env.client.delete({ resource: 'pods' }, 'default', 'p0', { gracePeriodSeconds: 0 });
    await env.settle();
    const names = env.slices('big').map((s) => s.metadata.name).sort();
    assert.equal(env.slices('big').reduce((n, s) => n + s.endpoints.length, 0), 100);
    await env.pod('p0', { labels: { app: 'big' }, ip: '10.244.2.1' });
    await env.settle();
    assert.deepEqual(env.slices('big').map((s) => s.metadata.name).sort(), names, 'slices are reused');
    await env.client.delete({ resource: 'services' }, 'default', 'big');
    await env.settle();
    assert.equal(env.slices('big').length, 0);
    assert.equal(env.endpoints('big'), undefined);
  } finally { await env.close(); }
});

test('slices: changes reach the slice within milliseconds', async () => {
  const env = await endpointsEnv();
  try {
    await env.service('web', { selector: { app: 'web' }, ports: [{ port: 80 }] });
    await env.pod('a', { ready: false });
    await env.settle();
    const start = performance.now();
    await env.setReady('a', true);
    while (!env.slices('web')[0]?.endpoints[0]?.conditions?.ready) {
      await new Promise((r) => setImmediate(r));
      assert.ok(performance.now() - start < 200, 'slow');
    }
  } finally { await env.close(); }
});
