import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Flow, Peer, Translation } from '../../net/flow.js';
import { createNetwork } from '../../net/network.js';
import type { Addr, UdpSocket } from '../../net/types.js';
import { compileService } from './compile.js';
import type { ProxyNode } from './model.js';
import { isServiceHop, ServiceTranslator } from './translator.js';
import { ProxyTable } from './table.js';
import { slice, svc, type EpOpts, type SvcOpts } from './testdata.js';

const NODES: ProxyNode[] = [{ name: 'cp', ip: '127.1.0.1', zone: 'a' }, { name: 'w1', ip: '127.1.0.2', zone: 'a' }, { name: 'w2', ip: '127.1.0.3', zone: 'b' }];

function translatorFor(o: SvcOpts, eps: EpOpts[]): ServiceTranslator {
  const t = new ServiceTranslator(NODES);
  t.setTable(ProxyTable.empty(NODES).with(new Map([['default/web', compileService(svc('web', o), [slice('web', 'web-1', eps)])]])));
  return t;
}

interface FlowOpts { proto?: Flow['protocol']; srcIp?: string; srcPort?: number; seed?: number; at?: number; from?: Peer }
function flow(node: string, dst = '10.96.0.100:80', o: FlowOpts = {}): Flow {
  const [ip, port] = dst.split(':');
  const srcIp = o.srcIp ?? '10.244.9.9';
  return {
    protocol: o.proto ?? 'TCP', src: { ip: srcIp, port: o.srcPort ?? 40000 }, dst: { ip: ip!, port: Number(port) },
    from: o.from ?? { kind: 'pod', ip: srcIp, namespace: 'default', name: 'client', node }, node, seed: o.seed ?? Math.random(), at: o.at ?? Date.now(),
  };
}
/** Translates and commits, as the network does for a delivered flow. */
function route(t: ServiceTranslator, f: Flow): Translation | undefined {
  const r = t.translate(f, f.dst);
  if (r) t.commit(r.hop, f);
  return r;
}
const target = (r: Translation | undefined): string => (!r ? 'next' : r.action === 'translate' ? `${r.dst.ip}:${r.dst.port}` : r.action);
const targets = (t: ServiceTranslator, f: () => Flow, n = 60): Set<string> => new Set(Array.from({ length: n }, () => target(route(t, f()))));

test('ClusterIP goes to a random ready endpoint; unknown ports and addresses pass', () => {
  const t = translatorFor({}, [{ ip: '10.244.1.2', node: 'w1' }, { ip: '10.244.2.2', node: 'w2' }, { ip: '10.244.2.3', node: 'w2', ready: false }]);
  assert.deepEqual([...targets(t, () => flow('cp'))].sort(), ['10.244.1.2:8080', '10.244.2.2:8080']);
  for (const [dst, proto] of [['10.96.0.100:81', 'TCP'], ['10.96.0.100:80', 'UDP'], ['10.244.1.2:8080', 'TCP']] as const) {
    const f = flow('cp', dst, { proto });
    assert.equal(t.translate(f, f.dst), undefined);
  }
});

test('no serving endpoints: reject (connection refused)', () => {
  assert.equal(target(route(translatorFor({}, []), flow('cp'))), 'reject');
  assert.equal(target(route(translatorFor({}, [{ ip: '10.244.1.2', ready: false, serving: false }]), flow('cp'))), 'reject');
  assert.equal(target(route(translatorFor({}, [{ ip: '10.244.1.2', ready: false, serving: false, terminating: true }]), flow('cp'))), 'reject');
});

test('terminating endpoints serve only when nothing is ready', () => {
  const term = { ip: '10.244.1.9', node: 'w1', ready: false, serving: true, terminating: true };
  assert.deepEqual([...targets(translatorFor({}, [term]), () => flow('cp'))], ['10.244.1.9:8080']);
  assert.deepEqual([...targets(translatorFor({}, [term, { ip: '10.244.1.2' }]), () => flow('cp'))], ['10.244.1.2:8080']);
});

test('ClientIP affinity keeps a client on one endpoint until the timeout passes', () => {
  const t = translatorFor({ affinity: 10 }, [{ ip: '10.244.1.2' }, { ip: '10.244.1.3' }]);
  let at = 1_000_000;
  assert.equal(target(route(t, flow('cp', undefined, { at, seed: 0 }))), '10.244.1.2:8080');
  for (let i = 0; i < 5; i++) { at += 9000; assert.equal(target(route(t, flow('cp', undefined, { at, seed: 0.9, srcPort: 40001 + i }))), '10.244.1.2:8080'); }
  assert.equal(target(route(t, flow('cp', undefined, { at, seed: 0.9, srcIp: '10.244.9.10' }))), '10.244.1.3:8080', 'another client picks anew');
  at += 10_001;
  assert.equal(target(route(t, flow('cp', undefined, { at, seed: 0.9 }))), '10.244.1.3:8080', 'expired');
});

test('affinity lets go of an endpoint that is gone', () => {
  const t = translatorFor({ affinity: 100 }, [{ ip: '10.244.1.2' }]);
  assert.equal(target(route(t, flow('cp'))), '10.244.1.2:8080');
  t.setTable(t.table.with(new Map([['default/web', compileService(svc('web', { affinity: 100 }), [slice('web', 'web-1', [{ ip: '10.244.1.3' }])])]])));
  assert.equal(target(route(t, flow('cp'))), '10.244.1.3:8080');
});

test('internalTrafficPolicy Local: only endpoints on the client node, else drop', () => {
  const t = translatorFor({ itp: 'Local' }, [{ ip: '10.244.1.2', node: 'w1' }, { ip: '10.244.2.2', node: 'w2' }]);
  assert.deepEqual([...targets(t, () => flow('w1'))], ['10.244.1.2:8080']);
  assert.deepEqual([...targets(t, () => flow('w2'))], ['10.244.2.2:8080']);
  assert.equal(target(route(t, flow('cp'))), 'drop');
  assert.equal(target(route(translatorFor({ itp: 'Local' }, []), flow('cp'))), 'reject');
});

test('trafficDistribution prefers the same node or zone and falls back', () => {
  const eps = [{ ip: '10.244.1.2', node: 'w1', zone: 'a' }, { ip: '10.244.1.3', node: 'w1', zone: 'a' }, { ip: '10.244.2.2', node: 'w2', zone: 'b' }];
  const zone = translatorFor({ dist: 'PreferSameZone' }, eps);
  assert.deepEqual([...targets(zone, () => flow('cp'))].sort(), ['10.244.1.2:8080', '10.244.1.3:8080']);
  assert.deepEqual([...targets(zone, () => flow('w2'))], ['10.244.2.2:8080']);
  const close = translatorFor({ dist: 'PreferClose' }, eps.slice(2));
  assert.deepEqual([...targets(close, () => flow('cp'))], ['10.244.2.2:8080'], 'no endpoint in zone a: fall back');
  const node = translatorFor({ dist: 'PreferSameNode' }, [{ ip: '10.244.0.2', node: 'cp', zone: 'a' }, ...eps]);
  assert.deepEqual([...targets(node, () => flow('cp'))], ['10.244.0.2:8080']);
  assert.deepEqual([...targets(node, () => flow('w2'))], ['10.244.2.2:8080']);
  const hinted = translatorFor({}, [{ ip: '10.244.1.2', zone: 'a', forZones: ['b'] }, { ip: '10.244.2.2', zone: 'b', forZones: ['a'] }]);
  assert.deepEqual([...targets(hinted, () => flow('cp'))], ['10.244.2.2:8080'], 'zone hints are followed');
});

test('NodePort: Local keeps the source, Cluster masquerades to the node IP; outside clients alike', () => {
  const eps = [{ ip: '10.244.1.2', node: 'w1' }];
  const local = translatorFor({ type: 'NodePort', etp: 'Local', ports: [{ port: 80, nodePort: 30080 }] }, eps);
  const toW1 = route(local, flow('cp', '127.1.0.2:30080'));
  assert.ok(toW1?.action === 'translate');
  assert.deepEqual([toW1.dst, toW1.src], [{ ip: '10.244.1.2', port: 8080 }, undefined]);
  assert.ok(isServiceHop(toW1.hop) && toW1.hop.detail?.via === 'NodePort' && toW1.hop.detail.service === 'default/web');
  assert.equal(target(route(local, flow('cp', '127.1.0.3:30080'))), 'drop');
  const cluster = translatorFor({ type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] }, eps);
  const d = route(cluster, flow('cp', '127.1.0.3:30080'));
  assert.equal(d?.action === 'translate' && d.src?.ip, '127.1.0.3');
  assert.equal(target(route(cluster, flow('cp', '127.1.0.3:30081'))), 'next');
  const outside: Peer = { kind: 'outside', ip: '127.0.0.1' };
  const ext = route(cluster, flow('w2', '127.1.0.3:30080', { from: outside, srcIp: '127.0.0.1', srcPort: 5555 }));
  assert.ok(ext?.action === 'translate' && ext.src?.ip === '127.1.0.3' && ext.dst.ip === '10.244.1.2', 'entering at w2: masqueraded to w2');
  const lbLocal = new ServiceTranslator(NODES);
  lbLocal.setTable(ProxyTable.empty(NODES).with(new Map([['default/web', compileService(svc('web', { type: 'LoadBalancer', etp: 'Local', lb: ['127.240.0.5'], ports: [{ port: 80, nodePort: 30080 }] }), [slice('web', 'web-1', eps)])]])));
  const lb = route(lbLocal, flow('cp', '127.240.0.5:80', { from: outside, srcIp: '127.0.0.1', srcPort: 5555 }));
  assert.ok(lb?.action === 'translate' && lb.dst.ip === '10.244.1.2' && !lb.src, 'a Local load balancer reaches the endpoint node and keeps the client');
});

test('hairpin: a pod reaching its own Service is masqueraded to its node', () => {
  const t = translatorFor({}, [{ ip: '10.244.1.2', node: 'w1' }]);
  const d = route(t, flow('w1', undefined, { srcIp: '10.244.1.2' }));
  assert.equal(d?.action === 'translate' && d.src?.ip, '127.1.0.2');
});

/** A UDP socket's next message, or undefined after ms. */
const next = (s: UdpSocket, ms = 300): Promise<string | undefined> =>
  new Promise((resolve) => { const t = setTimeout(() => resolve(undefined), ms); s.onMessage((d) => { clearTimeout(t); resolve(d.toString()); }); });

test('UDP flows stick to their endpoint (conntrack); new flows spread', async () => {
  const net = createNetwork();
  const t = new ServiceTranslator(NODES);
  t.setTable(ProxyTable.empty(NODES).with(new Map([['default/web', compileService(svc('web', { ports: [{ port: 53, protocol: 'UDP' }] }),
    [slice('web', 'web-1', [{ ip: '10.244.1.2' }, { ip: '10.244.1.3' }], [{ name: '', port: 53, protocol: 'UDP' }])])]])));
  net.addTranslator(t);
  for (const ip of ['10.244.1.2', '10.244.1.3']) net.addStack([ip], { kind: 'pod', name: ip }).listenUdp(53, (_d, _f, reply) => reply(Buffer.from(ip)));
  const client = net.addStack(['10.244.9.9'], { kind: 'pod', name: 'client', nodeName: 'cp' });
  const ask = async (s: UdpSocket): Promise<string | undefined> => { const got = next(s); s.send(Buffer.from('q'), { ip: '10.96.0.100', port: 53 }); return got; };
  const one = client.udp();
  const same = new Set<string | undefined>();
  for (let i = 0; i < 20; i++) same.add(await ask(one));
  assert.equal(same.size, 1);
  const spread = new Set<string | undefined>();
  for (let i = 0; i < 40 && spread.size < 2; i++) { const s = client.udp(); spread.add(await ask(s)); s.close(); }
  assert.deepEqual([...spread].sort(), ['10.244.1.2', '10.244.1.3']);
});

test('traffic forwarded for an outside client carries the client as source: Local keeps it, Cluster masquerades', async () => {
  const net = createNetwork();
  const t = new ServiceTranslator(NODES);
  t.setTable(ProxyTable.empty(NODES).with(new Map([
    ['default/loc', compileService(svc('loc', { type: 'NodePort', clusterIP: '10.96.0.101', etp: 'Local', ports: [{ port: 80, nodePort: 30081 }] }), [slice('loc', 'loc-1', [{ ip: '10.244.1.2', node: 'w1' }])])],
    ['default/clu', compileService(svc('clu', { type: 'NodePort', clusterIP: '10.96.0.102', ports: [{ port: 80, nodePort: 30082 }] }), [slice('clu', 'clu-1', [{ ip: '10.244.1.2', node: 'w1' }])])],
  ])));
  net.addTranslator(t);
  const seen: Addr[] = [];
  net.addStack(['10.244.1.2'], { kind: 'pod', name: 'web', nodeName: 'w1' }).listen(8080, (c) => { seen.push(c.remote); c.end(); });
  const w1 = net.addStack(['127.1.0.2'], { kind: 'node', name: 'w1' });
  const client = { ip: '127.0.0.9', port: 5555 };
  (await w1.connect({ ip: '127.1.0.2', port: 30081 }, { client })).resume();
  (await w1.connect({ ip: '127.1.0.2', port: 30082 }, { client })).resume();
  assert.deepEqual(seen.map((a) => a.ip), ['127.0.0.9', '127.1.0.2']);
  (await w1.connect({ ip: '127.1.0.2', port: 30082 }, { client: { ip: '127.0.0.1', port: 5555 } })).resume();
  assert.equal(seen[2]?.ip, '127.1.0.2');
  assert.notEqual(seen[2]?.port, seen[1]?.port, 'two clients sharing a port are masqueraded to different node ports');
});
