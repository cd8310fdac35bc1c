// plan(flow) is pure: the same flow planned twice gives the same trace, and only commit records
// session affinity. Traces name the Service, the eligible endpoints and the rule, the choice, and
// each filter's verdict (what `knet explain` will print).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Flow, FlowPlan, Peer } from '../../net/flow.js';
import { createNetwork } from '../../net/network.js';
import type { Network } from '../../net/types.js';
import { compileService } from './compile.js';
import type { ProxyNode, ServicePort } from './model.js';
import { isServiceHop, ServiceTranslator, type ServiceHopDetail } from './translator.js';
import { ProxyTable } from './table.js';
import { slice, svc, type EpOpts, type SvcOpts } from './testdata.js';

const NODES: ProxyNode[] = [{ name: 'cp', ip: '127.1.0.1', zone: 'a' }, { name: 'w1', ip: '127.1.0.2', zone: 'a' }];
const EPS: EpOpts[] = [{ ip: '10.244.0.5', node: 'cp' }, { ip: '10.244.1.5', node: 'w1' }];
const LB_IP = '127.240.0.7';
const LABELS: Record<string, Record<string, string>> = { client: { app: 'client' }, 'ep-10.244.0.5': { app: 'web' }, 'ep-10.244.1.5': { app: 'web' } };

/** A network with two nodes, a client pod on cp, endpoint pods, and the service translator over `services`. */
function world(services: [SvcOpts, EpOpts[]][]): { net: Network; t: ServiceTranslator } {
  const net = createNetwork({ pods: { labels: (_ns, name) => LABELS[name], version: 0 } });
  for (const n of NODES) net.addStack([n.ip], { kind: 'node', name: n.name });
  net.addStack(['10.244.0.9'], { kind: 'pod', namespace: 'default', name: 'client', nodeName: 'cp' });
  for (const e of EPS) net.addStack([e.ip], { kind: 'pod', namespace: 'default', name: `ep-${e.ip}`, nodeName: e.node });
  const t = new ServiceTranslator(NODES);
  const changed = new Map<string, readonly ServicePort[]>();
  services.forEach(([o, eps], i) => changed.set(`default/s${i}`, compileService(svc(`s${i}`, o), [slice(`s${i}`, `s${i}-1`, eps)])));
  t.setTable(ProxyTable.empty(NODES).with(changed, NODES));
  net.addTranslator(t);
  return { net, t };
}

const POD: Peer = { kind: 'pod', ip: '10.244.0.9', namespace: 'default', name: 'client', node: 'cp', labels: { app: 'client' } };
function flow(dst: string, o: { seed?: number; at?: number; from?: Peer; node?: string; proto?: Flow['protocol'] } = {}): Flow {
  const [ip, port] = dst.split(':');
  const from = o.from ?? POD;
  return { protocol: o.proto ?? 'TCP', src: { ip: from.ip, port: 41000 }, dst: { ip: ip!, port: Number(port) }, from, node: o.node ?? from.node, seed: o.seed ?? 0, at: o.at ?? 1_000_000 };
}
function service(p: FlowPlan): ServiceHopDetail {
  const h = p.trace.find(isServiceHop);
  assert.ok(h?.detail, `a service hop in ${JSON.stringify(p.trace)}`);
  return h.detail;
}

test('ClusterIP: the trace names the Service, the eligible endpoints and rule, and the choice by the flow seed', () => {
  const { net } = world([[{ clusterIP: '10.96.0.50' }, EPS]]);
  const p = net.plan(flow('10.96.0.50:80', { seed: 0.75 }));
  assert.equal(p.verdict, 'deliver');
  assert.deepEqual(p.dst, { ip: '10.244.1.5', port: 8080 });
  assert.deepEqual(p.src, { ip: '10.244.0.9', port: 41000 });
  const d = service(p);
  assert.equal(d.service, 'default/s0');
  assert.equal(d.via, 'ClusterIP');
  assert.deepEqual(d.eligible.map((e) => e.addr), ['10.244.0.5:8080', '10.244.1.5:8080']);
  assert.equal(d.rule, 'ready endpoints');
  assert.equal(d.chosen?.addr, '10.244.1.5:8080');
  assert.equal(d.choice, 'seed');
  assert.deepEqual(p.to, { kind: 'pod', ip: '10.244.1.5', namespace: 'default', name: 'ep-10.244.1.5', node: 'w1', labels: { app: 'web' } });
  assert.equal(p.trace[0]!.summary, 'ClusterIP 10.96.0.50:80/TCP of Service default/s0 -> 10.244.1.5:8080 (1 of 2 ready endpoints)');
  const json = JSON.parse(JSON.stringify(p.trace[0])) as { summary: string; detail: { chosen: { addr: string }; eligible: unknown[] } };
  assert.deepEqual([json.summary, json.detail.chosen.addr, json.detail.eligible.length], [p.trace[0]!.summary, '10.244.1.5:8080', 2], 'a trace serializes as plain data');
  assert.equal(net.plan(flow('10.96.0.50:80', { seed: 0.1 })).dst.ip, '10.244.0.5', 'another seed, another endpoint');
});

test('the same flow planned twice gives the same trace and commits nothing', () => {
  const { net } = world([[{ clusterIP: '10.96.0.51', affinity: 60 }, EPS]]);
  const f = flow('10.96.0.51:80', { seed: 0.75 });
  const a = net.plan(f);
  const b = net.plan(f);
  assert.deepEqual(b, a);
  const other = net.plan(flow('10.96.0.51:80', { seed: 0.1 }));
  assert.equal(service(other).choice, 'seed', 'no affinity was recorded by planning');
  assert.equal(other.dst.ip, '10.244.0.5');
});

test('session affinity: commit records it, later flows of the client follow it until it times out', () => {
  const { net } = world([[{ clusterIP: '10.96.0.52', affinity: 10 }, EPS]]);
  const first = net.plan(flow('10.96.0.52:80', { seed: 0.75 }));
  assert.deepEqual(service(first).affinity, { key: 'default/s0:|i|10.244.0.9', seconds: 10 });
  net.commit(first);
  const again = net.plan(flow('10.96.0.52:80', { seed: 0.1, at: 1_009_000 }));
  assert.equal(again.dst.ip, '10.244.1.5');
  assert.equal(service(again).choice, 'affinity');
  const stranger = net.plan(flow('10.96.0.52:80', { seed: 0.1, from: { ...POD, ip: '10.244.0.77' } }));
  assert.equal(stranger.dst.ip, '10.244.0.5', 'another client is not affected');
  const late = net.plan(flow('10.96.0.52:80', { seed: 0.1, at: 1_010_001 }));
  assert.equal(service(late).choice, 'seed', 'expired after timeoutSeconds');
});

test('NodePort: Local keeps the client address and only serves on an endpoint node; Cluster masquerades to the node', () => {
  const { net } = world([
    [{ type: 'NodePort', clusterIP: '10.96.0.53', etp: 'Local', ports: [{ port: 80, nodePort: 30053 }] }, [EPS[1]!]],
    [{ type: 'NodePort', clusterIP: '10.96.0.54', ports: [{ port: 80, nodePort: 30054 }] }, [EPS[1]!]],
  ]);
  const outside: Peer = { kind: 'outside', ip: '127.0.0.9' };
  const local = net.plan(flow('127.1.0.2:30053', { from: outside, node: 'w1' }));
  assert.equal(local.verdict, 'deliver');
  assert.deepEqual(local.src, { ip: '127.0.0.9', port: 41000 });
  assert.deepEqual(local.from, outside);
  assert.equal(service(local).rule, 'ready endpoints on node w1 (externalTrafficPolicy: Local)');
  const elsewhere = net.plan(flow('127.1.0.1:30053', { from: outside, node: 'cp' }));
  assert.equal(elsewhere.verdict, 'drop');
  assert.match(elsewhere.trace[0]!.summary, /no local endpoints on cp \(externalTrafficPolicy: Local\)/);
  const cluster = net.plan(flow('127.1.0.1:30054', { from: outside, node: 'cp' }));
  assert.equal(cluster.dst.ip, '10.244.1.5');
  assert.deepEqual(cluster.src, { ip: '127.1.0.1', port: 41000 });
  assert.deepEqual(cluster.from, { kind: 'node', ip: '127.1.0.1', name: 'cp', node: 'cp' }, 'the endpoint sees the node');
  assert.deepEqual(service(cluster).masquerade, { ip: '127.1.0.1', why: 'externalTrafficPolicy: Cluster' });
  assert.match(cluster.trace[0]!.summary, /^NodePort 127\.1\.0\.1:30054\/TCP of Service default\/s1 -> 10\.244\.1\.5:8080 \(the only one of the ready endpoints\), source masqueraded to 127\.1\.0\.1 \(externalTrafficPolicy: Cluster\)$/);
});

test('LoadBalancer: outside clients enter at a node; Cluster masquerades, pods keep their address', () => {
  const { net } = world([[{ type: 'LoadBalancer', clusterIP: '10.96.0.55', lb: [LB_IP], ports: [{ port: 80, nodePort: 30055 }] }, EPS]]);
  const p = net.plan(flow(`${LB_IP}:80`, { from: { kind: 'outside', ip: '127.0.0.1' }, node: 'cp', seed: 0.9 }));
  assert.equal(p.verdict, 'deliver');
  assert.equal(service(p).via, 'LoadBalancer');
  assert.equal(p.src.ip, '127.1.0.1');
  const fromPod = net.plan(flow(`${LB_IP}:80`));
  assert.equal(fromPod.src.ip, '10.244.0.9');
});

test('no endpoints: reject, with the reason in the trace', () => {
  const { net } = world([[{ clusterIP: '10.96.0.56' }, []]]);
  const p = net.plan(flow('10.96.0.56:80'));
  assert.equal(p.verdict, 'reject');
  assert.deepEqual(p.trace.map((h) => [h.stage, h.by, h.action]), [['translate', 'service-proxy', 'reject']]);
  assert.equal(service(p).rule, 'service default/s0: has no endpoints');
});

test('terminating fallback: serving terminating endpoints only when none is ready', () => {
  const { net } = world([[{ clusterIP: '10.96.0.57' }, [{ ip: '10.244.1.5', node: 'w1', ready: false, serving: true, terminating: true }, { ip: '10.244.0.5', node: 'cp', ready: false, serving: false, terminating: true }]]]);
  const p = net.plan(flow('10.96.0.57:80'));
  assert.equal(p.dst.ip, '10.244.1.5');
  assert.equal(service(p).rule, 'serving terminating endpoints, none being ready');
  assert.deepEqual(service(p).eligible.map((e) => e.ip), ['10.244.1.5']);
});

test('filters see the final source and destination with live identities; their verdicts join the trace', () => {
  const { net } = world([[{ clusterIP: '10.96.0.58' }, EPS]]);
  const seen: string[] = [];
  net.addFilter({
    name: 'test-policy',
    check: (r) => {
      seen.push(`${r.from.labels?.app}@${r.src.ip} -> ${r.to.labels?.app}@${r.dst.ip}:${r.dst.port}`);
      const allow = r.to.ip !== '10.244.0.5';
      return { allow, hop: { stage: 'filter', by: 'test-policy', action: allow ? 'allow' : 'drop', summary: allow ? 'allowed' : 'dropped' } };
    },
  });
  const ok = net.plan(flow('10.96.0.58:80', { seed: 0.9 }));
  assert.deepEqual(ok.trace.map((h) => `${h.by}:${h.action}`), ['service-proxy:translate', 'test-policy:allow']);
  const denied = net.plan(flow('10.96.0.58:80', { seed: 0.1 }));
  assert.equal(denied.verdict, 'drop');
  assert.deepEqual(denied.trace.map((h) => `${h.by}:${h.action}`), ['service-proxy:translate', 'test-policy:drop']);
  assert.deepEqual(seen, ['client@10.244.0.9 -> web@10.244.1.5:8080', 'client@10.244.0.9 -> web@10.244.0.5:8080']);
});

test('an address nobody owns is dropped by the network, with the reason in the trace', () => {
  const { net } = world([]);
  const p = net.plan(flow('10.244.7.7:80'));
  assert.equal(p.verdict, 'drop');
  assert.deepEqual(p.trace.map((h) => `${h.stage}:${h.by}:${h.action}`), ['route:network:drop']);
});
