import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EndpointSlice } from '../../api/kinds/endpointslice.js';
import type { Service } from '../../api/kinds/service-schema.js';
import { FakeWatchSource } from '../../client/fake-source.js';
import { ClusterView } from '../../client/view.js';
import { compileService } from './compile.js';
import { dumpProxyTable } from './dump.js';
import { ProxyTable } from './table.js';
import { ChangeTracker, type SyncBatch } from './tracker.js';
import { slice, svc } from './testdata.js';

const NODES = [{ name: 'knet-control-plane', ip: '127.1.0.1' }, { name: 'knet-worker', ip: '127.1.0.2', zone: 'zone-b' }];

const GOLDEN = `*nodes
knet-control-plane 127.1.0.1
knet-worker 127.1.0.2 zone=zone-b
*services
default/dns:dns UDP 10.96.0.10:53 type=ClusterIP
  -> 10.244.0.5:53 node=knet-control-plane zone=- ready,serving
default/dns:dns-tcp TCP 10.96.0.10:53 type=ClusterIP
  -> 10.244.0.5:53 node=knet-control-plane zone=- ready,serving
default/empty: TCP 10.96.0.20:80 type=ClusterIP internalTrafficPolicy=Local
  !! no serving endpoints: REJECT
default/old: TCP 10.96.0.30:80 type=ClusterIP affinity=ClientIP/60s trafficDistribution=PreferSameZone
  -> 10.244.1.7:8080 node=knet-worker zone=zone-b serving,terminating
  -> 10.244.1.8:8080 node=knet-worker zone=zone-b terminating
  !! no ready endpoints: terminating fallback
shop/web:http TCP 10.96.5.5:80 type=LoadBalancer nodePort=30080 loadBalancer=127.240.0.1 externalTrafficPolicy=Local
  -> 10.244.0.9:8080 node=knet-control-plane zone=- ready,serving
  -> 10.244.1.9:8080 node=knet-worker zone=zone-b ready,serving forZones=zone-b
*listeners
TCP 127.0.0.1:30080 nodePort shop/web:http
TCP 127.1.0.1:30080 nodePort shop/web:http
TCP 127.1.0.2:30080 nodePort shop/web:http
TCP 127.240.0.1:80 loadBalancer shop/web:http
`;

function objects(): Map<string, [Service, EndpointSlice[]]> {
  return new Map([
    ['shop/web', [svc('web', { ns: 'shop', type: 'LoadBalancer', clusterIP: '10.96.5.5', etp: 'Local', lb: ['127.240.0.1'], ports: [{ name: 'http', port: 80, nodePort: 30080 }] }),
      [slice('web', 'web-x', [{ ip: '10.244.1.9', node: 'knet-worker', zone: 'zone-b', forZones: ['zone-b'] }, { ip: '10.244.0.9', node: 'knet-control-plane' }], [{ name: 'http', port: 8080 }], 'shop')]]],
    ['default/dns', [svc('dns', { clusterIP: '10.96.0.10', ports: [{ name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53 }] }),
      [slice('dns', 'dns-1', [{ ip: '10.244.0.5', node: 'knet-control-plane' }], [{ name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53 }])]]],
    ['default/empty', [svc('empty', { clusterIP: '10.96.0.20', itp: 'Local' }), []]],
    ['default/old', [svc('old', { clusterIP: '10.96.0.30', affinity: 60, dist: 'PreferClose' }),
      [slice('old', 'old-1', [{ ip: '10.244.1.8', node: 'knet-worker', zone: 'zone-b', ready: false, serving: false, terminating: true }]),
        slice('old', 'old-2', [{ ip: '10.244.1.7', node: 'knet-worker', zone: 'zone-b', ready: false, serving: true, terminating: true }])]]],
    ['default/ext', [{ ...svc('ext'), spec: { type: 'ExternalName', externalName: 'example.com' } }, []]],
    ['default/headless', [svc('headless', { clusterIP: 'None' }), [slice('headless', 'h-1', [{ ip: '10.244.0.3' }])]]],
  ]);
}

test('golden dump of a compiled table', () => {
  const changed = new Map([...objects()].map(([k, [s, sl]]) => [k, compileService(s, sl)]));
  const t = ProxyTable.empty(NODES).with(changed);
  assert.equal(dumpProxyTable(t), GOLDEN);
  const again = ProxyTable.empty(NODES).with(new Map([...changed].reverse()));
  assert.equal(dumpProxyTable(again), GOLDEN, 'independent of order');
  const removed = t.with(new Map([['shop/web', undefined]]));
  assert.equal(removed.nodePorts.size, 0);
  assert.equal(removed.loadBalancers.size, 0);
  assert.equal(t.nodePorts.size, 1, 'the old table is unchanged');
  assert.ok(Object.isFrozen(t.vips.get('10.96.0.10:53/UDP')));
});

test('the tracker coalesces a burst of changes into one complete sync', async () => {
  const api = new FakeWatchSource();
  const view = new ClusterView(api);
  const batches: SyncBatch[] = [];
  const tracker = new ChangeTracker({ view, nodes: NODES, apply: (b) => batches.push(b) });
  tracker.start();
  await tracker.synced();
  assert.equal(batches.length, 1);
  assert.ok(batches[0]?.nodes);
  for (const [, [s, sl]] of objects()) {
    api.put('services', s);
    for (const x of sl) api.put('endpointslices', x);
  }
  api.put('nodes', { metadata: { name: 'knet-worker', labels: { 'topology.kubernetes.io/zone': 'zone-b' } } });
  await tracker.synced();
  assert.equal(batches.length, 2);
  const t = ProxyTable.empty(NODES).with(batches[1]!.services, batches[1]!.nodes);
  assert.equal(dumpProxyTable(t), GOLDEN);
  const s = objects().get('shop/web')![1][0]!;
  api.put('endpointslices', { ...s, metadata: { ...s.metadata, labels: {} } });
  await tracker.synced();
  assert.deepEqual([...batches[2]!.services.keys()], ['shop/web']);
  assert.equal(batches[2]!.services.get('shop/web')?.[0]?.endpoints.length, 0, 'a slice losing its label leaves its Service');
  tracker.stop();
  assert.equal(api.watching('services'), 1, 'the tracker leaves the shared informer to the view');
  view.stop();
  assert.equal(api.watching('services'), 0);
});
