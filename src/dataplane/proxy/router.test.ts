import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Flow, RouteDecision, StackIdentity } from '../../net/types.js';
import { compileService } from './compile.js';
import type { ProxyNode } from './model.js';
import { ServiceRouter } from './router.js';
import { ProxyTable } from './table.js';
import { slice, svc, type EpOpts, type SvcOpts } from './testdata.js';

const NODES: ProxyNode[] = [{ name: 'cp', ip: '127.1.0.1', zone: 'a' }, { name: 'w1', ip: '127.1.0.2', zone: 'a' }, { name: 'w2', ip: '127.1.0.3', zone: 'b' }];

function routerFor(o: SvcOpts, eps: EpOpts[]): ServiceRouter {
  const r = new ServiceRouter(NODES);
  r.setTable(ProxyTable.empty(NODES).with(new Map([['default/web', compileService(svc('web', o), [slice('web', 'web-1', eps)])]])));
  return r;
}
const pod = (node: string, ip = '10.244.9.9'): { from: StackIdentity; src: { ip: string; port: number } } =>
  ({ from: { kind: 'pod', namespace: 'default', name: 'client', nodeName: node }, src: { ip, port: 40000 } });
function flow(node: string, dst = '10.96.0.100:80', proto: Flow['protocol'] = 'TCP', srcIp?: string, srcPort = 40000): Flow {
  const [ip, port] = dst.split(':');
  const p = pod(node, srcIp);
  return { protocol: proto, ...p, src: { ip: p.src.ip, port: srcPort }, dst: { ip: ip!, port: Number(port) } };
}
const target = (d: RouteDecision): string => (d.action === 'deliver' ? `${d.dst.ip}:${d.dst.port}` : d.action);
const targets = (r: ServiceRouter, f: () => Flow, n = 60): Set<string> => new Set(Array.from({ length: n }, () => target(r.route(f()))));

test('ClusterIP goes to a random ready endpoint; unknown ports and addresses pass', () => {
  const r = routerFor({}, [{ ip: '10.244.1.2', node: 'w1' }, { ip: '10.244.2.2', node: 'w2' }, { ip: '10.244.2.3', node: 'w2', ready: false }]);
  assert.deepEqual([...targets(r, () => flow('cp'))].sort(), ['10.244.1.2:8080', '10.244.2.2:8080']);
  assert.deepEqual(r.route(flow('cp', '10.96.0.100:81')), { action: 'next' });
  assert.deepEqual(r.route(flow('cp', '10.96.0.100:80', 'UDP')), { action: 'next' });
  assert.deepEqual(r.route(flow('cp', '10.244.1.2:8080')), { action: 'next' });
});

test('no serving endpoints: reject (connection refused)', () => {
  assert.equal(routerFor({}, []).route(flow('cp')).action, 'reject');
  assert.equal(routerFor({}, [{ ip: '10.244.1.2', ready: false, serving: false }]).route(flow('cp')).action, 'reject');
  assert.equal(routerFor({}, [{ ip: '10.244.1.2', ready: false, serving: false, terminating: true }]).route(flow('cp')).action, 'reject');
});

test('terminating endpoints serve only when nothing is ready', () => {
  const term = { ip: '10.244.1.9', node: 'w1', ready: false, serving: true, terminating: true };
  assert.deepEqual([...targets(routerFor({}, [term]), () => flow('cp'))], ['10.244.1.9:8080']);
  assert.deepEqual([...targets(routerFor({}, [term, { ip: '10.244.1.2' }]), () => flow('cp'))], ['10.244.1.2:8080']);
});

test('ClientIP affinity keeps a client on one endpoint until the timeout passes', () => {
  const r = routerFor({ affinity: 10 }, [{ ip: '10.244.1.2' }, { ip: '10.244.1.3' }]);
  let now = 1_000_000;
  let rnd = 0;
  r.now = () => now;
  r.random = () => rnd;
  assert.equal(target(r.route(flow('cp'))), '10.244.1.2:8080');
  rnd = 0.9;
  for (let i = 0; i < 5; i++) { now += 9000; assert.equal(target(r.route(flow('cp', undefined, 'TCP', undefined, 40001 + i))), '10.244.1.2:8080'); }
  assert.equal(target(r.route(flow('cp', undefined, 'TCP', '10.244.9.10'))), '10.244.1.3:8080', 'another client picks anew');
  now += 10_001;
  assert.equal(target(r.route(flow('cp'))), '10.244.1.3:8080', 'expired');
});

test('affinity lets go of an endpoint that is gone', () => {
  const r = routerFor({ affinity: 100 }, [{ ip: '10.244.1.2' }]);
  assert.equal(target(r.route(flow('cp'))), '10.244.1.2:8080');
  r.setTable(r.table.with(new Map([['default/web', compileService(svc('web', { affinity: 100 }), [slice('web', 'web-1', [{ ip: '10.244.1.3' }])])]])));
  assert.equal(target(r.route(flow('cp'))), '10.244.1.3:8080');
});

test('internalTrafficPolicy Local: only endpoints on the client node, else drop', () => {
  const r = routerFor({ itp: 'Local' }, [{ ip: '10.244.1.2', node: 'w1' }, { ip: '10.244.2.2', node: 'w2' }]);
  assert.deepEqual([...targets(r, () => flow('w1'))], ['10.244.1.2:8080']);
  assert.deepEqual([...targets(r, () => flow('w2'))], ['10.244.2.2:8080']);
  const d = r.route(flow('cp'));
  assert.equal(d.action, 'drop');
  assert.equal(routerFor({ itp: 'Local' }, []).route(flow('cp')).action, 'reject');
});

test('trafficDistribution prefers the same node or zone and falls back', () => {
  const eps = [{ ip: '10.244.1.2', node: 'w1', zone: 'a' }, { ip: '10.244.1.3', node: 'w1', zone: 'a' }, { ip: '10.244.2.2', node: 'w2', zone: 'b' }];
  const zone = routerFor({ dist: 'PreferSameZone' }, eps);
  assert.deepEqual([...targets(zone, () => flow('cp'))].sort(), ['10.244.1.2:8080', '10.244.1.3:8080']);
  assert.deepEqual([...targets(zone, () => flow('w2'))], ['10.244.2.2:8080']);
  const close = routerFor({ dist: 'PreferClose' }, eps.slice(2));
  assert.deepEqual([...targets(close, () => flow('cp'))], ['10.244.2.2:8080'], 'no endpoint in zone a: fall back');
  const node = routerFor({ dist: 'PreferSameNode' }, [{ ip: '10.244.0.2', node: 'cp', zone: 'a' }, ...eps]);
  assert.deepEqual([...targets(node, () => flow('cp'))], ['10.244.0.2:8080']);
  assert.deepEqual([...targets(node, () => flow('w2'))], ['10.244.2.2:8080']);
  const hinted = routerFor({}, [{ ip: '10.244.1.2', zone: 'a', forZones: ['b'] }, { ip: '10.244.2.2', zone: 'b', forZones: ['a'] }]);
  assert.deepEqual([...targets(hinted, () => flow('cp'))], ['10.244.2.2:8080'], 'zone hints are followed');
});

test('NodePort from pods: Local keeps the source, Cluster masquerades to the node IP', () => {
  const eps = [{ ip: '10.244.1.2', node: 'w1' }];
  const local = routerFor({ type: 'NodePort', etp: 'Local', ports: [{ port: 80, nodePort: 30080 }] }, eps);
  const toW1 = local.route(flow('cp', '127.1.0.2:30080'));
  assert.deepEqual(toW1, { action: 'deliver', dst: { ip: '10.244.1.2', port: 8080 }, reason: 'default/web: -> 10.244.1.2:8080' });
  assert.equal(local.route(flow('cp', '127.1.0.3:30080')).action, 'drop');
  const cluster = routerFor({ type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] }, eps);
  const d = cluster.route(flow('cp', '127.1.0.3:30080'));
  assert.equal(d.action === 'deliver' && d.srcRewrite?.ip, '127.1.0.3');
  assert.deepEqual(cluster.route(flow('cp', '127.1.0.3:30081')), { action: 'next' });
  const ext = cluster.external(cluster.table.nodePorts.get('30080/TCP')!, NODES[2], { ip: '127.0.0.1', port: 5555 }, false);
  assert.ok(ext.ok && ext.node?.name === 'w2' && !ext.keepSource && ext.endpoint.ip === '10.244.1.2');
  const lb = local.external(local.table.nodePorts.get('30080/TCP')!, undefined, { ip: '127.0.0.1', port: 5555 }, true);
  assert.ok(lb.ok && lb.node?.name === 'w1' && lb.keepSource, 'a Local load balancer enters at the endpoint node');
});

test('hairpin: a pod reaching its own Service is masqueraded to its node', () => {
  const r = routerFor({}, [{ ip: '10.244.1.2', node: 'w1' }]);
  const d = r.route(flow('w1', undefined, 'TCP', '10.244.1.2'));
  assert.equal(d.action === 'deliver' && d.srcRewrite?.ip, '127.1.0.2');
});

test('UDP flows stick to their endpoint; new flows spread', () => {
  const r = new ServiceRouter(NODES);
  r.setTable(ProxyTable.empty(NODES).with(new Map([['default/web', compileService(svc('web', { ports: [{ port: 53, protocol: 'UDP' }] }),
    [slice('web', 'web-1', [{ ip: '10.244.1.2' }, { ip: '10.244.1.3' }], [{ name: '', port: 53, protocol: 'UDP' }])])]])));
  const same = targets(r, () => flow('cp', '10.96.0.100:53', 'UDP'));
  assert.equal(same.size, 1);
  let port = 41000;
  assert.equal(targets(r, () => flow('cp', '10.96.0.100:53', 'UDP', undefined, port++)).size, 2);
});

test('a forced decision applies to exactly one flow from the named node', () => {
  const r = routerFor({}, []);
  const dst = { ip: '10.244.1.2', port: 8080 };
  const forced: RouteDecision = { action: 'deliver', dst, srcRewrite: { ip: '127.0.0.1', port: 1 } };
  const node: Flow = { protocol: 'TCP', from: { kind: 'node', name: 'w1' }, src: { ip: '127.1.0.2', port: 1 }, dst };
  assert.equal(r.forced('w1', dst, forced, () => r.route(node)), forced);
  assert.deepEqual(r.route(node), { action: 'next' });
});
