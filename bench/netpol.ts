/**
 * NetworkPolicy benchmark (issue "NetworkPolicy enforced, explained and checkable"):
 *  1. the truth table for 1,000 pods × 200 policies (goal ≤ 1 s; Cyclonus and np-guard take minutes);
 *  2. the verdict cost of a new connection with 200 policies, warm and right after a change (goal ≤ 2 µs);
 *  3. a policy change → enforced on new connections with 1,000 pods, through the API, the watch and
 *     the engine (goal p99 ≤ 50 ms);
 *  4. pod-to-pod request rate over new connections with 200 policies present versus none, same run (goal ≥ 0.95×).
 * Run: `node dist/bench/netpol.js [pods=1000] [policies=200]`.
 */
import { baseEnv } from '../src/controllers/util/testenv.js';
import { buildModel } from '../src/analysis/model.js';
import { makeSnapshot } from '../src/analysis/snapshot.js';
import { tablePods, truthTable } from '../src/analysis/matrix.js';
import { PolicyEngine } from '../src/dataplane/policy/engine.js';
import { startNetworkPolicy } from '../src/dataplane/policy/index.js';
import { NetworkPolicyFilter } from '../src/dataplane/policy/filter.js';
import { createNetwork } from '../src/net/network.js';
import type { Flow, Peer } from '../src/net/flow.js';
import type { NetStack } from '../src/net/types.js';
import { namespaces, pod, policy } from './netpol-fixtures.js';

const PODS = Number(process.argv[2] ?? '1000');
const POLICIES = Number(process.argv[3] ?? '200');
const NODE = { metadata: { name: 'n1' }, status: { addresses: [{ type: 'InternalIP', address: '127.1.0.1' }] } };
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const q = (xs: number[], p: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))]!;

function truthTableSeconds(): void {
  const pods = Array.from({ length: PODS }, (_, i) => pod(i));
  const runs: number[] = [];
  let allowed = 0;
  for (let r = 0; r < 3; r++) {
    const t0 = performance.now();
    const model = buildModel(makeSnapshot({ namespaces: namespaces(), pods, services: [], endpointSlices: [], networkPolicies: Array.from({ length: POLICIES }, (_, i) => policy(i)), nodes: [NODE] }));
    const t = truthTable(model, tablePods(model, []), [{ protocol: 'TCP', port: 8080 }]);
    runs.push(performance.now() - t0);
    allowed = t.cells.get('TCP/8080')!.flat().filter(Boolean).length;
  }
  console.log(`truth table ${PODS} pods × ${PODS} pods × TCP/8080 with ${POLICIES} policies (model built from objects included): median ${(median(runs) / 1000).toFixed(2)} s of 3 runs (min ${(Math.min(...runs) / 1000).toFixed(2)} s); ${allowed} of ${PODS * PODS} cells allowed (goal ≤ 1 s)`);
}

const asPeer = (p: ReturnType<typeof pod>): Peer => ({ kind: 'pod', ip: p.status!.podIP!, namespace: p.metadata.namespace, name: p.metadata.name, node: 'n1', labels: p.metadata.labels });

/** Two pods of one namespace where the source may send TCP 7777 but the destination's ingress drops it (so one allow rule decides). */
function closedPair(): [ReturnType<typeof pod>, ReturnType<typeof pod>] {
  const engine = new PolicyEngine();
  for (const n of namespaces()) engine.setNamespace(n);
  for (let i = 0; i < PODS; i++) engine.setPod(pod(i));
  for (let i = 0; i < POLICIES; i++) engine.setPolicy(policy(i));
  for (let i = 0; i < PODS; i++) {
    for (let j = i + 20; j < PODS; j += 20) {
      const d = engine.judge(asPeer(pod(i)), asPeer(pod(j)), 7777, 'TCP');
      if (d.egress?.allow && d.ingress && !d.ingress.allow) return [pod(i), pod(j)];
    }
  }
  throw new Error('no closed pair in the fixture');
}

function verdictCost(): void {
  const engine = new PolicyEngine();
  for (const n of namespaces()) engine.setNamespace(n);
  const pods = Array.from({ length: PODS }, (_, i) => pod(i));
  for (const p of pods) engine.setPod(p);
  for (let i = 0; i < POLICIES; i++) engine.setPolicy(policy(i));
  const peers: Peer[] = pods.map(asPeer);
  const pairs = Array.from({ length: 200_000 }, (_, i) => [peers[(i * 7919) % PODS]!, peers[(i * 104_729 + 13) % PODS]!] as const);
  const measure = (portOf: (i: number) => number): number => {
    const t0 = process.hrtime.bigint();
    let n = 0;
    for (let i = 0; i < pairs.length; i++) if (engine.allows(pairs[i]![0], pairs[i]![1], portOf(i), 'TCP')) n++;
    return Number(process.hrtime.bigint() - t0) / pairs.length / 1000 + (n < 0 ? 1 : 0);
  };
  const warm: number[] = [];
  const uncached: number[] = [];
  for (let r = 0; r < 5; r++) {
    engine.setPolicy(policy(r)); // a change: every memo starts empty
    measure(() => 8080);
    warm.push(measure(() => 8080));
    uncached.push(measure((i) => 10_000 + ((i + r * pairs.length) % 50_000))); // a port never asked before: each verdict computed from the rules
  }
  console.log(`verdict per new connection with ${POLICIES} policies, ${PODS} pods, ${pairs.length} random pairs: ${median(warm).toFixed(3)} µs memoized, ${median(uncached).toFixed(3)} µs computed from the rules (median of 5; goal ≤ 2 µs)`);
}

async function changeToEnforced(): Promise<void> {
  const { client, view } = await baseEnv(1);
  for (const n of namespaces()) await client.create({ resource: 'namespaces' }, { metadata: n.metadata });
  for (let i = 0; i < PODS; i++) await client.create({ resource: 'pods' }, pod(i));
  for (let i = 0; i < POLICIES; i++) await client.create({ resource: 'networkpolicies', group: 'networking.k8s.io' }, policy(i));
  const net = createNetwork({ pods: { labels: (ns, name) => view.pods.get(ns, name)?.metadata.labels, get version() { return view.pods.changes; } } });
  const enforcement = startNetworkPolicy(view, net);
  const [src, dst] = closedPair(); // dropped until the allow rule arrives
  net.addStack([src.status!.podIP!], { kind: 'pod', namespace: src.metadata.namespace, name: src.metadata.name, nodeName: 'n1' });
  net.addStack([dst.status!.podIP!], { kind: 'pod', namespace: dst.metadata.namespace, name: dst.metadata.name, nodeName: 'n1' });
  const from = net.stackFor(src.status!.podIP!)!;
  const flow = (): Flow => ({ protocol: 'TCP', src: { ip: from.ips[0]!, port: 40000 }, dst: { ip: dst.status!.podIP!, port: 7777 }, from: { kind: 'pod', ip: from.ips[0]!, namespace: src.metadata.namespace, name: src.metadata.name, node: 'n1', labels: view.pods.get(src.metadata.namespace!, src.metadata.name!)?.metadata.labels }, node: 'n1', seed: 0, at: Date.now() });
  const until = async (verdict: 'deliver' | 'drop'): Promise<void> => {
    const give = performance.now() + 5000;
    while (net.plan(flow()).verdict !== verdict) {
      if (performance.now() > give) throw new Error(`the flow never became ${verdict}`);
      await new Promise((r) => setImmediate(r));
    }
  };
  const NP = { resource: 'networkpolicies', group: 'networking.k8s.io' };
  const times: number[] = [];
  const ns = dst.metadata.namespace!;
  for (let c = 0; c < 100; c++) {
    const allow = { metadata: { name: 'bench-allow', namespace: ns }, spec: { podSelector: { matchLabels: dst.metadata.labels }, ingress: [{ from: [{ podSelector: { matchLabels: src.metadata.labels } }], ports: [{ port: 7777 }] }] } };
    let t0 = performance.now();
    await client.create(NP, allow);
    await until('deliver');
    times.push(performance.now() - t0);
    t0 = performance.now();
    await client.delete(NP, ns, 'bench-allow');
    await until('drop');
    times.push(performance.now() - t0);
  }
  console.log(`policy change → enforced on new connections (${PODS} pods, ${POLICIES} policies, 200 changes through the in-process API: write, watch, informer, engine): p50 ${q(times, 0.5).toFixed(2)} ms, p99 ${q(times, 0.99).toFixed(2)} ms, max ${Math.max(...times).toFixed(2)} ms (goal p99 ≤ 50 ms)`);
  enforcement.stop();
  view.stop();
}

/** Connections opened, one request and answer each, `parallel` at a time for `ms`; returns per second. */
async function requestRate(from: NetStack, ip: string, port: number, ms: number, parallel = 32): Promise<number> {
  let n = 0;
  const end = performance.now() + ms;
  const worker = async (): Promise<void> => {
    while (performance.now() < end) {
      const c = await from.connect({ ip, port });
      await new Promise<void>((resolve) => { c.once('data', () => { c.end(); resolve(); }); c.write('GET / HTTP/1.1\r\n\r\n'); });
      n++;
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return n / (ms / 1000);
}

async function podToPod(): Promise<void> {
  const rates: Record<'none' | 'policies', number[]> = { none: [], policies: [] };
  for (let round = 0; round < 3; round++) {
    for (const mode of ['none', 'policies'] as const) {
      const pods = Array.from({ length: PODS }, (_, i) => pod(i));
      const engine = new PolicyEngine();
      for (const n of namespaces()) engine.setNamespace(n);
      for (const p of pods) engine.setPod(p);
      // Policies select both ends and allow this flow, so both sides are judged on every connection.
      if (mode === 'policies') for (let i = 0; i < POLICIES; i++) engine.setPolicy(policy(i));
      const net = createNetwork({ pods: { labels: (ns, name) => pods.find((p) => p.metadata.namespace === ns && p.metadata.name === name)?.metadata.labels, version: 0 } });
      net.addFilter(new NetworkPolicyFilter(engine));
      const [a, b] = [pods[4]!, pods[24]!]; // both in ns4, app a4: allowed by the app-to-app policy shape
      const sa = net.addStack([a.status!.podIP!], { kind: 'pod', namespace: a.metadata.namespace, name: a.metadata.name, nodeName: 'n1' });
      const sb = net.addStack([b.status!.podIP!], { kind: 'pod', namespace: b.metadata.namespace, name: b.metadata.name, nodeName: 'n1' });
      sb.listen(8080, (c) => c.once('data', () => c.end('HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok')));
      rates[mode].push(await requestRate(sa, b.status!.podIP!, 8080, 1500));
    }
  }
  const none = median(rates.none), pol = median(rates.policies);
  console.log(`pod-to-pod requests over new connections: ${pol.toFixed(0)}/s with ${POLICIES} policies judging both ends vs ${none.toFixed(0)}/s with none = ${(pol / none).toFixed(2)}× (median of 3 alternating rounds; goal ≥ 0.95×)`);
}

truthTableSeconds();
verdictCost();
await changeToEnforced();
await podToPod();
