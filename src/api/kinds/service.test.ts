import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatFieldError, type FieldError } from '../errors.js';
import { serviceDef, type Service } from './service.js';

const msgs = (errs: FieldError[]) => errs.map(formatFieldError);

function svc(spec: Record<string, unknown>, name = 'web'): Service {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec } as Service;
}

/** Create as the server does: prepareForCreate, then defaults. */
function created(spec: Record<string, unknown>): Service {
  const s = svc(structuredClone(spec));
  serviceDef.prepareForCreate?.(s);
  serviceDef.default?.(s);
  return s;
}

function validate(s: Service): string[] {
  return msgs(serviceDef.validate?.(s, { operation: 'create' }) ?? []);
}

test('plain ClusterIP service (seed app-service) defaults like a 1.36 apiserver, in Go field order', () => {
  const s = created({ type: 'ClusterIP', selector: { app: 'nextgen-app' }, ports: [{ port: 80, targetPort: 3000 }] });
  assert.equal(JSON.stringify(s.spec), JSON.stringify({
    ports: [{ protocol: 'TCP', port: 80, targetPort: 3000 }],
    selector: { app: 'nextgen-app' },
    type: 'ClusterIP',
    sessionAffinity: 'None',
    ipFamilies: ['IPv4'],
    ipFamilyPolicy: 'SingleStack',
    internalTrafficPolicy: 'Cluster',
  }));
  assert.deepEqual(s.status, { loadBalancer: {} });
  assert.deepEqual(validate(s), []);
});

test('targetPort defaults to port; protobuf zero values count as unset', () => {
  const s = created({ selector: { app: 'nginx' }, ports: [{ port: 80, name: '', protocol: '', nodePort: 0 }], type: '', sessionAffinity: '' });
  assert.deepEqual(s.spec?.ports, [{ protocol: 'TCP', port: 80, targetPort: 80 }]);
  assert.equal(s.spec?.type, 'ClusterIP');
  assert.equal(s.spec?.sessionAffinity, 'None');
});

test('NodePort and LoadBalancer get externalTrafficPolicy; LoadBalancer gets allocateLoadBalancerNodePorts', () => {
  const np = created({ type: 'NodePort', selector: { app: 'x' }, ports: [{ port: 80, targetPort: 3000, nodePort: 30080 }] });
  assert.equal(np.spec?.externalTrafficPolicy, 'Cluster');
  assert.equal(np.spec?.internalTrafficPolicy, 'Cluster');
  assert.equal(np.spec?.allocateLoadBalancerNodePorts, undefined);
  assert.deepEqual(validate(np), []);
  const lb = created({ type: 'LoadBalancer', selector: { app: 'x' }, ports: [{ port: 80 }] });
  assert.equal(lb.spec?.externalTrafficPolicy, 'Cluster');
  assert.equal(lb.spec?.allocateLoadBalancerNodePorts, true);
  assert.deepEqual(validate(lb), []);
});

test('ExternalName gets no IP families, no internalTrafficPolicy', () => {
  const s = created({ type: 'ExternalName', externalName: 'api.example.com' });
  assert.deepEqual(s.spec, { type: 'ExternalName', sessionAffinity: 'None', externalName: 'api.example.com' });
  assert.deepEqual(validate(s), []);
  assert.deepEqual(validate(created({ type: 'ExternalName' })), ['spec.externalName: Required value']);
});

test('ClientIP affinity gets the 3 hour timeout; headless services', () => {
  const s = created({ selector: { app: 'nginx' }, sessionAffinity: 'ClientIP', ports: [{ port: 80 }] });
  assert.deepEqual(s.spec?.sessionAffinityConfig, { clientIP: { timeoutSeconds: 10800 } });
  const h = created({ clusterIP: 'None', selector: { app: 'postgres' }, ports: [{ port: 5432 }] });
  assert.deepEqual([h.spec?.clusterIPs, h.spec?.ipFamilyPolicy, h.spec?.ipFamilies], [['None'], 'SingleStack', ['IPv4']]);
  const hs = created({ clusterIP: 'None' });
  assert.deepEqual([hs.spec?.ipFamilyPolicy, hs.spec?.ipFamilies], ['RequireDualStack', ['IPv4', 'IPv6']]);
  assert.deepEqual(validate(hs), []);
});

test('port validation messages', () => {
  const dup = created({ ports: [{ port: 80 }, { port: 80, name: 'b' }], selector: { a: 'b' } });
  const errs = serviceDef.validate?.(dup, { operation: 'create' }) ?? [];
  assert.deepEqual(errs.map((e) => [e.type, e.field]), [['FieldValueRequired', 'spec.ports[0].name'], ['FieldValueDuplicate', 'spec.ports[1]']]);
  assert.equal((errs[1]?.value as { goRepr: string }).goRepr,
    'core.ServicePort{Name:"", Protocol:"TCP", AppProtocol:(*string)(nil), Port:80, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}');
  assert.deepEqual(validate(created({ ports: [{ port: 0, protocol: 'HTTP', targetPort: 'Web_1' }] })), [
    'spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive',
    'spec.ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"',
    'spec.ports[0].targetPort: Invalid value: "Web_1": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
  ]);
  assert.deepEqual(validate(created({ selector: { a: 'b' } })), ['spec.ports: Required value']);
  assert.deepEqual(validate(created({ ports: [{ name: 'a', port: 80 }, { name: 'a', port: 81 }] })), ['spec.ports[1].name: Duplicate value: "a"']);
});

test('node ports: allocator range message, forbidden on ClusterIP', () => {
  assert.deepEqual(validate(created({ type: 'NodePort', ports: [{ port: 80, nodePort: 80 }] })),
    ['spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767']);
  assert.deepEqual(validate(created({ type: 'ClusterIP', ports: [{ port: 80, nodePort: 30080 }] })),
    ["spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"]);
});

test('type, clusterIP None and traffic policy rules', () => {
  assert.deepEqual(validate(created({ type: 'Foo', ports: [{ port: 80 }] })).slice(-1),
    ['spec.type: Unsupported value: "Foo": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"']);
  assert.deepEqual(validate(created({ type: 'NodePort', clusterIP: 'None', selector: { a: 'b' }, ports: [{ port: 80 }] })),
    ['spec.clusterIPs[0]: Invalid value: "None": may not be set to \'None\' for NodePort services']);
  assert.deepEqual(validate(created({ externalTrafficPolicy: 'Local', ports: [{ port: 80 }] })),
    ['spec.externalTrafficPolicy: Invalid value: "Local": may only be set for externally-accessible services']);
  assert.deepEqual(validate(created({ sessionAffinity: 'Sticky', ports: [{ port: 80 }] })),
    ['spec.sessionAffinity: Unsupported value: "Sticky": supported values: "ClientIP", "None"']);
  assert.deepEqual(validate(created({ clusterIP: '10.96.0.300', ports: [{ port: 80 }] })),
    ['spec.clusterIPs[0]: Invalid value: "10.96.0.300": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)']);
});

test('updates: clusterIP is immutable, allocated values are kept, type changes drop stale fields', () => {
  const old = created({ type: 'NodePort', selector: { a: 'b' }, ports: [{ port: 80, nodePort: 30080 }] });
  old.spec!.clusterIP = '10.96.0.10';
  old.spec!.clusterIPs = ['10.96.0.10'];
  const moved = structuredClone(old);
  moved.spec!.clusterIP = '10.96.0.20';
  serviceDef.prepareForUpdate?.(moved, old);
  const errs = serviceDef.validateUpdate?.(moved, old) ?? [];
  assert.deepEqual(errs.map((e) => [e.field, e.detail, (e.value as { goRepr: string }).goRepr]),
    [['spec.clusterIPs[0]', 'may not change once set', '[]string{"10.96.0.20"}']]);

  const replaced = svc({ type: 'NodePort', selector: { a: 'b' }, ports: [{ port: 80 }] });
  serviceDef.prepareForUpdate?.(replaced, old);
  serviceDef.default?.(replaced);
  assert.deepEqual([replaced.spec?.clusterIP, replaced.spec?.clusterIPs, replaced.spec?.ports?.[0]?.nodePort], ['10.96.0.10', ['10.96.0.10'], 30080]);

  const toClusterIP = structuredClone(old);
  toClusterIP.spec!.type = 'ClusterIP';
  serviceDef.prepareForUpdate?.(toClusterIP, old);
  serviceDef.default?.(toClusterIP);
  assert.equal(toClusterIP.spec?.ports?.[0]?.nodePort, undefined);
  assert.equal(toClusterIP.spec?.externalTrafficPolicy, undefined);
  assert.deepEqual(validate(toClusterIP), []);
  assert.deepEqual(serviceDef.validateUpdate?.(toClusterIP, old), []);
});

test('printer rows as printService renders them', () => {
  const now = new Date('2024-01-01T00:10:00Z');
  const row = (spec: Record<string, unknown>, status?: Service['status']) => {
    const s = created(spec);
    s.metadata.creationTimestamp = '2024-01-01T00:00:00Z';
    if (status) s.status = status;
    return serviceDef.row(s, now);
  };
  assert.deepEqual(row({ clusterIP: '10.96.145.78', selector: { app: 'nginx' }, ports: [{ port: 80 }] }),
    ['web', 'ClusterIP', '10.96.145.78', '<none>', '80/TCP', '10m', 'app=nginx']);
  assert.deepEqual(row({ clusterIP: 'None', ports: [{ port: 5432 }] }).slice(2, 7), ['None', '<none>', '5432/TCP', '10m', '<none>']);
  assert.deepEqual(row({ type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }, { name: 'b', port: 53, protocol: 'UDP' }] }).slice(1, 5),
    ['NodePort', '<none>', '<none>', '80:30080/TCP,53/UDP']);
  assert.deepEqual(row({ type: 'LoadBalancer', ports: [{ port: 80 }] }).slice(3, 4), ['<pending>']);
  assert.deepEqual(row({ type: 'LoadBalancer', externalIPs: ['1.2.3.4'], ports: [{ port: 80 }] },
    { loadBalancer: { ingress: [{ ip: '172.18.0.5' }, { hostname: 'lb.example.com' }] } }).slice(3, 4), ['172.18.0.5,lb.example.com,1.2.3.4']);
  assert.deepEqual(row({ type: 'ExternalName', externalName: 'api.example.com' }).slice(1, 5), ['ExternalName', '<none>', 'api.example.com', '<none>']);
  assert.equal(serviceDef.columns.map((c) => c.name).join(','), 'Name,Type,Cluster-IP,External-IP,Port(s),Age,Selector');
});

test('load-balancer status: ipMode defaults to VIP; bad ingress values are rejected', () => {
  const s = created({ type: 'LoadBalancer', ports: [{ port: 80 }] });
  s.status = { loadBalancer: { ingress: [{ ip: '172.18.0.5' }, { hostname: '10.0.0.1' }] } };
  serviceDef.default?.(s);
  assert.deepEqual(s.status.loadBalancer?.ingress?.[0], { ip: '172.18.0.5', ipMode: 'VIP' });
  assert.deepEqual(validate(s), ['status.loadBalancer.ingress[1].hostname: Invalid value: "10.0.0.1": must be a DNS name, not an IP address']);
});

test('an empty selector is not stored (omitempty map, kubernetes#25836): the Service selects no pods', () => {
  assert.equal(created({ selector: {}, ports: [{ port: 80 }] }).spec?.selector, undefined);
  assert.deepEqual(created({ selector: { app: 'x' }, ports: [{ port: 80 }] }).spec?.selector, { app: 'x' });
});
