import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../api/meta.js';
import type { Service } from '../../api/kinds/service.js';
import { cidrContains, parseIPv4 } from '../../net/ip.js';
import { allocEnv, svc } from './testenv.js';

const SVC = { resource: 'services' };
const spec = (o: KObject) => (o as Service).spec!;

async function rejects(p: Promise<unknown>, code: number, message: string): Promise<void> {
  await assert.rejects(p, (e: { code?: number; message?: string }) => {
    assert.equal(e.message, message);
    assert.equal(e.code, code);
    return true;
  });
}

test('ClusterIPs come at random from the upper part of the service CIDR; requests are honoured or refused', async () => {
  const env = await allocEnv();
  const a = await env.client.create(SVC, svc('a', {}));
  const ip = spec(a).clusterIP!;
  assert.ok(cidrContains('10.96.0.0/12', ip));
  assert.ok(parseIPv4(ip)! >= parseIPv4('10.96.1.1')!, ip);
  assert.deepEqual(spec(a).clusterIPs, [ip]);
  assert.ok(env.alloc.allocators.ips.has(ip));
  const k = await env.client.create(SVC, svc('kubernetes', { clusterIP: '10.96.0.1' }));
  assert.deepEqual(spec(k).clusterIPs, ['10.96.0.1']);
  await env.client.create(SVC, svc('five', { clusterIP: '10.96.0.5' }));
  await rejects(env.client.create(SVC, svc('b', { clusterIP: '10.96.0.5' })), 422,
    'Service "b" is invalid: spec.clusterIPs: Invalid value: []string{"10.96.0.5"}: failed to allocate IP 10.96.0.5: provided IP is already allocated');
  await rejects(env.client.create(SVC, svc('c', { clusterIP: '10.0.0.5' })), 422,
    'Service "c" is invalid: spec.clusterIPs: Invalid value: []string{"10.0.0.5"}: failed to allocate IP 10.0.0.5: the provided network does not match the current range');
  await rejects(env.client.create(SVC, svc('d', { clusterIP: '10.111.255.255' })), 422,
    'Service "d" is invalid: spec.clusterIPs: Invalid value: []string{"10.111.255.255"}: failed to allocate IP 10.111.255.255: provided IP 10.111.255.255 is not in the valid range');
  await rejects(env.client.create(SVC, svc('e', { clusterIP: 'fd00::5' })), 422,
    'Service "e" is invalid: spec.clusterIPs[0]: Invalid value: []string{"fd00::5"}: IPv6 is not configured on this cluster');
  await rejects(env.client.create(SVC, svc('f', { ipFamilyPolicy: 'RequireDualStack' })), 422,
    'Service "f" is invalid: spec.ipFamilyPolicy: Invalid value: "RequireDualStack": this cluster is not configured for dual-stack services');
  await rejects(env.client.create(SVC, svc('g', { ipFamilies: ['IPv6'] })), 422,
    'Service "g" is invalid: spec.ipFamilies[0]: Invalid value: "IPv6": not configured on this cluster');
  const h = await env.client.create(SVC, svc('h', { clusterIP: 'None' }));
  assert.deepEqual(spec(h).clusterIPs, ['None']);
  const n = await env.client.create(SVC, svc('n', { clusterIP: 'None', selector: undefined, ports: undefined }));
  assert.deepEqual(spec(n).ipFamilies, ['IPv4', 'IPv6']);
  await env.close();
});

test('node ports: random in range, static honoured, conflicts refused, shared by TCP and UDP of one port', async () => {
  const env = await allocEnv();
  const a = await env.client.create(SVC, svc('a', { type: 'NodePort' }));
  const np = spec(a).ports![0]!.nodePort!;
  assert.ok(np >= 30086 && np <= 32767, String(np));
  await env.client.create(SVC, svc('b', { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] }));
  const before = env.alloc.allocators.ips;
  const usedIPs = ['a', 'b'].map((x) => spec(env.client.get(SVC, 'default', x)!).clusterIP!);
  await rejects(env.client.create(SVC, svc('c', { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] })), 422,
    'Service "c" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated');
  await rejects(env.client.create(SVC, svc('c', { type: 'NodePort', ports: [{ port: 80, nodePort: 80 }] })), 422,
    'Service "c" is invalid: spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767');
  assert.equal(before, env.alloc.allocators.ips);
  assert.equal(env.alloc.allocators.ports.size, 2, 'the failed creates gave back what they took');
  for (const ip of usedIPs) assert.ok(env.alloc.allocators.ips.has(ip));
  const dns = await env.client.create(SVC, svc('dns', {
    type: 'NodePort', ports: [{ name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53, protocol: 'TCP' }],
  }));
  const [u, t] = spec(dns).ports!;
  assert.equal(u!.nodePort, t!.nodePort);
  await env.close();
});

test('LoadBalancer: node ports unless disabled, health-check node port for the Local policy', async () => {
  const env = await allocEnv();
  const lb = await env.client.create(SVC, svc('lb', { type: 'LoadBalancer', externalTrafficPolicy: 'Local' }));
  assert.ok(spec(lb).ports![0]!.nodePort);
  const hc = spec(lb).healthCheckNodePort!;
  assert.ok(hc >= 30000 && hc <= 32767 && hc !== spec(lb).ports![0]!.nodePort);
  const keys = Object.keys(spec(lb));
  assert.ok(keys.indexOf('healthCheckNodePort') > keys.indexOf('externalTrafficPolicy'));
  const off = await env.client.create(SVC, svc('off', { type: 'LoadBalancer', allocateLoadBalancerNodePorts: false }));
  assert.equal(spec(off).ports![0]!.nodePort, undefined);
  const req = await env.client.create(SVC, svc('req', { type: 'LoadBalancer', allocateLoadBalancerNodePorts: false, ports: [{ port: 81, nodePort: 31000 }] }));
  assert.equal(spec(req).ports![0]!.nodePort, 31000);
  await rejects(env.client.create(SVC, svc('hc', { type: 'LoadBalancer', externalTrafficPolicy: 'Local', healthCheckNodePort: hc })), 500,
    `Internal error occurred: failed to allocate requested HealthCheck NodePort ${hc}: provided port is already allocated`);
  await env.client.delete(SVC, 'default', 'lb');
  assert.ok(!env.alloc.allocators.ports.has(hc));
  assert.ok(!env.alloc.allocators.ips.has(spec(lb).clusterIP!));
  await env.close();
});

test('type changes release and allocate as upstream', async () => {
  const env = await allocEnv();
  const c = await env.client.create(SVC, svc('s', {}));
  const ip = spec(c).clusterIP!;
  const toNP = await env.client.update(SVC, { ...c, spec: { ...spec(c), type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] } });
  assert.equal(spec(toNP).ports![0]!.nodePort, 30080);
  assert.equal(spec(toNP).clusterIP, ip);
  const toLB = await env.client.update(SVC, { ...toNP, spec: { ...spec(toNP), type: 'LoadBalancer', externalTrafficPolicy: 'Local' } });
  assert.equal(spec(toLB).ports![0]!.nodePort, 30080);
  const hc = spec(toLB).healthCheckNodePort!;
  assert.ok(env.alloc.allocators.ports.has(hc));
  const toCIP = await env.client.update(SVC, { ...toLB, spec: { ...spec(toLB), type: 'ClusterIP' } });
  assert.equal(spec(toCIP).ports![0]!.nodePort, undefined);
  assert.equal(spec(toCIP).healthCheckNodePort, undefined);
  assert.ok(!env.alloc.allocators.ports.has(30080) && !env.alloc.allocators.ports.has(hc));
  const toEN = await env.client.update(SVC, { ...toCIP, spec: { ...spec(toCIP), type: 'ExternalName', externalName: 'example.com' } });
  assert.equal(spec(toEN).clusterIP, undefined);
  assert.ok(!env.alloc.allocators.ips.has(ip));
  const back = await env.client.update(SVC, { ...toEN, spec: { ...spec(toEN), type: 'ClusterIP', externalName: undefined } });
  assert.ok(cidrContains('10.96.0.0/12', spec(back).clusterIP!));
  assert.ok(env.alloc.allocators.ips.has(spec(back).clusterIP!));
  const np = await env.client.update(SVC, { ...back, spec: { ...spec(back), type: 'NodePort' } });
  const first = spec(np).ports![0]!.nodePort!;
  const moved = await env.client.update(SVC, { ...np, spec: { ...spec(np), ports: [{ port: 80, nodePort: 30999 }] } });
  assert.equal(spec(moved).ports![0]!.nodePort, 30999);
  assert.ok(!env.alloc.allocators.ports.has(first) && env.alloc.allocators.ports.has(30999));
  await env.close();
});

test('dry run shows free in-range node ports and reserves nothing; conflicts still refused', async () => {
  const env = await allocEnv();
  await env.client.create(SVC, svc('taken', { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] }));
  const size = env.alloc.allocators.ports.size;
  const d = await env.dryCreate(svc('d', { type: 'LoadBalancer', externalTrafficPolicy: 'Local', ports: [{ name: 'a', port: 80 }, { name: 'b', port: 81 }] }));
  assert.equal(spec(d).clusterIP, '10.96.0.0');
  const shown = [...spec(d).ports!.map((p) => p.nodePort!), spec(d).healthCheckNodePort!];
  assert.equal(new Set(shown).size, 3, `three different ports: ${shown.join(', ')}`);
  for (const p of shown) assert.ok(p >= 30000 && p <= 32767 && p !== 30080 && !env.alloc.allocators.ports.has(p), `${p}: free and in the range (never 32769 and up)`);
  assert.equal(env.alloc.allocators.ports.size, size);
  const s = await env.dryCreate(svc('s', { clusterIP: '10.96.0.7' }));
  assert.equal(spec(s).clusterIP, '10.96.0.7');
  assert.ok(!env.alloc.allocators.ips.has('10.96.0.7'));
  await rejects(env.dryCreate(svc('x', { clusterIP: '10.0.0.1' })), 422,
    'Service "x" is invalid: spec.clusterIPs: Invalid value: []string{"10.0.0.1"}: failed to allocate IP 10.0.0.1: provided IP 10.0.0.1 is not in the valid range');
  await rejects(env.dryCreate(svc('y', { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] })), 422,
    'Service "y" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated');
  const c = await env.client.create(SVC, svc('c', {}));
  const du = await env.dryUpdate({ ...c, spec: { ...spec(c), type: 'NodePort' } });
  const duPort = spec(du).ports![0]!.nodePort!;
  assert.ok(duPort >= 30000 && duPort <= 32767 && !env.alloc.allocators.ports.has(duPort), `${duPort}`);
  assert.equal(env.alloc.allocators.ports.size, size);
  assert.equal(spec(env.client.get(SVC, 'default', 'c')!).type, 'ClusterIP');
  await env.close();
});

test('repair rebuilds the allocators from stored Services', async () => {
  const env = await allocEnv();
  await env.client.create(SVC, svc('a', { clusterIP: '10.96.0.20', type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] }));
  const again = await allocEnv(env.store);
  await rejects(again.client.create(SVC, svc('b', { clusterIP: '10.96.0.20' })), 422,
    'Service "b" is invalid: spec.clusterIPs: Invalid value: []string{"10.96.0.20"}: failed to allocate IP 10.96.0.20: provided IP is already allocated');
  await rejects(again.client.create(SVC, svc('b', { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] })), 422,
    'Service "b" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated');
  await again.client.delete(SVC, 'default', 'a');
  await again.client.create(SVC, svc('b', { clusterIP: '10.96.0.20', type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] }));
  await env.close();
});
