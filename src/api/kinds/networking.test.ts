import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatFieldError, type FieldError } from '../errors.js';
import { ingressDef, type Ingress } from './ingress.js';
import { ingressClassDef, type IngressClass } from './ingressclass.js';
import { networkPolicyDef, networkPolicyWarnings, type NetworkPolicy } from './networkpolicy.js';

/** Formats a field error as the API server does. */
const msg = (e: FieldError): string => formatFieldError(e);

const now = new Date('2024-01-01T00:10:00Z');
const meta = { name: 'web', namespace: 'default', creationTimestamp: '2024-01-01T00:00:00Z' };
const backend = { service: { name: 'web', port: { number: 80 } } };

function ing(spec: Ingress['spec'], extra: Partial<Ingress> = {}): Ingress {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { ...meta }, spec, ...extra };
}
const validateIng = (i: Ingress) => (ingressDef.validate?.(i, { operation: 'create' }) ?? []).map(msg);

test('ingress: valid objects pass', () => {
  assert.deepEqual(validateIng(ing({ rules: [{ host: 'foo.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend }] } }] })), []);
  assert.deepEqual(validateIng(ing({ defaultBackend: backend, tls: [{ hosts: ['*.example.com'], secretName: 'tls' }] })), []);
  assert.deepEqual(validateIng(ing({ rules: [{ host: '*.example.com', http: { paths: [{ pathType: 'ImplementationSpecific', backend: { service: { name: 'web', port: { name: 'http' } } } }] } }] })), []);
});

test('ingress: validation messages', () => {
  assert.deepEqual(validateIng(ing({})), ['spec: Invalid value: []networking.IngressRule(nil): either `defaultBackend` or `rules` must be specified']);
  const paths = [
    { path: '/a', backend } as never,
    { path: 'rel', pathType: 'Exact', backend },
    { path: '/a//b/.', pathType: 'Prefix', backend },
    { path: '/', pathType: 'Regex', backend },
    { path: '/', pathType: 'Prefix', backend: {} },
    { path: '/', pathType: 'Prefix', backend: { service: { name: 'Web' } } },
    { path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { name: 'http', number: 80 } } } },
    { path: '/', pathType: 'Prefix', backend: { ...backend, resource: { kind: 'Bucket', name: 'b' } } },
  ];
  const errs = validateIng(ing({ ingressClassName: 'Nginx', rules: [{ host: '1.2.3.4', http: { paths } }, { host: 'a.*.com' }] }));
  assert.equal(errs[0], 'spec.rules[0].host: Invalid value: "1.2.3.4": must be a DNS name, not an IP address');
  assert.ok(errs.includes('spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified'));
  assert.ok(errs.includes('spec.rules[0].http.paths[1].path: Invalid value: "rel": must be an absolute path'));
  assert.ok(errs.includes('spec.rules[0].http.paths[2].path: Invalid value: "/a//b/.": must not contain \'//\''));
  assert.ok(errs.includes('spec.rules[0].http.paths[2].path: Invalid value: "/a//b/.": cannot end with \'/.\''));
  assert.ok(errs.includes('spec.rules[0].http.paths[3].pathType: Unsupported value: "Regex": supported values: "Exact", "ImplementationSpecific", "Prefix"'));
  assert.ok(errs.includes('spec.rules[0].http.paths[4].backend: Invalid value: "": resource or service backend is required'));
  // ValidateServiceName is NameIsDNS1035Label (pkg/apis/core/validation).
  assert.ok(errs.some((e) => e.startsWith('spec.rules[0].http.paths[5].backend.service.name: Invalid value: "Web": a DNS-1035 label must consist of lower case alphanumeric characters')));
  assert.ok(errs.includes('spec.rules[0].http.paths[5].backend: Required value: port name or number is required'));
  assert.ok(errs.includes('spec.rules[0].http.paths[6].backend: Invalid value: "": cannot set both port name & port number'));
  assert.ok(errs.includes('spec.rules[0].http.paths[7].backend: Invalid value: "": cannot set both resource and service backends'));
  assert.ok(errs.some((e) => e.startsWith("spec.rules[1].host: Invalid value: \"a.*.com\": a wildcard DNS-1123 subdomain must start with '*.'")));
  assert.ok(errs.some((e) => e.startsWith('spec.ingressClassName: Invalid value: "Nginx": a lowercase RFC 1123 subdomain')));
  const ann = ing({ ingressClassName: 'nginx', defaultBackend: backend });
  ann.metadata.annotations = { 'kubernetes.io/ingress.class': 'traefik' };
  assert.deepEqual(validateIng(ann), ['annotations.kubernetes.io/ingress.class: Invalid value: "traefik": must match `ingressClassName` when both are specified']);
  assert.deepEqual(validateIng(ing({ rules: [{ http: { paths: [] } }] })), ['spec.rules[0].http.paths: Required value']);
  assert.deepEqual(validateIng(ing({ defaultBackend: { service: { name: '1web', port: { number: 80 } } } })).map((e) => e.split(': a DNS-1035')[0]),
    ['spec.defaultBackend.service.name: Invalid value: "1web"']);
  assert.deepEqual(validateIng(ing({ defaultBackend: { resource: { apiGroup: 'k8s.example.com', kind: '', name: '' } } })), [
    'spec.defaultBackend.resource.kind: Required value: kind is required',
    'spec.defaultBackend.resource.name: Required value: name is required',
  ]);
});

test('ingress: the class annotation may differ from ingressClassName only on update (ValidateIngressCreate)', () => {
  const a = ing({ ingressClassName: 'nginx', defaultBackend: backend });
  a.metadata.annotations = { 'kubernetes.io/ingress.class': 'nginx' };
  assert.deepEqual(validateIng(a), []);
  const b = ing({ ingressClassName: 'nginx', defaultBackend: backend });
  b.metadata.annotations = { 'kubernetes.io/ingress.class': 'traefik' };
  assert.deepEqual(ingressDef.validate?.(b, { operation: 'update' }), []);
  assert.deepEqual(ingressDef.validateUpdate?.(b, a), []);
});

test('ingress: status addresses are checked when the status changes (ValidateIngressLoadBalancerStatus)', () => {
  const old = ing({ defaultBackend: backend });
  const next = ing({ defaultBackend: backend }, { status: { loadBalancer: { ingress: [{ ip: '10.0.0.300' }, { hostname: '1.2.3.4' }, { hostname: 'Bad_Host' }, { ip: '127.0.0.1', hostname: 'lb.localhost' }] } } });
  const errs = (ingressDef.validateUpdate?.(next, old) ?? []).map(msg);
  assert.deepEqual(errs.map((e) => e.split(': a lowercase RFC 1123')[0]), [
    'status.loadBalancer.ingress[0].ip: Invalid value: "10.0.0.300": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
    'status.loadBalancer.ingress[1].hostname: Invalid value: "1.2.3.4": must be a DNS name, not an IP address',
    'status.loadBalancer.ingress[2].hostname: Invalid value: "Bad_Host"',
  ]);
  assert.deepEqual(ingressDef.validateUpdate?.(next, next), []);
});

test('ingress: printer rows', () => {
  const cols = ingressDef.columns.map((c) => c.name);
  assert.deepEqual(cols, ['Name', 'Class', 'Hosts', 'Address', 'Ports', 'Age']);
  assert.deepEqual(ingressDef.row(ing({ defaultBackend: backend }), now), ['web', '<none>', '*', '', '80', '10m']);
  const rules = ['a.com', 'b.com', '', 'c.com', 'd.com'].map((host) => ({ host }));
  const i = ing({ ingressClassName: 'nginx', rules, tls: [{ hosts: ['a.com'] }] }, {
    status: { loadBalancer: { ingress: [{ ip: '10.0.0.2' }, { hostname: 'lb.example.com' }, { ip: '10.0.0.1' }, { ip: '10.0.0.2' }] } },
  });
  assert.deepEqual(ingressDef.row(i, now), ['web', 'nginx', 'a.com,b.com,c.com + 2 more...', '10.0.0.1,10.0.0.2,lb.example.com', '80, 443', '10m']);
});

const ic = (spec: IngressClass['spec']): IngressClass => ({ metadata: { name: 'nginx', creationTimestamp: meta.creationTimestamp }, spec });

test('ingressclass: defaults, validation, printer', () => {
  const obj = ic({ controller: 'k8s.io/ingress-nginx', parameters: { apiGroup: 'k8s.example.com', kind: 'IngressParameters', name: 'external-lb' } });
  ingressClassDef.default?.(obj);
  assert.equal(obj.spec?.parameters?.scope, 'Cluster');
  assert.deepEqual(ingressClassDef.validate?.(obj, { operation: 'create' }), []);
  assert.deepEqual(ingressClassDef.row(obj, now), ['nginx', 'k8s.io/ingress-nginx', 'IngressParameters.k8s.example.com/external-lb', '10m']);
  assert.deepEqual(ingressClassDef.row(ic({ controller: 'x.io/c' }), now), ['nginx', 'x.io/c', '<none>', '10m']);
  const errs = (ingressClassDef.validate?.(ic({ controller: 'nginx', parameters: { kind: 'K', name: 'a/b', scope: 'Namespace' } }), { operation: 'create' }) ?? []).map(msg);
  assert.deepEqual(errs, [
    'spec.controller: Invalid value: "nginx": must be a domain-prefixed path (such as "acme.io/foo")',
    "spec.parameters.name: Invalid value: \"a/b\": may not contain '/'",
    "spec.parameters.namespace: Required value: `parameters.scope` is set to 'Namespace'",
  ]);
  assert.deepEqual((ingressClassDef.validate?.(ic({}), { operation: 'create' }) ?? []).map(msg), ['spec.controller: Required value']);
  assert.deepEqual((ingressClassDef.validate?.(ic({ controller: `${'a'.repeat(250)}.io/x` }), { operation: 'create' }) ?? []).map(msg).slice(0, 1),
    ['spec.controller: Too long: may not be more than 250 bytes']);
  assert.deepEqual((ingressClassDef.validate?.(ic({ controller: 'a.io/x', parameters: { kind: '', name: '', scope: 'Cluster', namespace: 'x' } }), { operation: 'create' }) ?? []).map(msg), [
    'spec.parameters.kind: Required value: kind is required',
    'spec.parameters.name: Required value: name is required',
    "spec.parameters.namespace: Forbidden: `parameters.scope` is set to 'Cluster'",
  ]);
  assert.deepEqual((ingressClassDef.validate?.(ic({ controller: 'a.io/x', parameters: { kind: 'K', name: 'n', scope: 'Global' } }), { operation: 'create' }) ?? []).map(msg),
    ['spec.parameters.scope: Unsupported value: "Global": supported values: "Cluster", "Namespace"']);
  const upd = ingressClassDef.validateUpdate?.(ic({ controller: 'b.io/x' }), ic({ controller: 'a.io/x' })).map(msg);
  assert.deepEqual(upd, ['spec.controller: Invalid value: "b.io/x": field is immutable']);
});

const np = (spec: NetworkPolicy['spec']): NetworkPolicy => ({ metadata: { ...meta }, spec });

test('networkpolicy: defaults', () => {
  const a = np({ ingress: [{ ports: [{ port: 80 }] }] });
  networkPolicyDef.default?.(a);
  assert.deepEqual(a.spec, { podSelector: {}, ingress: [{ ports: [{ port: 80, protocol: 'TCP' }] }], policyTypes: ['Ingress'] });
  const b = np({ podSelector: { matchLabels: { app: 'web' } }, egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8' } }] }] });
  networkPolicyDef.default?.(b);
  assert.deepEqual(b.spec?.policyTypes, ['Ingress', 'Egress']);
  const c = np({ egress: [{}], policyTypes: ['Egress'] });
  networkPolicyDef.default?.(c);
  assert.deepEqual(c.spec?.policyTypes, ['Egress']);
});

test('networkpolicy: validation messages', () => {
  const v = (p: NetworkPolicy) => (networkPolicyDef.validate?.(p, { operation: 'create' }) ?? []).map(msg);
  assert.deepEqual(v(np({ podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/16', except: ['10.0.1.0/24'] } }], ports: [{ protocol: 'TCP', port: 'http' }] }] })), []);
  assert.deepEqual(v(np({
    ingress: [{
      ports: [{ protocol: 'ICMP' as never, port: 0 }, { port: 'http', endPort: 90 }, { endPort: 5 }, { port: 100, endPort: 90 }],
      from: [{}, { ipBlock: { cidr: '10.0.0.0/16', except: ['10.1.0.0/24', '10.0.0.0/16', 'bad'] }, podSelector: {} }],
    }],
    egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/33' } }] }],
  })), [
    'spec.ingress[0].ports[0].protocol: Unsupported value: "ICMP": supported values: "TCP", "UDP", "SCTP"',
    'spec.ingress[0].ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive',
    'spec.ingress[0].ports[1].endPort: Invalid value: 90: may not be specified when `port` is non-numeric',
    'spec.ingress[0].ports[2].endPort: Invalid value: 5: may not be specified when `port` is not specified',
    'spec.ingress[0].ports[3].endPort: Invalid value: 90: must be greater than or equal to `port`',
    'spec.ingress[0].from[0]: Required value: must specify a peer',
    'spec.ingress[0].from[1].ipBlock.except[0]: Invalid value: "10.1.0.0/24": must be a strict subset of `cidr`',
    'spec.ingress[0].from[1].ipBlock.except[1]: Invalid value: "10.0.0.0/16": must be a strict subset of `cidr`',
    'spec.ingress[0].from[1].ipBlock.except[2]: Invalid value: "bad": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)',
    'spec.ingress[0].from[1]: Forbidden: may not specify both ipBlock and another peer',
    'spec.egress[0].to[0].ipBlock.cidr: Invalid value: "10.0.0.0/33": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)',
  ]);
  assert.deepEqual(v(np({ policyTypes: ['Ingress', 'Egress', 'Ingress'] })),
    ['spec.policyTypes: Invalid value: []networking.PolicyType{"Ingress", "Egress", "Ingress"}: may not specify more than two policyTypes']);
  assert.deepEqual(v(np({ policyTypes: ['Foo' as never] })), ['spec.policyTypes[0]: Unsupported value: "Foo": supported values: "Ingress", "Egress"']);
  const old = np({ ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/33' } }] }] });
  assert.deepEqual(networkPolicyDef.validateUpdate?.(old, old), []);
});

test('networkpolicy: printer', () => {
  assert.deepEqual(networkPolicyDef.columns.map((c) => c.name), ['Name', 'Pod-Selector', 'Age']);
  assert.deepEqual(networkPolicyDef.row(np({ podSelector: {} }), now), ['web', '<none>', '10m']);
  assert.deepEqual(networkPolicyDef.row(np({ podSelector: { matchLabels: { role: 'db' }, matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['b', 'a'] }] } }), now),
    ['web', 'env notin (a,b),role=db', '10m']);
});

test('NetworkPolicy: an ambiguous ipBlock CIDR gets the apiserver warning on create (networkpolicy strategy)', () => {
  const np = { metadata: { name: 'p' }, spec: { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.2.3/16'] } }] }], egress: [{ to: [{ ipBlock: { cidr: '10.0.0.1/24' } }, { ipBlock: { cidr: '2001:db8::1/64' } }] }] } };
  assert.deepEqual(networkPolicyWarnings(np as never), [
    'spec.ingress[0].from[0].ipBlock.except[0]: CIDR value "10.1.2.3/16" is ambiguous in this context (should be "10.1.0.0/16" or "10.1.2.3/32"?)',
    'spec.egress[0].to[0].ipBlock.cidr: CIDR value "10.0.0.1/24" is ambiguous in this context (should be "10.0.0.0/24" or "10.0.0.1/32"?)',
    'spec.egress[0].to[1].ipBlock.cidr: CIDR value "2001:db8::1/64" is ambiguous in this context (should be "2001:db8::/64" or "2001:db8::1/128"?)',
  ]);
});
