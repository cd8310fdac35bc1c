// The filter in a real virtual network: a denied TCP dial is dropped (ETIMEDOUT after the client's
// timeout, never refused), denied UDP vanishes, replies of allowed flows pass (conntrack), the
// pod's own loopback is never judged, and the drop log names the deciding policy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultNetworkPolicy, type NetworkPolicy } from '../../api/kinds/networkpolicy.js';
import { createNetwork } from '../../net/network.js';
import { NetError, type NetStack } from '../../net/types.js';
import type { FlowPlan } from '../../net/flow.js';
import { PolicyEngine } from './engine.js';
import { NetworkPolicyFilter } from './filter.js';
import { formatDrop } from './index.js';

const LABELS: Record<string, Record<string, string>> = { web: { app: 'web' }, api: { app: 'api' }, other: { app: 'other' } };

function world(): { engine: PolicyEngine; stacks: Record<string, NetStack>; drops: FlowPlan[] } {
  const drops: FlowPlan[] = [];
  const net = createNetwork({ pods: { labels: (_ns, name) => LABELS[name], version: 0 }, onDrop: (p) => drops.push(p) });
  const engine = new PolicyEngine();
  engine.setNamespace({ metadata: { name: 'default', labels: { 'kubernetes.io/metadata.name': 'default' } } });
  const stacks: Record<string, NetStack> = {};
  Object.keys(LABELS).forEach((name, i) => {
    engine.setPod({ metadata: { name, namespace: 'default', labels: LABELS[name] }, spec: { containers: [{ name: 'c', image: 'x', ports: [{ name: 'http', containerPort: 3000 }] }] } });
    stacks[name] = net.addStack([`10.244.0.${i + 10}`], { kind: 'pod', namespace: 'default', name, nodeName: 'n1' });
  });
  net.addFilter(new NetworkPolicyFilter(engine));
  return { engine, stacks, drops };
}

function allowWebToApi(): NetworkPolicy {
  const np: NetworkPolicy = { metadata: { name: 'allow-web-to-api', namespace: 'default' }, spec: { podSelector: { matchLabels: { app: 'api' } }, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ protocol: 'TCP', port: 3000 }] }] } };
  defaultNetworkPolicy(np);
  return np;
}

test('seed 000 allow-web-to-api: web reaches api:3000, other pods time out (dropped, not refused), the drop is logged', async () => {
  const { engine, stacks, drops } = world();
  stacks.api!.listen(3000, (c) => c.end('hi'));
  engine.setPolicy(allowWebToApi());
  const ok = await stacks.web!.connect({ ip: '10.244.0.11', port: 3000 });
  ok.destroy();
  const t0 = Date.now();
  await assert.rejects(stacks.other!.connect({ ip: '10.244.0.11', port: 3000 }, { timeoutMs: 150 }), (e: NetError) => e.code === 'ETIMEDOUT');
  assert.ok(Date.now() - t0 >= 140, 'a dropped dial waits for its timeout');
  assert.equal(drops.length, 1);
  assert.equal(formatDrop(drops[0]!).replace(/:\d+ \(default\/other\)/, ':P (default/other)'),
    'network-policy: dropped TCP 10.244.0.12:P (default/other) -> 10.244.0.11:3000 (default/api): egress of default/other: allowed: no policy selects it for Egress (allowed by default); ingress of default/api: dropped: selected by default/allow-web-to-api (Ingress), no rule allows this source');
  // The pod's own loopback and own address are never filtered.
  engine.setPolicy({ ...allowWebToApi(), metadata: { name: 'deny', namespace: 'default' }, spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] } });
  (await stacks.api!.connect({ ip: '127.0.0.1', port: 3000 })).destroy();
  (await stacks.api!.connect({ ip: '10.244.0.11', port: 3000 })).destroy();
});

test('UDP: a denied datagram vanishes without an error; replies of an allowed flow always pass', async () => {
  const { engine, stacks } = world();
  stacks.api!.listenUdp(53, (d, _from, reply) => reply(Buffer.from(`re:${d.toString()}`)));
  engine.setPolicy({ metadata: { name: 'udp', namespace: 'default' }, spec: { podSelector: { matchLabels: { app: 'api' } }, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ protocol: 'UDP', port: 53 }] }] } });
  // web is itself isolated for ingress: the reply from api must still reach it.
  engine.setPolicy({ metadata: { name: 'web-deny', namespace: 'default' }, spec: { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Ingress'] } });
  const got = async (from: NetStack): Promise<string> => {
    const s = from.udp();
    let errors = 0;
    s.onError?.(() => { errors++; });
    const answer = new Promise<string>((r) => { s.onMessage((d) => r(d.toString())); setTimeout(() => r(errors ? 'error' : 'nothing'), 100); });
    s.send(Buffer.from('q'), { ip: '10.244.0.11', port: 53 });
    const a = await answer;
    s.close();
    return a;
  };
  assert.equal(await got(stacks.web!), 're:q');
  assert.equal(await got(stacks.other!), 'nothing');
});
