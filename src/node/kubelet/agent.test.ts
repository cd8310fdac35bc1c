import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../api/meta.js';
import { baseEnv } from '../../controllers/util/testenv.js';
import { createNetwork } from '../../net/network.js';
import { ImageRegistry } from '../../images/registry.js';
import { NodeAgent } from './agent.js';

async function until(what: string, f: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!f()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const NODE = { name: 'knet-control-plane', ip: '127.1.0.1', podCIDR: '10.244.0.0/24' };

function pod(name: string, status?: Record<string, unknown>): KObject {
  return {
    apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' },
    spec: { nodeName: NODE.name, containers: [{ name: 'c', image: 'nginx' }] },
    ...(status ? { status } : {}),
  };
}

test('after a restart, pods that run again keep their IPs: they are reserved before any new pod gets one', async () => {
  const { store, mk } = await baseEnv(1);
  const client = mk('kubelet');
  // The CA ConfigMap the root-CA publisher puts in every namespace: the kube-api-access volume needs it to mount.
  await client.create({ resource: 'configmaps' }, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kube-root-ca.crt', namespace: 'default' }, data: { 'ca.crt': 'PEM' } });
  // "a-new" lists first and would take the range's first address (10.244.0.2) were it not reserved for "b-old".
  await client.create({ resource: 'pods' }, pod('a-new'));
  const old = await client.create({ resource: 'pods' }, pod('b-old'));
  await client.update({ resource: 'pods' }, { ...old, status: {
    phase: 'Running', podIP: '10.244.0.2', podIPs: [{ ip: '10.244.0.2' }], startTime: '2025-01-01T00:00:00Z', conditions: [{ type: 'Initialized', status: 'True' }],
    containerStatuses: [{ name: 'c', image: 'nginx', imageID: '', containerID: 'containerd://old', ready: true, restartCount: 0, state: { running: { startedAt: '2025-01-01T00:00:00Z' } }, lastState: {} }],
  } }, 'status');
  const events: string[] = [];
  const agent = new NodeAgent({
    client, network: createNetwork(), nodes: [NODE], dns: { clusterDNS: '10.96.0.10', clusterDomain: 'cluster.local' }, unknownImages: 'stand-in',
    images: new ImageRegistry(), cluster: {}, recordEvent: (o, _t, reason) => { events.push(`${o.metadata.name} ${reason}`); },
  });
  try {
    agent.start();
    await until('both pods run', () => ['a-new', 'b-old'].every((n) => agent.worker('default', n)?.main[0]?.running));
    assert.equal(agent.worker('default', 'b-old')?.ip, '10.244.0.2');
    assert.notEqual(agent.worker('default', 'a-new')?.ip, '10.244.0.2');
    assert.equal(agent.worker('default', 'b-old')?.main[0]?.restartCount, 1);
    assert.ok(events.includes('b-old SandboxChanged'));
    assert.ok(!events.includes('a-new SandboxChanged'), 'a new pod has no sandbox to change');
  } finally {
    await agent.stop();
    await store.close();
  }
});
