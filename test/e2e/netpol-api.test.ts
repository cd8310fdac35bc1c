// Acceptance (issue 9, 4 and "Seeing why"): the API side of NetworkPolicy with the real kubectl.
// Invalid policies are refused with Kubernetes' messages and field paths
// (kubernetes/kubernetes pkg/apis/networking/validation/validation.go); an ambiguous CIDR is accepted
// with the apiserver's warning (pkg/registry/networking/networkpolicy/strategy.go); policyTypes and
// protocol are defaulted at write time (pkg/apis/networking/v1/defaults.go); `kubectl get netpol`
// and `kubectl describe networkpolicy` (kubectl's own describe.go, built from the stored object)
// print what a real cluster prints, the docs' example policy included.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Knet, squash } from './harness.js';
import { kubectlOk } from './ingress-fixtures.js';

const policy = (name: string, spec: object, metadata: object = {}) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, ...metadata }, spec });

/** The docs' example (kubernetes.io, Network Policies, "The NetworkPolicy resource"). */
const DOCS_EXAMPLE = policy('test-network-policy', {
  podSelector: { matchLabels: { role: 'db' } },
  policyTypes: ['Ingress', 'Egress'],
  ingress: [{
    from: [{ ipBlock: { cidr: '172.17.0.0/16', except: ['172.17.1.0/24'] } }, { namespaceSelector: { matchLabels: { project: 'myproject' } } }, { podSelector: { matchLabels: { role: 'frontend' } } }],
    ports: [{ protocol: 'TCP', port: 6379 }],
  }],
  egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/24' } }], ports: [{ protocol: 'TCP', port: 5978 }] }],
}, { namespace: 'default' });

describe('NetworkPolicy: the API side', () => {
  const knet = new Knet();
  const create = (p: object) => knet.kubectl(['create', '-f', '-'], { input: JSON.stringify(p) });
  const refused = async (name: string, spec: object, message: string) => {
    const r = await create(policy(name, spec));
    assert.equal(r.code, 1, `${name} was accepted: ${r.stdout}`);
    assert.equal(r.stderr.trim(), `The NetworkPolicy "${name}" is invalid: ${message}`);
  };
  const jsonpath = async (name: string, path: string) => (await kubectlOk(knet, ['get', 'networkpolicy', name, '-o', `jsonpath=${path}`])).stdout;

  before(async () => { await knet.start(); });
  after(async () => { await knet.cleanup(); });

  it('ports: a named port with endPort, endPort below port, endPort without port, out of range, a bad port name, ICMP', async () => {
    await refused('named-end', { podSelector: {}, egress: [{ ports: [{ port: 'http', endPort: 32768 }] }] },
      'spec.egress[0].ports[0].endPort: Invalid value: 32768: may not be specified when `port` is non-numeric');
    await refused('end-below', { podSelector: {}, egress: [{ ports: [{ port: 30000, endPort: 20000 }] }] },
      'spec.egress[0].ports[0].endPort: Invalid value: 20000: must be greater than or equal to `port`');
    await refused('end-alone', { podSelector: {}, egress: [{ ports: [{ endPort: 20000 }] }] },
      'spec.egress[0].ports[0].endPort: Invalid value: 20000: may not be specified when `port` is not specified');
    await refused('end-range', { podSelector: {}, ingress: [{ ports: [{ port: 80, endPort: 70000 }] }] },
      'spec.ingress[0].ports[0].endPort: Invalid value: 70000: must be between 1 and 65535, inclusive');
    await refused('bad-name', { podSelector: {}, ingress: [{ ports: [{ port: 'Http_1' }] }] },
      'spec.ingress[0].ports[0].port: Invalid value: "Http_1": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
    await refused('icmp', { podSelector: {}, ingress: [{ ports: [{ protocol: 'ICMP', port: 80 }] }] },
      'spec.ingress[0].ports[0].protocol: Unsupported value: "ICMP": supported values: "TCP", "UDP", "SCTP"');
  });

  it('peers: a bad CIDR, except outside or equal to the block, a block without cidr, an empty peer, ipBlock with a selector', async () => {
    await refused('bad-cidr', { podSelector: {}, egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/33' } }] }] },
      'spec.egress[0].to[0].ipBlock.cidr: Invalid value: "10.0.0.0/33": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)');
    await refused('except-outside', { podSelector: {}, egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/24', except: ['10.0.1.0/24'] } }] }] },
      'spec.egress[0].to[0].ipBlock.except[0]: Invalid value: "10.0.1.0/24": must be a strict subset of `cidr`');
    await refused('except-equal', { podSelector: {}, egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/24', except: ['10.0.0.0/24'] } }] }] },
      'spec.egress[0].to[0].ipBlock.except[0]: Invalid value: "10.0.0.0/24": must be a strict subset of `cidr`');
    await refused('no-cidr', { podSelector: {}, ingress: [{ from: [{ ipBlock: { except: ['10.0.0.0/24'] } }] }] },
      'spec.ingress[0].from[0].ipBlock.cidr: Required value');
    await refused('empty-peer', { podSelector: {}, ingress: [{ from: [{}] }] },
      'spec.ingress[0].from[0]: Required value: must specify a peer');
    await refused('block-and-pods', { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8' }, podSelector: {} }] }] },
      'spec.ingress[0].from[0]: Forbidden: may not specify both ipBlock and another peer');
  });

  it('policyTypes and selectors: an unknown type, three types, a bad selector; several errors at once as a list', async () => {
    await refused('bad-type', { podSelector: {}, policyTypes: ['Foo'] }, 'spec.policyTypes[0]: Unsupported value: "Foo": supported values: "Ingress", "Egress"');
    await refused('three-types', { podSelector: {}, policyTypes: ['Ingress', 'Egress', 'Ingress'] },
      'spec.policyTypes: Invalid value: []networking.PolicyType{"Ingress", "Egress", "Ingress"}: may not specify more than two policyTypes');
    await refused('several', { podSelector: { matchExpressions: [{ key: 'pod', operator: 'In' }] }, ingress: [{ from: [{}], ports: [{ port: 0 }] }] }, [
      '',
      "* spec.podSelector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
      '* spec.ingress[0].ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive',
      '* spec.ingress[0].from[0]: Required value: must specify a peer',
    ].join('\n'));
    assert.equal((await knet.kubectl(['get', 'networkpolicy', '-o', 'name'])).stdout, '', 'nothing refused was stored');
  });

  it('accepted: endPort equal to or above port (network_policy_api.go), policyTypes and protocol defaulted at write time', async () => {
    for (const [name, port, endPort] of [['end-equal', 20000, 20000], ['end-above', 10000, 20000]] as const) {
      const r = await create(policy(name, { podSelector: {}, egress: [{ ports: [{ port, endPort }] }] }));
      assert.equal(r.stdout.trim(), `networkpolicy.networking.k8s.io/${name} created`, r.stderr);
    }
    assert.equal(await jsonpath('end-equal', '{.spec.policyTypes}'), '["Ingress","Egress"]', 'egress rules without policyTypes: both directions');
    assert.equal(await jsonpath('end-equal', '{.spec.egress[0].ports[0].protocol}'), 'TCP');
    await kubectlOk(knet, ['create', '-f', '-'], JSON.stringify(policy('egress-empty', { podSelector: {}, egress: [] })));
    assert.equal(await jsonpath('egress-empty', '{.spec.policyTypes}'), '["Ingress"]', 'no egress rules: Ingress only');
  });

  it('an ambiguous CIDR is accepted with the apiserver\'s warning', async () => {
    const r = await create(policy('ambiguous', { podSelector: {}, egress: [{ to: [{ ipBlock: { cidr: '10.0.0.1/24', except: ['10.0.0.8/29'] } }] }] }));
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr.trim(), 'Warning: spec.egress[0].to[0].ipBlock.cidr: CIDR value "10.0.0.1/24" is ambiguous in this context (should be "10.0.0.0/24" or "10.0.0.1/32"?)');
  });

  it('kubectl describe networkpolicy prints the docs\' example as upstream, with no Events section', async () => {
    await kubectlOk(knet, ['create', '-f', '-'], JSON.stringify(DOCS_EXAMPLE));
    const out = (await kubectlOk(knet, ['describe', 'networkpolicy', 'test-network-policy'])).stdout;
    const lines = out.split('\n');
    assert.match(lines[2] ?? '', /^Created on: {3}\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d{4} \S+$/);
    assert.equal([...lines.slice(0, 2), ...lines.slice(3)].join('\n'), `Name:         test-network-policy
Namespace:    default
Labels:       <none>
Annotations:  <none>
Spec:
  PodSelector:     role=db
  Allowing ingress traffic:
    To Port: 6379/TCP
    From:
      IPBlock:
        CIDR: 172.17.0.0/16
        Except: 172.17.1.0/24
    From:
      NamespaceSelector: project=myproject
    From:
      PodSelector: role=frontend
  Allowing egress traffic:
    To Port: 5978/TCP
    To:
      IPBlock:
        CIDR: 10.0.0.0/24
        Except: \n  Policy Types: Ingress, Egress
`);
  });

  it('kubectl describe: empty selectors, rules without ports or peers, named ports, port ranges, protocol-only ports, both selectors in one peer', async () => {
    await kubectlOk(knet, ['create', '-f', '-'], JSON.stringify(policy('mixed', {
      podSelector: {},
      ingress: [{}, {
        from: [{ namespaceSelector: { matchLabels: { team: 'a' } }, podSelector: { matchExpressions: [{ key: 'pod', operator: 'In', values: ['b', 'a'] }] } }],
        ports: [{ port: 'http' }, { protocol: 'UDP' }, { port: 32000, endPort: 32768 }],
      }],
      egress: [{ ports: [{ port: 53, protocol: 'UDP' }] }],
    }, { labels: { team: 'shop' } })));
    const out = (await kubectlOk(knet, ['describe', 'networkpolicy', 'mixed'])).stdout;
    assert.equal(out.slice(out.indexOf('\nLabels:') + 1), `Labels:       team=shop
Annotations:  <none>
Spec:
  PodSelector:     <none> (Allowing the specific traffic to all pods in this namespace)
  Allowing ingress traffic:
    To Port: <any> (traffic allowed to all ports)
    From: <any> (traffic not restricted by source)
    ----------
    To Port: http/TCP
    To Port: <nil>/UDP
    To Port Range: 32000-32768/TCP
    From:
      NamespaceSelector: team=a
      PodSelector: pod in (a,b)
  Allowing egress traffic:
    To Port: 53/UDP
    To: <any> (traffic not restricted by destination)
  Policy Types: Ingress, Egress
`);
    await kubectlOk(knet, ['create', '-f', '-'], JSON.stringify(policy('isolate', { podSelector: { matchLabels: { app: 'db' } } })));
    const iso = (await kubectlOk(knet, ['describe', 'networkpolicy', 'isolate'])).stdout;
    assert.match(iso, /\n {2}Allowing ingress traffic:\n {4}<none> \(Selected pods are isolated for ingress connectivity\)\n {2}Not affecting egress traffic\n {2}Policy Types: Ingress\n$/);
  });

  it('kubectl get networkpolicy: NAME, POD-SELECTOR (the selector string, <none> when empty), AGE', async () => {
    await kubectlOk(knet, ['create', '-n', 'kube-public', '-f', '-'], JSON.stringify(policy('exprs', {
      podSelector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'pod', operator: 'In', values: ['b', 'a'] }, { key: 'tier', operator: 'DoesNotExist' }] },
    })));
    const all = squash((await kubectlOk(knet, ['get', 'netpol', '-n', 'kube-public'])).stdout).split('\n').map((l) => l.replace(/ \d+[smh]$/, ' <age>'));
    assert.deepEqual(all, ['NAME POD-SELECTOR AGE', 'exprs app=web,pod in (a,b),!tier <age>']);
    const rows = squash((await kubectlOk(knet, ['get', 'networkpolicies'])).stdout).split('\n');
    assert.equal(rows[0], 'NAME POD-SELECTOR AGE');
    assert.ok(rows.some((r) => /^mixed <none> \d+s$/.test(r)), rows.join('\n'));
    assert.ok(rows.some((r) => /^test-network-policy role=db \d+s$/.test(r)), rows.join('\n'));
  });
});
