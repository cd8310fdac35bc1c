import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StatusError } from '../../api/errors.js';
import type { Endpoints } from '../../api/kinds/endpoints.js';
import type { Pod } from '../../api/kinds/pod-types.js';
import type { Service } from '../../api/kinds/service-schema.js';
import { podLocation, serviceLocation, splitSchemeNamePort, type ProxyLookup } from './location.js';

const svc = { metadata: { name: 'web', namespace: 'default' }, spec: { ports: [{ name: 'http', port: 80, targetPort: 8080 }, { name: 'metrics', port: 9090 }] } } as unknown as Service;
const pod = (name: string, ip: string): Pod => ({ metadata: { name, namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'x', ports: [{ containerPort: 8080 }] }] }, status: { podIP: ip, podIPs: [{ ip }] } }) as unknown as Pod;
const eps = (subsets: unknown[]): Endpoints => ({ metadata: { name: 'web', namespace: 'default' }, subsets }) as unknown as Endpoints;
const addr = (ip: string, name: string) => ({ ip, targetRef: { kind: 'Pod', name, namespace: 'default' } });

function lookup(o: { svc?: Service; eps?: Endpoints; pods?: Pod[] }): ProxyLookup {
  return {
    service: (_ns, n) => (o.svc?.metadata.name === n ? o.svc : undefined),
    endpoints: (_ns, n) => (o.eps?.metadata.name === n ? o.eps : undefined),
    pod: (_ns, n) => o.pods?.find((p) => p.metadata.name === n),
  };
}

function statusOf(f: () => unknown): { code: number; message: string } {
  try { f(); } catch (e) { if (e instanceof StatusError) return { code: e.code, message: e.status.message ?? '' }; throw e; }
  throw new Error('no error');
}

test('the name segment splits as SplitSchemeNamePort (util/net/port_split.go): two parts are name and port', () => {
  assert.deepEqual(splitSchemeNamePort('web'), { scheme: '', name: 'web', port: '' });
  assert.deepEqual(splitSchemeNamePort('web:80'), { scheme: '', name: 'web', port: '80' });
  assert.deepEqual(splitSchemeNamePort('https:web:metrics'), { scheme: 'https', name: 'web', port: 'metrics' });
  assert.deepEqual(splitSchemeNamePort('http:web'), { scheme: '', name: 'http', port: 'web' });
  assert.equal(splitSchemeNamePort('ftp:web:80'), undefined);
  assert.equal(splitSchemeNamePort(':80'), undefined);
  assert.equal(splitSchemeNamePort('a:b:c:d'), undefined);
});

test('a Service port is found by number or by name among the ready endpoints whose pods exist', () => {
  const l = lookup({ svc, eps: eps([{ addresses: [addr('10.244.1.5', 'a')], ports: [{ name: 'http', port: 8080 }, { name: 'metrics', port: 9090 }] }]), pods: [pod('a', '10.244.1.5')] });
  assert.deepEqual(serviceLocation(l, 'default', 'web:80'), { scheme: 'http', ip: '10.244.1.5', port: 8080 });
  assert.deepEqual(serviceLocation(l, 'default', 'https:web:metrics'), { scheme: 'https', ip: '10.244.1.5', port: 9090 });
  assert.deepEqual(statusOf(() => serviceLocation(l, 'default', 'web:81')), { code: 503, message: 'no service port 81 found for service "web"' });
  // No port names the unnamed port, which this Service does not have.
  assert.deepEqual(statusOf(() => serviceLocation(l, 'default', 'web')), { code: 503, message: 'no endpoints available for service "web"' });
});

test('stale addresses (pod gone or with another IP) are skipped; none left is a 503 naming the request', () => {
  const l = lookup({ svc, eps: eps([{ addresses: [addr('10.244.1.5', 'a'), addr('10.244.1.6', 'b')], ports: [{ name: 'http', port: 8080 }] }]), pods: [pod('b', '10.244.1.6')] });
  for (let i = 0; i < 5; i++) assert.equal(serviceLocation(l, 'default', 'web:http', () => i / 5).ip, '10.244.1.6');
  const none = lookup({ svc, eps: eps([{ addresses: [addr('10.244.1.5', 'a')], ports: [{ name: 'http', port: 8080 }] }]), pods: [] });
  assert.deepEqual(statusOf(() => serviceLocation(none, 'default', 'http:web:http')), { code: 503, message: 'no endpoints available for service "http:web:http"' });
});

test('addresses without a pod of the namespace (the kubernetes Service, manual Endpoints) are never proxied', () => {
  const manual = lookup({ svc, eps: eps([{ addresses: [{ ip: '10.244.1.5' }, { ip: '10.244.1.5', targetRef: { kind: 'Pod', name: 'a', namespace: 'other' } }], ports: [{ name: 'http', port: 8080 }] }]), pods: [pod('a', '10.244.1.5')] });
  assert.deepEqual(statusOf(() => serviceLocation(manual, 'default', 'web:80')), { code: 503, message: 'no endpoints available for service "web:80"' });
});

test('no endpoints, no Service, bad requests: the Statuses of kube-apiserver', () => {
  const empty = lookup({ svc, eps: eps([]) });
  assert.deepEqual(statusOf(() => serviceLocation(empty, 'default', 'web:80')), { code: 503, message: 'no endpoints available for service "web"' });
  assert.deepEqual(statusOf(() => serviceLocation(lookup({}), 'default', 'nope:80')), { code: 404, message: 'services "nope" not found' });
  assert.deepEqual(statusOf(() => serviceLocation(lookup({}), 'default', 'nope')), { code: 404, message: 'endpoints "nope" not found' });
  assert.deepEqual(statusOf(() => serviceLocation(lookup({}), 'default', 'a:b:c:d')), { code: 400, message: 'invalid service request "a:b:c:d"' });
});

test('a pod location takes the given port, else the first container port, and refuses a pod without an IP', () => {
  const l = lookup({ pods: [pod('a', '10.244.1.5'), pod('pending', '')] });
  assert.deepEqual(podLocation(l, 'default', 'a'), { scheme: 'http', ip: '10.244.1.5', port: 8080 });
  assert.deepEqual(podLocation(l, 'default', 'https:a:8443'), { scheme: 'https', ip: '10.244.1.5', port: 8443 });
  assert.deepEqual(statusOf(() => podLocation(l, 'default', 'pending')), { code: 400, message: 'address not allowed' });
  assert.deepEqual(statusOf(() => podLocation(l, 'default', 'gone')), { code: 404, message: 'pods "gone" not found' });
  assert.deepEqual(statusOf(() => podLocation(l, 'default', 'a:b:c:d')), { code: 400, message: 'invalid pod request "a:b:c:d"' });
});
