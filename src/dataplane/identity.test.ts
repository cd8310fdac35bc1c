// Flows carry live identities: a pod relabelled after its sandbox started is seen with its new
// labels by the next flow, at both ends (checked through a test filter in the flow pipeline).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../api/meta.js';
import { Cluster } from '../cluster.js';
import type { Client } from '../client/client.js';
import type { Peer } from '../net/flow.js';

let cluster: Cluster;
let c: Client;
const PODS = { resource: 'pods' };

async function podIP(name: string): Promise<string> {
  for (let i = 0; i < 400; i++) {
    const p = c.get(PODS, 'default', name) as KObject & { status?: { podIP?: string; conditions?: { type: string; status: string }[] } };
    if (p.status?.podIP && p.status.conditions?.some((x) => x.type === 'Ready' && x.status === 'True')) return p.status.podIP;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`pod ${name} never became ready`);
}

before(async () => {
  cluster = await Cluster.start({ ephemeral: true, apiPort: 0, nodes: 1 });
  c = cluster.client('test');
  await c.create(PODS, { metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
  await c.create(PODS, { metadata: { name: 'client', namespace: 'default', labels: { app: 'client' } }, spec: { containers: [{ name: 'c', image: 'busybox', command: ['sleep', '3600'] }] } });
});

after(async () => {
  await cluster.stop();
});

test('a relabelled pod is seen with its new labels by the next flow, at both ends', async () => {
  const [webIP, clientIP] = [await podIP('web'), await podIP('client')];
  const seen: [Peer, Peer][] = [];
  const remove = cluster.network.addFilter({ name: 'test', check: (r) => { if (r.from.ip === clientIP) seen.push([r.from, r.to]); return { allow: true }; } });
  try {
    const stack = cluster.network.stackFor(clientIP)!;
    (await stack.connect({ ip: webIP, port: 80 })).destroy();
    await c.patch(PODS, 'default', 'client', 'merge', { metadata: { labels: { role: 'frontend' } } });
    await c.patch(PODS, 'default', 'web', 'merge', { metadata: { labels: { app: null, tier: 'backend' } } });
    (await stack.connect({ ip: webIP, port: 80 })).destroy();
    assert.equal(seen.length, 2);
    assert.deepEqual(seen.map(([from, to]) => [from.name, from.labels, to.name, to.labels]), [
      ['client', { app: 'client' }, 'web', { app: 'web' }],
      ['client', { app: 'client', role: 'frontend' }, 'web', { tier: 'backend' }],
    ]);
    assert.deepEqual([seen[1]![0].kind, seen[1]![0].namespace, seen[1]![0].node], ['pod', 'default', 'knet-control-plane']);
  } finally {
    remove();
  }
});
