import { test } from 'node:test';
import assert from 'node:assert/strict';
import { endpointsEnv } from './testenv.js';
import { repackSubsets, truncateSubsets, type Subset } from './repack.js';

test('endpoints: ready and not-ready addresses, multi-port, labels and trigger time', async () => {
  const env = await endpointsEnv();
  try {
    await env.service('web', {
      selector: { app: 'web' },
      ports: [{ name: 'http', port: 80, targetPort: 'http' }, { name: 'metrics', port: 9100, protocol: 'TCP' }],
    }, { app: 'web' });
    await env.pod('b', { ip: '10.244.1.20', ports: [{ name: 'http', containerPort: 8080 }] });
    await env.pod('a', { ip: '10.244.1.3', ports: [{ name: 'http', containerPort: 8080 }], node: 'knet-control-plane' });
    await env.pod('c', { ip: '10.244.1.4', ports: [{ name: 'http', containerPort: 8080 }], ready: false });
    await env.settle();
    const ep = env.endpoints('web')!;
    assert.deepEqual(ep.metadata.labels, { app: 'web', 'endpoints.kubernetes.io/managed-by': 'endpoint-controller' });
    assert.equal(ep.metadata.ownerReferences, undefined);
    assert.ok(ep.metadata.annotations?.['endpoints.kubernetes.io/last-change-trigger-time']);
    assert.equal(ep.subsets?.length, 1);
    const ss = ep.subsets![0]!;
    assert.deepEqual(ss.addresses?.map((a) => a.ip), ['10.244.1.20', '10.244.1.3'], 'sorted as strings');
    assert.deepEqual(ss.notReadyAddresses?.map((a) => a.ip), ['10.244.1.4']);
    assert.deepEqual(ss.addresses![1], { ip: '10.244.1.3', nodeName: 'knet-control-plane', targetRef: { kind: 'Pod', namespace: 'default', name: 'a', uid: env.client.get({ resource: 'pods' }, 'default', 'a')!.metadata.uid } });
    assert.deepEqual(new Set(ss.ports?.map((p) => `${p.name}:${p.port}/${p.protocol}`)), new Set(['http:8080/TCP', 'metrics:9100/TCP']));
    const rv = ep.metadata.resourceVersion;
    await env.settle();
    assert.equal(env.endpoints('web')!.metadata.resourceVersion, rv, 'no churn');
    // A pod whose named port does not resolve serves only the other port: a second subset.
    await env.pod('d', { ip: '10.244.1.5' });
    await env.settle();
    assert.equal(env.endpoints('web')!.subsets?.length, 2);
  } finally { await env.close(); }
});

test('endpoints: headless label, terminating pods, selector-less Services left alone, deletion', async () => {
  const env = await endpointsEnv();
  try {
    await env.service('db', { selector: { app: 'db' }, clusterIP: 'None' });
    await env.pod('db-0', { labels: { app: 'db' }, hostname: 'db-0', subdomain: 'db' });
    await env.service('ext', { ports: [{ port: 80 }] });
    await env.client.create({ resource: 'endpoints' }, { metadata: { name: 'ext', namespace: 'default' }, subsets: [{ addresses: [{ ip: '10.244.9.9' }], ports: [{ port: 80 }] }] } as never);
    await env.settle();
    const db = env.endpoints('db')!;
    assert.deepEqual(db.metadata.labels, { 'service.kubernetes.io/headless': '', 'endpoints.kubernetes.io/managed-by': 'endpoint-controller' });
    assert.equal(db.subsets?.[0]?.addresses?.[0]?.hostname, 'db-0');
    assert.equal(db.subsets?.[0]?.ports, undefined);
    await env.client.delete({ resource: 'pods' }, 'default', 'db-0', { gracePeriodSeconds: 30 });
    await env.settle();
    assert.equal(env.endpoints('db')!.subsets, undefined, 'terminating pods leave Endpoints');
    assert.deepEqual(env.endpoints('ext')!.subsets?.[0]?.addresses, [{ ip: '10.244.9.9' }]);
    await env.client.delete({ resource: 'services' }, 'default', 'db');
    await env.settle();
    assert.equal(env.endpoints('db'), undefined);
  } finally { await env.close(); }
});

test('repack: groups addresses by port set and sorts ports by hash', () => {
  const addr = (ip: string) => ({ ip, targetRef: { kind: 'Pod', uid: ip } });
  const subsets: Subset[] = [
    { addresses: [addr('10.0.0.2')], ports: [{ name: 'a', port: 1, protocol: 'TCP' }] },
    { addresses: [addr('10.0.0.1')], ports: [{ name: 'a', port: 1, protocol: 'TCP' }] },
    { notReadyAddresses: [addr('10.0.0.3')], ports: [{ name: 'a', port: 1, protocol: 'TCP' }] },
    { addresses: [addr('10.0.0.2')], ports: [{ name: 'b', port: 2, protocol: 'TCP' }] },
  ];
  const out = repackSubsets(subsets);
  assert.equal(out.length, 2);
  const both = out.find((s) => s.ports?.length === 1 && s.ports[0]!.name === 'a')!;
  assert.deepEqual(both.addresses?.map((a) => a.ip), ['10.0.0.1', '10.0.0.2']);
  assert.deepEqual(both.notReadyAddresses?.map((a) => a.ip), ['10.0.0.3']);
});

test('truncate: at most 1000 addresses, ready first', () => {
  const many = (n: number, base: number) => Array.from({ length: n }, (_, i) => ({ ip: `10.${base}.${i >> 8}.${i & 255}` }));
  const subsets: Subset[] = [{ addresses: many(900, 1), notReadyAddresses: many(300, 2), ports: [{ port: 80, protocol: 'TCP' }] }];
  assert.equal(truncateSubsets(subsets), true);
  assert.equal(subsets[0]!.addresses?.length, 900);
  assert.equal(subsets[0]!.notReadyAddresses?.length, 100);
  assert.equal(truncateSubsets([{ addresses: many(10, 1) }]), false);
});
