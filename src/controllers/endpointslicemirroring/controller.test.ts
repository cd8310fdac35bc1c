import { test } from 'node:test';
import assert from 'node:assert/strict';
import { endpointsEnv } from '../endpoints/testenv.js';

const MIRROR = 'endpointslicemirroring-controller.k8s.io';
const EP = { resource: 'endpoints' };

test('mirroring: hand-written Endpoints of a selector-less Service become an EndpointSlice', async () => {
  const env = await endpointsEnv();
  try {
    await env.service('ext', { ports: [{ name: 'web', port: 80 }] }, { team: 'x' });
    const ep = await env.client.create(EP, {
      metadata: { name: 'ext', namespace: 'default', labels: { team: 'x' }, annotations: { note: 'hi' } },
      subsets: [{ addresses: [{ ip: '10.244.9.9', hostname: 'h' }], notReadyAddresses: [{ ip: '10.244.9.10' }], ports: [{ name: 'web', port: 8080 }] }],
    } as never);
    await env.settle();
    const [s, ...rest] = env.slices('ext', MIRROR);
    assert.equal(rest.length, 0);
    assert.match(s!.metadata.name!, /^ext-[a-z0-9]{5}$/);
    assert.deepEqual(s!.metadata.labels, { team: 'x', 'kubernetes.io/service-name': 'ext', 'endpointslice.kubernetes.io/managed-by': MIRROR });
    assert.deepEqual(s!.metadata.annotations, { note: 'hi' });
    assert.deepEqual(s!.metadata.ownerReferences?.map((r) => [r.kind, r.uid]), [['Endpoints', ep.metadata.uid]]);
    assert.deepEqual(s!.ports, [{ name: 'web', protocol: 'TCP', port: 8080 }]);
    assert.deepEqual(s!.endpoints, [{ addresses: ['10.244.9.9'], conditions: { ready: true }, hostname: 'h' }, { addresses: ['10.244.9.10'], conditions: { ready: false } }]);
    assert.equal(env.slices('ext').length, 0, 'the EndpointSlice controller leaves selector-less Services alone');

    const cur = env.client.get(EP, 'default', 'ext')!;
    (cur as never as { subsets: unknown[] }).subsets = [{ addresses: [{ ip: '10.244.9.11' }], ports: [{ name: 'web', port: 8080 }] }];
    await env.client.update(EP, cur);
    await env.settle();
    const [s2] = env.slices('ext', MIRROR);
    assert.equal(s2!.metadata.name, s!.metadata.name, 'updated in place');
    assert.deepEqual(s2!.endpoints.map((e) => e.addresses[0]), ['10.244.9.11']);

    const skip = env.client.get(EP, 'default', 'ext')!;
    skip.metadata.labels = { ...skip.metadata.labels, 'endpointslice.kubernetes.io/skip-mirror': 'true' };
    await env.client.update(EP, skip);
    await env.settle();
    assert.equal(env.slices('ext', MIRROR).length, 0);
  } finally { await env.close(); }
});

test('mirroring: Endpoints deletion and selector added remove mirrored slices; no Service, no mirror', async () => {
  const env = await endpointsEnv();
  try {
    await env.client.create(EP, { metadata: { name: 'lone', namespace: 'default' }, subsets: [{ addresses: [{ ip: '10.244.9.9' }] }] } as never);
    await env.settle();
    assert.equal(env.slices('lone', MIRROR).length, 0);
    await env.service('lone', { ports: [{ port: 80 }] });
    await env.settle();
    assert.equal(env.slices('lone', MIRROR).length, 1);
    const [s] = env.slices('lone', MIRROR);
    assert.deepEqual(s!.ports, []);
    await env.client.delete(EP, 'default', 'lone');
    await env.settle();
    assert.equal(env.slices('lone', MIRROR).length, 0);
    await env.client.create(EP, { metadata: { name: 'lone', namespace: 'default' }, subsets: [{ addresses: [{ ip: '10.244.9.9' }] }] } as never);
    await env.settle();
    assert.equal(env.slices('lone', MIRROR).length, 1);
    const svc = env.client.get({ resource: 'services' }, 'default', 'lone')!;
    (svc as never as { spec: { selector: Record<string, string> } }).spec.selector = { app: 'lone' };
    await env.client.update({ resource: 'services' }, svc);
    await env.settle();
    assert.equal(env.slices('lone', MIRROR).length, 0);
    assert.equal(env.slices('lone').length, 1, 'the EndpointSlice controller takes over');
    assert.equal(env.endpoints('lone')!.metadata.labels?.['endpoints.kubernetes.io/managed-by'], 'endpoint-controller');
    const again = env.client.get({ resource: 'services' }, 'default', 'lone')!;
    delete (again as never as { spec: { selector?: unknown } }).spec.selector;
    await env.client.update({ resource: 'services' }, again);
    await env.settle();
    assert.equal(env.slices('lone', MIRROR).length, 0, 'Endpoints left by the Endpoints controller are not mirrored');
  } finally { await env.close(); }
});
