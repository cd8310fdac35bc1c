// The engine against the semantics of the NetworkPolicy docs and API (networking/v1 types.go);
// cases named after the upstream e2e titles (test/e2e/network/netpol/network_policy.go) where one applies.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { NetworkPolicy } from '../../api/kinds/networkpolicy.js';
import { defaultNetworkPolicy } from '../../api/kinds/networkpolicy.js';
import type { Peer } from '../../net/flow.js';
import type { Protocol } from '../../net/types.js';
import { PolicyEngine } from './engine.js';
import { formatRuleRef } from './model.js';

const NS = ['x', 'y', 'z'];
const PODS = ['a', 'b', 'c'];
const ip = (ns: string, pod: string): string => `10.244.${NS.indexOf(ns)}.${PODS.indexOf(pod) + 10}`;

/** The upstream model: x,y,z × a,b,c, ports 80/81 named serve-<port>-<proto>. */
function model(nsLabels: Record<string, Record<string, string>> = {}): PolicyEngine {
  const e = new PolicyEngine();
  for (const ns of NS) e.setNamespace({ metadata: { name: ns, labels: { 'kubernetes.io/metadata.name': ns, ...nsLabels[ns] } } });
  for (const ns of NS) for (const pod of PODS) e.setPod(podObj(ns, pod));
  return e;
}
function podObj(ns: string, pod: string, labels: Record<string, string> = { pod }): Parameters<PolicyEngine['setPod']>[0] {
  const containers = [80, 81].flatMap((port) => ['tcp', 'udp', 'sctp'].map((proto) => ({ name: `cont-${port}-${proto}`, image: 'agnhost', ports: [{ name: `serve-${port}-${proto}`, containerPort: port, protocol: proto.toUpperCase() }] })));
  return { metadata: { name: pod, namespace: ns, labels }, spec: { containers } };
}
function peer(ns: string, pod: string, labels: Record<string, string> = { pod }): Peer {
  return { kind: 'pod', ip: ip(ns, pod), namespace: ns, name: pod, node: 'n1', labels };
}
function policy(ns: string, name: string, spec: NetworkPolicy['spec']): NetworkPolicy {
  const np: NetworkPolicy = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace: ns }, spec: structuredClone(spec) };
  defaultNetworkPolicy(np);
  return np;
}
function allowed(e: PolicyEngine, from: string | Peer, to: string | Peer, port = 80, proto: Protocol = 'TCP'): boolean {
  const p = (s: string | Peer): Peer => (typeof s === 'string' ? peer(s.split('/')[0]!, s.split('/')[1]!) : s);
  return e.judge(p(from), p(to), port, proto).allow;
}

test('should support a default-deny-ingress policy: x is isolated, y and z are not; egress untouched', () => {
  const e = model();
  e.setPolicy(policy('x', 'deny-ingress', { podSelector: {}, ingress: [] }));
  assert.equal(allowed(e, 'y/a', 'x/a'), false);
  assert.equal(allowed(e, 'x/b', 'x/a'), false);
  assert.equal(allowed(e, 'x/a', 'y/a'), true);
  assert.equal(allowed(e, 'x/a', 'x/a'), true, 'a pod can always reach itself');
  const d = e.judge(peer('y', 'a'), peer('x', 'a'), 80, 'TCP');
  assert.equal(d.ingress?.reason, 'no-rules');
  assert.deepEqual(d.ingress?.selectedBy, ['x/deny-ingress']);
  assert.equal(d.egress?.isolated, false);
});

test('should support a default-deny-all policy: egress without rules defaults policyTypes to [Ingress, Egress] only when egress is non-empty', () => {
  const e = model();
  e.setPolicy(policy('x', 'deny-all', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }));
  assert.equal(allowed(e, 'x/a', 'y/a'), false);
  assert.equal(allowed(e, 'y/a', 'x/a'), false);
  assert.equal(allowed(e, 'y/a', 'z/a'), true);
  const egressOnly = model();
  egressOnly.setPolicy(policy('x', 'egress-only', { podSelector: {}, egress: [{ ports: [{ port: 53, protocol: 'UDP' }] }] }));
  assert.equal(allowed(egressOnly, 'y/a', 'x/a'), false, 'egress non-empty without policyTypes also isolates ingress');
});

test('should enforce policy to allow traffic from pods within server namespace based on PodSelector; rule indexes name the decider', () => {
  const e = model();
  e.setPolicy(policy('x', 'allow-b', { podSelector: { matchLabels: { pod: 'a' } }, ingress: [{ from: [{ podSelector: { matchLabels: { pod: 'c' } } }, { podSelector: { matchLabels: { pod: 'b' } } }] }] }));
  assert.equal(allowed(e, 'x/b', 'x/a'), true);
  assert.equal(allowed(e, 'y/b', 'x/a'), false, 'podSelector alone selects in the policy namespace only');
  assert.equal(allowed(e, 'x/a', 'x/b'), true);
  assert.equal(formatRuleRef(e.judge(peer('x', 'b'), peer('x', 'a'), 80, 'TCP').ingress!.allowedBy[0]!), 'x/allow-b ingress[0] from[1]');
  assert.equal(e.judge(peer('y', 'b'), peer('x', 'a'), 80, 'TCP').ingress?.reason, 'peer');
});

test('namespaceSelector and podSelector in one peer (AND) versus two peers (OR)', () => {
  const and = model({ y: { team: 'blue' } });
  and.setPolicy(policy('x', 'and', { podSelector: { matchLabels: { pod: 'a' } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'blue' } }, podSelector: { matchLabels: { pod: 'b' } } }] }] }));
  assert.equal(allowed(and, 'y/b', 'x/a'), true);
  assert.equal(allowed(and, 'y/c', 'x/a'), false);
  assert.equal(allowed(and, 'x/b', 'x/a'), false);
  const or = model({ y: { team: 'blue' } });
  or.setPolicy(policy('x', 'or', { podSelector: { matchLabels: { pod: 'a' } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'blue' } } }, { podSelector: { matchLabels: { pod: 'b' } } }] }] }));
  assert.equal(allowed(or, 'y/c', 'x/a'), true);
  assert.equal(allowed(or, 'x/b', 'x/a'), true);
  assert.equal(allowed(or, 'x/c', 'x/a'), false);
  assert.equal(allowed(or, 'z/b', 'x/a'), false);
});

test('should enforce policy based on NamespaceSelector with MatchExpressions using default ns label; empty namespaceSelector means all namespaces, not outside addresses', () => {
  const e = model();
  e.setPolicy(policy('x', 'ns-expr', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['y'] }] } }] }] }));
  assert.equal(allowed(e, 'y/a', 'x/a'), false);
  assert.equal(allowed(e, 'z/a', 'x/a'), true);
  const all = model();
  all.setPolicy(policy('x', 'all-ns', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: {} }] }] }));
  assert.equal(allowed(all, 'z/c', 'x/a'), true);
  assert.equal(allowed(all, { kind: 'outside', ip: '192.0.2.1' }, 'x/a'), false);
});

test('ports: numbers, endPort ranges, named ports resolved on the destination pod, protocol defaulting to TCP', () => {
  const e = model();
  e.setPolicy(policy('x', 'ports', { podSelector: {}, ingress: [{ ports: [{ port: 'serve-81-tcp' }] }, { ports: [{ port: 8000, endPort: 8080 }] }] }));
  assert.equal(allowed(e, 'y/a', 'x/a', 81), true);
  assert.equal(allowed(e, 'y/a', 'x/a', 80), false);
  assert.equal(e.judge(peer('y', 'a'), peer('x', 'a'), 80, 'TCP').ingress?.reason, 'port');
  assert.equal(allowed(e, 'y/a', 'x/a', 81, 'UDP'), false, 'the named port is TCP; the rule defaults to TCP');
  assert.equal(allowed(e, 'y/a', 'x/a', 8080), true);
  assert.equal(allowed(e, 'y/a', 'x/a', 8081), false);
  const egress = model();
  egress.setPolicy(policy('x', 'egress-named', { podSelector: {}, policyTypes: ['Egress'], egress: [{ ports: [{ port: 'serve-80-tcp' }] }] }));
  assert.equal(allowed(egress, 'x/a', 'y/b', 80), true);
  assert.equal(allowed(egress, 'x/a', 'y/b', 81), false);
  assert.equal(allowed(egress, 'x/a', { kind: 'outside', ip: '192.0.2.1' }, 80), false, 'a named port never matches a destination that is not a pod');
});

test('should not mistakenly treat protocol SCTP as TCP; should not allow access by TCP when a policy specifies only UDP', () => {
  const e = model();
  e.setPolicy(policy('x', 'sctp', { podSelector: {}, ingress: [{ ports: [{ protocol: 'SCTP', port: 80 }] }] }));
  assert.equal(allowed(e, 'y/a', 'x/a', 80, 'TCP'), false);
  assert.equal(allowed(e, 'y/a', 'x/a', 80, 'SCTP'), true);
  const udp = model();
  udp.setPolicy(policy('x', 'udp', { podSelector: {}, ingress: [{ ports: [{ protocol: 'UDP' }] }] }));
  assert.equal(allowed(udp, 'y/a', 'x/a', 81, 'UDP'), true);
  assert.equal(allowed(udp, 'y/a', 'x/a', 81, 'TCP'), false);
});

test('ipBlock with except applies to pod IPs and outside addresses; should ensure an IP overlapping both IPBlock.CIDR and IPBlock.Except is allowed', () => {
  const e = model();
  const target = ip('y', 'b');
  e.setPolicy(policy('x', 'cidr', { podSelector: { matchLabels: { pod: 'a' } }, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '10.244.0.0/16', except: [`${target}/32`] } }] }] }));
  assert.equal(allowed(e, 'x/a', 'y/a'), true);
  assert.equal(allowed(e, 'x/a', 'y/b'), false);
  assert.equal(allowed(e, 'x/a', { kind: 'outside', ip: '192.0.2.1' }), false);
  e.setPolicy(policy('x', 'pod-b', { podSelector: { matchLabels: { pod: 'a' } }, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: `${target}/32` } }] }] }));
  assert.equal(allowed(e, 'x/a', 'y/b'), true, 'another policy allowing the excepted address wins (union)');
  const outside = model();
  outside.setPolicy(policy('x', 'from-host', { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '127.0.0.1/32' } }] }] }));
  assert.equal(allowed(outside, { kind: 'outside', ip: '127.0.0.1' }, 'x/a'), true);
  assert.equal(allowed(outside, { kind: 'outside', ip: '127.0.0.2' }, 'x/a'), false);
  assert.equal(allowed(outside, { kind: 'node', ip: '127.1.0.1', name: 'n1', node: 'n1' }, 'x/a'), true, "the pod's own node always reaches it");
  assert.equal(allowed(outside, { kind: 'node', ip: '127.1.0.2', name: 'n2', node: 'n2' }, 'x/a'), false, 'another node is judged by its address');
});

test('both ends: should support denying of egress traffic on the client side (even if the server explicitly allows this traffic)', () => {
  const e = model();
  e.setPolicy(policy('x', 'deny-egress', { podSelector: { matchLabels: { pod: 'a' } }, policyTypes: ['Egress'] }));
  e.setPolicy(policy('y', 'allow-all', { podSelector: {}, ingress: [{}] }));
  assert.equal(allowed(e, 'x/a', 'y/a'), false);
  const d = e.judge(peer('x', 'a'), peer('y', 'a'), 80, 'TCP');
  assert.equal(d.egress?.allow, false);
  assert.equal(d.ingress?.allow, true);
  assert.equal(formatRuleRef(d.ingress!.allowedBy[0]!), 'y/allow-all ingress[0]');
});

test('live changes: updated namespace labels, updated pod labels, updated and deleted policies take effect at once', () => {
  const e = model();
  e.setPolicy(policy('x', 'from-team', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'blue' } } }] }] }));
  assert.equal(allowed(e, 'y/a', 'x/a'), false);
  e.setNamespace({ metadata: { name: 'y', labels: { 'kubernetes.io/metadata.name': 'y', team: 'blue' } } });
  assert.equal(allowed(e, 'y/a', 'x/a'), true, 'should allow ingress access from updated namespace');
  e.setPolicy(policy('x', 'from-team', { podSelector: {}, ingress: [{ from: [{ podSelector: { matchLabels: { role: 'client' } } }] }] }));
  assert.equal(allowed(e, 'x/b', 'x/a'), false);
  e.setPod(podObj('x', 'b', { pod: 'b', role: 'client' }));
  assert.equal(allowed(e, peer('x', 'b', { pod: 'b', role: 'client' }), 'x/a'), true, 'should allow ingress access from updated pod');
  e.setPod(podObj('x', 'c', { pod: 'c', excluded: 'true' }));
  e.setPolicy(policy('x', 'from-team', { podSelector: { matchExpressions: [{ key: 'excluded', operator: 'DoesNotExist' }] }, ingress: [] }));
  assert.equal(allowed(e, 'y/a', peer('x', 'c', { pod: 'c', excluded: 'true' })), true, 'should deny ingress access to updated pod — the reverse: a pod leaving the selector is no longer isolated');
  assert.equal(allowed(e, 'y/a', 'x/a'), false);
  e.deletePolicy('x', 'from-team');
  assert.equal(allowed(e, 'y/a', 'x/a'), true, 'should stop enforcing policies after they are deleted');
});

test('verdicts are shared by pods of one identity but keep each pod name', () => {
  const e = model();
  e.setPolicy(policy('x', 'deny', { podSelector: {}, ingress: [] }));
  e.setPod(podObj('x', 'd', { pod: 'a' }));
  const one = e.judge(peer('y', 'a'), peer('x', 'a'), 80, 'TCP');
  const two = e.judge(peer('y', 'a'), { ...peer('x', 'd', { pod: 'a' }), ip: '10.244.0.99' }, 80, 'TCP');
  assert.equal(one.ingress?.pod, 'x/a');
  assert.equal(two.ingress?.pod, 'x/d');
  assert.equal(two.allow, false);
});

test('the fast path (allows) agrees with the explained verdict (judge) on random policies, before and after live changes', () => {
  let seed = 7;
  const rnd = (n: number): number => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
  const pick = <T>(xs: readonly T[]): T => xs[rnd(xs.length)]!;
  const selector = (): NonNullable<NonNullable<NetworkPolicy['spec']>['podSelector']> => pick([{}, { matchLabels: { pod: pick(PODS) } }, { matchExpressions: [{ key: 'pod', operator: 'NotIn', values: [pick(PODS)] }] }]);
  const peerOf = (): object => pick([
    { podSelector: selector() }, { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': pick(NS) } } },
    { namespaceSelector: {}, podSelector: selector() }, { ipBlock: { cidr: '10.244.0.0/16', except: [`${ip(pick(NS), pick(PODS))}/32`] } }, { ipBlock: { cidr: '192.0.2.0/24' } },
  ]);
  const portsOf = (): object[] | undefined => pick([undefined, [{ port: 80 }], [{ port: 'serve-81-tcp' }], [{ protocol: 'UDP' }], [{ port: 79, endPort: 80 }]]);
  const rule = (): object => ({ ...(rnd(3) ? { from: [peerOf(), peerOf()].slice(0, 1 + rnd(2)), to: [peerOf()] } : {}), ...(rnd(2) ? { ports: portsOf() } : {}) });
  const e = model();
  const ends: Peer[] = [...NS.flatMap((n) => PODS.map((p) => peer(n, p))), { kind: 'outside', ip: '192.0.2.9' }, { kind: 'node', ip: '127.1.0.2', name: 'n2', node: 'n2' }];
  for (let round = 0; round < 6; round++) {
    for (let i = 0; i < 4; i++) {
      const types = pick([undefined, ['Ingress'], ['Egress'], ['Ingress', 'Egress']]);
      e.setPolicy(policy(pick(NS), `p${rnd(6)}`, { podSelector: selector(), ...(types ? { policyTypes: types as ('Ingress' | 'Egress')[] } : {}), ingress: [rule(), rule()].slice(0, rnd(3)), egress: [rule()].slice(0, rnd(2)) } as NetworkPolicy['spec']));
    }
    if (round === 3) e.setNamespace({ metadata: { name: 'y', labels: { 'kubernetes.io/metadata.name': 'z' } } });
    for (const from of ends) for (const to of ends) for (const [port, proto] of [[80, 'TCP'], [81, 'TCP'], [81, 'UDP']] as const) {
      assert.equal(e.allows(from, to, port, proto), e.judge(from, to, port, proto).allow, `round ${round}: ${from.ip} -> ${to.ip}:${port}/${proto}`);
    }
  }
});

test('review: an address reused by another pod never gets the verdict cached for the previous one (ipBlock policies key by address)', () => {
  const e = model();
  e.setPolicy(policy('x', 'srv', { podSelector: { matchLabels: { pod: 'a' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'a' } } }, { ipBlock: { cidr: '192.0.2.0/24' } }] }] }));
  const at = (ns: string, name: string, labels: Record<string, string>): Peer => ({ kind: 'pod', ip: '10.0.0.9', namespace: ns, name, node: 'n1', labels });
  e.setPod(podObj('x', 'old', { app: 'a' }));
  assert.equal(e.allows(at('x', 'old', { app: 'a' }), peer('x', 'a'), 80, 'TCP'), true);
  e.setPod(podObj('x', 'new', { app: 'b' }));
  const reused = at('x', 'new', { app: 'b' });
  assert.equal(e.allows(reused, peer('x', 'a'), 80, 'TCP'), false);
  assert.equal(e.judge(reused, peer('x', 'a'), 80, 'TCP').allow, false);
  // A pod the engine does not know yet, then knows with other labels.
  const early: Peer = at('x', 'late', { app: 'a' });
  assert.equal(e.allows(early, peer('x', 'a'), 80, 'TCP'), true);
  e.setPod(podObj('x', 'late', { app: 'b' }));
  assert.equal(e.allows(at('x', 'late', { app: 'b' }), peer('x', 'a'), 80, 'TCP'), false);
});

test('review: renumbering the address table never answers from the old numbering', () => {
  const e = model();
  e.setPolicy(policy('x', 'block', { podSelector: { matchLabels: { pod: 'a' } }, ingress: [{ from: [{ ipBlock: { cidr: '192.0.2.0/24' } }] }] }));
  const out = (ip: string): Peer => ({ kind: 'outside', ip });
  assert.equal(e.allows(out('192.0.2.1'), peer('x', 'a'), 80, 'TCP'), true);
  for (let i = 0; i < 100_000; i++) e.allows(out(`198.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`), peer('x', 'a'), 80, 'TCP');
  assert.equal(e.allows(out('203.0.113.7'), peer('x', 'a'), 80, 'TCP'), false);
  assert.equal(e.allows(out('192.0.2.1'), peer('x', 'a'), 80, 'TCP'), true);
});

test('hostNetwork pods are not subject to NetworkPolicy: their traffic is their node\'s (docs)', () => {
  const e = model();
  const host = podObj('x', 'h', { pod: 'h' });
  host.spec!.hostNetwork = true;
  e.setPod(host);
  e.setPolicy(policy('x', 'deny-all', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }));
  const h: Peer = { kind: 'pod', ip: '127.1.0.1', namespace: 'x', name: 'h', node: 'n1', labels: { pod: 'h' } };
  assert.equal(e.allows(h, peer('x', 'a'), 80, 'TCP'), true, 'from its own node');
  assert.equal(e.judge(h, peer('x', 'a'), 80, 'TCP').ingress?.always, 'node');
  assert.equal(e.allows(peer('y', 'a'), h, 80, 'TCP'), true, 'not isolated for ingress');
  assert.equal(e.allows(peer('x', 'a'), h, 80, 'TCP'), false, 'the sender is still judged for egress');
});
