import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { corefileHandler, fakeUpstream, rr } from '../../testutil.js';

// Only forward runs after kubernetes (plugin.cfg order): an upstream shows what fell through.
let up: Awaited<ReturnType<typeof fakeUpstream>>;
before(async () => {
  up = await fakeUpstream({ 'nope.default.svc.cluster.local A': [{ name: '', type: 'A', ttl: 5, data: '192.0.2.7' }], '1.0.0.10.in-addr.arpa PTR': [{ name: '', type: 'PTR', ttl: 5, data: 'other.test' }] });
});
after(() => up.close());
const F = 'forward . /etc/resolv.conf';

// [name, kubernetes directive, query, type, rcode, answers]
const cases: [string, string, string, string, string, string[]][] = [
  ['CoreDNS defaults: pods disabled', 'kubernetes cluster.local', '10-244-2-9.dns-a.pod.cluster.local', 'A', 'NXDOMAIN', []],
  ['pods insecure', 'kubernetes cluster.local {\n  pods insecure\n}', '10-9-9-9.dns-a.pod.cluster.local', 'A', 'NOERROR', ['A 10.9.9.9']],
  ['pods verified: only a pod with that IP in that namespace', 'kubernetes cluster.local {\n  pods verified\n}', '10-9-9-9.dns-a.pod.cluster.local', 'A', 'NXDOMAIN', []],
  ['pods verified: an existing pod', 'kubernetes cluster.local {\n  pods verified\n}', '10-244-2-9.dns-a.pod.cluster.local', 'A', 'NOERROR', ['A 10.244.2.9']],
  ['another zone', 'kubernetes k8s.test', 'web.dns-a.svc.k8s.test', 'A', 'NOERROR', ['A 10.96.5.5']],
  ['without fallthrough NXDOMAIN stays', `kubernetes cluster.local\n${F}`, 'nope.default.svc.cluster.local', 'A', 'NXDOMAIN', []],
  ['fallthrough hands NXDOMAIN names on', `kubernetes cluster.local {\n  fallthrough\n}\n${F}`, 'nope.default.svc.cluster.local', 'A', 'NOERROR', ['A 192.0.2.7']],
  ['fallthrough limited to other zones', `kubernetes cluster.local {\n  fallthrough in-addr.arpa\n}\n${F}`, 'nope.default.svc.cluster.local', 'A', 'NXDOMAIN', []],
  ['reverse names pass on when no reverse zone is listed', `kubernetes cluster.local\n${F}`, '1.0.0.10.in-addr.arpa', 'PTR', 'NOERROR', ['PTR other.test']],
  ['reverse zone listed', 'kubernetes cluster.local in-addr.arpa', '1.0.96.10.in-addr.arpa', 'PTR', 'NOERROR', ['PTR kubernetes.default.svc.cluster.local']],
  ['reverse zone listed, unknown IP outside the cluster ranges, no fallthrough: NXDOMAIN', `kubernetes cluster.local in-addr.arpa\n${F}`, '1.0.0.10.in-addr.arpa', 'PTR', 'NXDOMAIN', []],
  ['kubeadm: fallthrough in-addr.arpa forwards it', `kubernetes cluster.local in-addr.arpa {\n  fallthrough in-addr.arpa\n}\n${F}`, '1.0.0.10.in-addr.arpa', 'PTR', 'NOERROR', ['PTR other.test']],
];

test('kubernetes directive options (table)', async () => {
  for (const [name, directive, q, type, rcode, answers] of cases) {
    const r = await corefileHandler(`. {\n${directive}\n}\n`, { upstream: up.server }).ask(q, type);
    assert.equal(r.rcode, rcode, name);
    assert.deepEqual(r.answers?.map(rr), answers, name);
  }
});

test('ttl: CoreDNS default 5, configurable', async () => {
  const five = await corefileHandler('. {\n  kubernetes cluster.local\n}\n').ask('web.dns-a.svc.cluster.local');
  assert.equal((five.answers![0] as { ttl: number }).ttl, 5);
  const thirty = await corefileHandler('. {\n  kubernetes cluster.local {\n    ttl 30\n  }\n}\n').ask('web.dns-a.svc.cluster.local');
  assert.equal((thirty.answers![0] as { ttl: number }).ttl, 30);
  assert.throws(() => corefileHandler('. {\n  kubernetes {\n    nonsense\n  }\n}\n'), { message: /unknown property 'nonsense'/ });
});
