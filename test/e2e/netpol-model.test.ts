// Acceptance (issue 9, 1): upstream's e2e netpol model on knet. The scenarios are upstream's
// (kubernetes/kubernetes test/e2e/network/netpol/network_policy.go, titles verbatim; each probes
// only the pods upstream's initializeResources lists for it), plus two knet scenarios upstream has
// no connectivity test for (endPort, egress to DNS), marked "(knet)". Namespaces x, y, z and their
// pods are created once; every scenario deletes its policies and restores the labels it changed.
import { describe, it, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { Knet } from './harness.js';
import { kubectlOk } from './ingress-fixtures.js';
import { NetpolModel, Reachability, createPolicy, deleteAllPolicies, netpol, nsNamed, type TestCase } from './netpol-fixtures.js';

const knet = new Knet();
const model = new NetpolModel(knet);
const reach = (...pods: string[]) => new Reachability(pods);
const tcp = (port: number, reachability: Reachability): TestCase => ({ port, protocol: 'TCP', reachability });
const pod = (name: string) => ({ matchLabels: { pod: name } });
const create = (...policies: object[]) => Promise.all(policies.map((p) => createPolicy(knet, p)));

before(async () => { await knet.start(); await model.create(); });
after(async () => { await knet.cleanup(); });
afterEach(async () => { await deleteAllPolicies(knet); });

describe('[sig-network] Netpol NetworkPolicy between server and client', () => {
  it("should support a 'default-deny-ingress' policy", async () => {
    await create(netpol('x', 'deny-ingress', {}, { ingress: [] }));
    await model.validateOrFail(tcp(80, reach('x/a', 'x/b', 'y/a', 'y/b').expectPeer({}, { ns: 'x' }, false)));
  });

  it("should support a 'default-deny-all' policy", async () => {
    await create(netpol('x', 'deny-all', {}, { ingress: [], egress: [] }));
    await model.validateOrFail(tcp(80, reach('x/a', 'x/b', 'y/a').expectPeer({}, { ns: 'x' }, false).expectPeer({ ns: 'x' }, {}, false)));
  });

  it('should enforce policy to allow traffic from pods within server namespace based on PodSelector', async () => {
    await create(netpol('x', 'x-a-allows-x-b', pod('a'), { ingress: [{ from: [{ podSelector: pod('b') }] }] }));
    await model.validateOrFail(tcp(80, reach('x/a', 'x/b', 'x/c', 'y/a').expectAllIngress('x/a', false).expect('x/b', 'x/a', true)));
  });

  it('should enforce policy based on PodSelector with MatchExpressions', async () => {
    const from = [{ podSelector: { matchExpressions: [{ key: 'pod', operator: 'In', values: ['b'] }] } }];
    await create(netpol('x', 'x-a-allows-x-b', pod('a'), { ingress: [{ from }] }));
    await model.validateOrFail(tcp(80, reach('x/a', 'x/b', 'y/a').expectAllIngress('x/a', false).expect('x/b', 'x/a', true)));
  });

  it('should enforce policy to allow traffic based on NamespaceSelector with MatchLabels using default ns label', async () => {
    await create(netpol('x', 'allow-client-a-via-ns-selector-for-immutable-ns-label', pod('a'), { ingress: [{ from: [{ namespaceSelector: nsNamed('y') }] }] }));
    const r = reach('x/a', 'x/b', 'y/a', 'z/a').expectPeer({ ns: 'x' }, { ns: 'x', pod: 'a' }, false).expectPeer({ ns: 'z' }, { ns: 'x', pod: 'a' }, false);
    await model.validateOrFail(tcp(80, r));
  });

  it('should enforce policy based on NamespaceSelector with MatchExpressions using default ns label', async () => {
    const to = [{ namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['y'] }] } }];
    await create(netpol('x', 'allow-ns-y-match-selector-for-immutable-ns-label', pod('a'), { egress: [{ to }] }));
    await model.validateOrFail(tcp(80, reach('x/a', 'x/b', 'y/a', 'z/a').expectPeer({ ns: 'x', pod: 'a' }, { ns: 'y' }, false)));
  });

  it('should enforce policy based on PodSelector or NamespaceSelector', async () => {
    const notX = { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['x'] }] };
    await create(netpol('x', 'allow-ns-y-match-selector', pod('a'), { ingress: [{ from: [{ namespaceSelector: notX }, { podSelector: pod('b') }] }] }));
    await model.validateOrFail(tcp(80, reach('x/a', 'x/b', 'x/c', 'y/a').expect('x/a', 'x/a', false).expect('x/c', 'x/a', false)));
  });

  it('should enforce policy based on PodSelector and NamespaceSelector', async () => {
    const notX = { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['x'] }] };
    await create(netpol('x', 'allow-ns-y-podselector-and-nsselector', pod('a'), { ingress: [{ from: [{ namespaceSelector: notX, podSelector: pod('b') }] }] }));
    const r = reach('x/a', 'x/b', 'y/a', 'y/b', 'z/b').expectAllIngress('x/a', false).expect('y/b', 'x/a', true).expect('z/b', 'x/a', true);
    await model.validateOrFail(tcp(80, r));
  });

  it('should allow ingress access on one named port', async () => {
    await create(netpol('x', 'allow-all', {}, { ingress: [{ ports: [{ port: 'serve-81-tcp' }] }] }));
    await model.validateOrFail(tcp(81, reach('x/a', 'x/b', 'y/a')));
    await model.validateOrFail(tcp(80, reach('x/a', 'x/b', 'y/a').expectPeer({}, { ns: 'x' }, false)));
  });

  it('should allow egress access on one named port', async () => {
    await create(netpol('x', 'allow-egress', {}, { egress: [{ ports: [{ port: 'serve-80-tcp' }] }] }));
    await model.validateOrFail(tcp(80, reach('x/a', 'y/a')));
    await model.validateOrFail(tcp(81, reach('x/a', 'y/a').expectPeer({ ns: 'x' }, {}, false)));
  });

  // knet: a port range (upstream tests endPort only in network_policy_api.go; Cyclonus's end-port
  // family uses ranges such as 53–80). The range ends at 80, inclusive; 81 lies just past it.
  it('should enforce policy based on Ports with endPort (knet)', async () => {
    const ports = [{ protocol: 'TCP', port: 53, endPort: 80 }];
    await create(netpol('x', 'allow-y-to-a-on-53-80', pod('a'), { ingress: [{ from: [{ namespaceSelector: nsNamed('y') }], ports }] }));
    const on80 = reach('x/a', 'x/b', 'y/a', 'z/a').expectPeer({ ns: 'x' }, { ns: 'x', pod: 'a' }, false).expectPeer({ ns: 'z' }, { ns: 'x', pod: 'a' }, false);
    await model.validateOrFail(tcp(80, on80));
    await model.validateOrFail(tcp(81, reach('x/a', 'x/b', 'y/a', 'z/a').expectAllIngress('x/a', false)));
  });

  it('should allow egress access to server in CIDR block', async () => {
    const to = [{ ipBlock: { cidr: `${model.pod('y/b').ip}/32` } }];
    await create(netpol('x', 'allow-client-a-via-cidr-egress-rule', pod('a'), { egress: [{ to }] }));
    await model.validateOrFail(tcp(80, reach('x/a', 'y/a', 'y/b').expectAllEgress('x/a', false).expect('x/a', 'y/b', true)));
  });

  it('should enforce except clause while egress access to server in CIDR block', async () => {
    const ip = model.pod('x/b').ip;
    // makeLargeCIDRForIP: the /4 network around the pod's IP; the probe goes to x/b's ClusterIP, so the
    // verdict is taken on x/b's own address after the Service's DNAT.
    const first = Number(ip.split('.')[0]) & 0xf0;
    const to = [{ ipBlock: { cidr: `${first}.0.0.0/4`, except: [`${ip}/32`] } }];
    await create(netpol('x', 'allow-client-a-via-cidr-egress-rule', pod('a'), { egress: [{ to }] }));
    await model.validateOrFail(tcp(80, reach('x/a', 'x/b', 'x/c').expect('x/a', 'x/b', false)));
  });

  // knet: a default-deny egress breaks name resolution until UDP and TCP 53 to the kube-dns pods are
  // allowed (the verdict is taken after the Service's DNAT, on the coredns pods), probing by name.
  it('should allow egress to DNS only when a policy allows port 53 to kube-dns (knet)', async () => {
    await create(netpol('x', 'allow-egress-to-y', {}, { egress: [{ to: [{ namespaceSelector: nsNamed('y') }] }] }));
    const pods = ['x/a', 'x/b', 'y/a', 'z/a'];
    const noDns = reach(...pods).expectPeer({ ns: 'x' }, {}, false);
    await model.validateOrFail({ port: 80, protocol: 'TCP', reachability: noDns, target: 'dnsName' });
    for (const [f, t] of noDns.pairs().filter(([f]) => f.startsWith('x/'))) assert.match(noDns.messages.get(`${f}>${t}`) ?? '', /^DNS: /, `${f} -> ${t}`);
    const dns = [{ namespaceSelector: nsNamed('kube-system'), podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }];
    await create(netpol('x', 'allow-dns', {}, { egress: [{ to: dns, ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }] }] }));
    const withDns = reach(...pods).expectPeer({ ns: 'x' }, {}, false).expectPeer({ ns: 'x' }, { ns: 'y' }, true);
    await model.validateOrFail({ port: 80, protocol: 'TCP', reachability: withDns, target: 'dnsName' });
    assert.equal(withDns.messages.get('x/a>z/a'), 'TIMEOUT', 'resolved, then the connection itself is dropped');
  });

  it('should enforce updated policy', async () => {
    const policy = netpol('x', 'allow-all-mutate-to-deny-all', {}, { ingress: [{}] });
    await create(policy);
    await model.validateOrFail(tcp(81, reach('x/a', 'y/a')));
    await createPolicy(knet, netpol('x', 'allow-all-mutate-to-deny-all', {}, { ingress: [] }), true);
    await model.validateOrFail(tcp(81, reach('x/a', 'y/a').expectPeer({}, { ns: 'x' }, false)));
  });

  it('should allow ingress access from updated namespace', async () => {
    await create(netpol('x', 'allow-client-a-via-ns-selector', pod('a'), { ingress: [{ from: [{ namespaceSelector: { matchLabels: { ns2: 'updated' } } }] }] }));
    await model.validateOrFail(tcp(80, reach('x/a', 'y/a').expectAllIngress('x/a', false)));
    try {
      await kubectlOk(knet, ['label', 'namespace', 'y', 'ns2=updated']);
      await model.validateOrFail(tcp(80, reach('x/a', 'y/a').expectAllIngress('x/a', false).expectPeer({ ns: 'y' }, {}, true)));
    } finally {
      await kubectlOk(knet, ['label', 'namespace', 'y', 'ns2-']);
    }
  });

  it('should allow ingress access from updated pod', async () => {
    const matchLabels = { pod: 'b', pod2: 'updated' };
    await create(netpol('x', 'allow-client-a-via-pod-selector', pod('a'), { ingress: [{ from: [{ podSelector: { matchLabels } }] }] }));
    await model.validateOrFail(tcp(80, reach('x/a', 'x/b').expectAllIngress('x/a', false)));
    try {
      await kubectlOk(knet, ['label', 'pod', 'b', '-n', 'x', 'pod2=updated']);
      await model.validateOrFail(tcp(80, reach('x/a', 'x/b').expectAllIngress('x/a', false).expect('x/b', 'x/a', true)));
    } finally {
      await kubectlOk(knet, ['label', 'pod', 'b', '-n', 'x', 'pod2-']);
    }
  });

  it('should deny ingress access to updated pod', async () => {
    await create(netpol('x', 'deny-ingress-via-label-selector', { matchLabels: { target: 'isolated' } }, { ingress: [] }));
    await model.validateOrFail(tcp(80, reach('x/a', 'y/a')));
    try {
      await kubectlOk(knet, ['label', 'pod', 'a', '-n', 'x', 'target=isolated']);
      await model.validateOrFail(tcp(80, reach('x/a', 'y/a').expectAllIngress('x/a', false)));
    } finally {
      await kubectlOk(knet, ['label', 'pod', 'a', '-n', 'x', 'target-']);
    }
  });

  it('should stop enforcing policies after they are deleted', async () => {
    await create(netpol('x', 'deny-all', {}, { ingress: [], egress: [] }));
    await model.validateOrFail(tcp(80, reach('x/a', 'y/a').expectPeer({ ns: 'x' }, {}, false).expectPeer({}, { ns: 'x' }, false)));
    await deleteAllPolicies(knet);
    await model.validateOrFail(tcp(80, reach('x/a', 'y/a')));
  });

  it('should support denying of egress traffic on the client side (even if the server explicitly allows this traffic)', async () => {
    const xa = [{ namespaceSelector: nsNamed('x'), podSelector: pod('a') }];
    await create(
      netpol('x', 'allow-to-ns-y-pod-a', pod('a'), { egress: [{ to: [{ namespaceSelector: nsNamed('y'), podSelector: pod('a') }] }] }),
      netpol('y', 'allow-from-xa-on-ya-match-selector', pod('a'), { ingress: [{ from: xa }] }),
      netpol('y', 'allow-from-xa-on-yb-match-selector', pod('b'), { ingress: [{ from: xa }] }),
    );
    const r = reach('x/a', 'y/a', 'y/b').expectPeer({ ns: 'x', pod: 'a' }, {}, false).expectPeer({}, { ns: 'y', pod: 'a' }, false)
      .expectPeer({ ns: 'x', pod: 'a' }, { ns: 'y', pod: 'a' }, true).expectPeer({}, { ns: 'y', pod: 'b' }, false);
    await model.validateOrFail(tcp(80, r));
  });

  it('should enforce ingress policy allowing any port traffic to a server on a specific protocol', async () => {
    await create(netpol('x', 'allow-ingress-by-proto', pod('a'), { ingress: [{ ports: [{ protocol: 'TCP' }] }] }));
    await model.validateOrFail(tcp(80, reach('x/a', 'y/a')));
    await model.validateOrFail({ port: 80, protocol: 'UDP', reachability: reach('x/a', 'y/a').expectPeer({}, { ns: 'x', pod: 'a' }, false) });
  });

  it('should work with Ingress, Egress specified together', async () => {
    const policy = netpol('x', 'allow-client-a-via-pod-selector', pod('a'), { ingress: [{ from: [{ podSelector: pod('b') }] }], egress: [{ ports: [{ port: 80 }] }] });
    await create({ ...policy, spec: { ...(policy as { spec: object }).spec, policyTypes: ['Egress', 'Ingress'] } });
    const pods = ['x/a', 'x/b', 'x/c', 'y/a'];
    await model.validateOrFail(tcp(80, reach(...pods).expectAllIngress('x/a', false).expect('x/b', 'x/a', true)));
    await model.validateOrFail(tcp(81, reach(...pods).expectAllIngress('x/a', false).expectAllEgress('x/a', false).expect('x/b', 'x/a', true)));
  });

  it("should not mistakenly treat 'protocol: SCTP' as 'protocol: TCP', even if the plugin doesn't support SCTP", async () => {
    await create(netpol('x', 'deny-ingress', {}, { ingress: [] }),
      netpol('x', 'allow-only-sctp-ingress-on-port-81', pod('a'), { ingress: [{ ports: [{ port: 81, protocol: 'SCTP' }] }] }));
    await model.validateOrFail(tcp(81, reach('x/a', 'y/a').expectPeer({}, { ns: 'x' }, false)));
  });

  it("should properly isolate pods that are selected by a policy allowing SCTP, even if the plugin doesn't support SCTP", async () => {
    await create(netpol('x', 'allow-only-sctp-ingress-on-port-80', pod('a'), { ingress: [{ ports: [{ port: 80, protocol: 'SCTP' }] }] }));
    await model.validateOrFail(tcp(81, reach('x/a', 'y/a').expectAllIngress('x/a', false)));
  });

  it('should not allow access by TCP when a policy specifies only UDP', async () => {
    await create(netpol('x', 'allow-only-udp-ingress-on-port-81', pod('a'), { ingress: [{ ports: [{ port: 81, protocol: 'UDP' }] }] }));
    await model.validateOrFail(tcp(81, reach('x/a', 'y/a').expectAllIngress('x/a', false)));
  });
});

describe('[sig-network] Netpol [LinuxOnly] NetworkPolicy between server and client using UDP', () => {
  it("should support a 'default-deny-ingress' policy", async () => {
    await create(netpol('x', 'deny-all', {}, { ingress: [] }));
    await model.validateOrFail({ port: 80, protocol: 'UDP', reachability: reach('x/a', 'x/b', 'y/a', 'y/b').expectPeer({}, { ns: 'x' }, false) });
  });

  it('should enforce policy to allow traffic only from a pod in a different namespace based on PodSelector and NamespaceSelector', async () => {
    await create(netpol('x', 'allow-ns-y-pod-a-via-namespace-pod-selector', pod('a'), { ingress: [{ from: [{ namespaceSelector: nsNamed('y'), podSelector: pod('a') }] }] }));
    await model.validateOrFail({ port: 80, protocol: 'UDP', reachability: reach('x/a', 'x/b', 'y/a').expectAllIngress('x/a', false).expect('y/a', 'x/a', true) });
  });
});

describe('[sig-network] Netpol [Feature:SCTPConnectivity] [LinuxOnly] NetworkPolicy between server and client using SCTP', () => {
  it('should enforce policy based on Ports', async () => {
    await create(netpol('x', 'allow-ingress-on-port-81-ns-x', pod('a'), { ingress: [{ from: [{ namespaceSelector: nsNamed('y') }], ports: [{ port: 81, protocol: 'SCTP' }] }] }));
    const r = reach('x/a', 'x/b', 'y/a', 'z/a').expectPeer({ ns: 'x' }, { ns: 'x', pod: 'a' }, false).expectPeer({ ns: 'z' }, { ns: 'x', pod: 'a' }, false);
    await model.validateOrFail({ port: 81, protocol: 'SCTP', reachability: r });
  });
});
