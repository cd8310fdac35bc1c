import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../api/meta.js';
import type { Service } from '../../api/kinds/service.js';
import { allocEnv } from '../../apiserver/allocation/testenv.js';
import { bootstrapClusterServices } from './bootstrap.js';

const SVC = { resource: 'services' };
const EP = { resource: 'endpoints' };
const SLICE = { resource: 'endpointslices', group: 'discovery.k8s.io' };

test('kubernetes and kube-dns Services, coredns objects; endpoints follow the API port; idempotent', async () => {
  const env = await allocEnv();
  const client = env.mk('kube-apiserver');
  const boot = await bootstrapClusterServices(client, { apiPort: 40123, controlPlaneNodeIP: '127.1.0.1' });
  const k = client.get(SVC, 'default', 'kubernetes') as Service;
  assert.deepEqual(k.metadata.labels, { component: 'apiserver', provider: 'kubernetes' });
  assert.deepEqual(k.spec?.clusterIPs, ['10.96.0.1']);
  assert.deepEqual(k.spec?.ports, [{ name: 'https', protocol: 'TCP', port: 443, targetPort: 6443 }]);
  const ep = client.get(EP, 'default', 'kubernetes')!;
  assert.deepEqual(ep.subsets, [{ addresses: [{ ip: '127.1.0.1' }], ports: [{ name: 'https', port: 40123, protocol: 'TCP' }] }]);
  assert.deepEqual(ep.metadata.labels, { 'endpointslice.kubernetes.io/skip-mirror': 'true' });
  const slice = client.get(SLICE, 'default', 'kubernetes')!;
  assert.equal(slice.addressType, 'IPv4');
  assert.deepEqual(slice.endpoints, [{ addresses: ['127.1.0.1'], conditions: { ready: true } }]);
  assert.deepEqual(slice.metadata.labels, { 'kubernetes.io/service-name': 'kubernetes' });

  const dns = client.get(SVC, 'kube-system', 'kube-dns') as Service;
  assert.equal(dns.spec?.clusterIP, '10.96.0.10');
  assert.deepEqual(dns.spec?.ports?.map((p) => `${p.name}:${p.port}/${p.protocol}`), ['dns:53/UDP', 'dns-tcp:53/TCP', 'metrics:9153/TCP']);
  assert.deepEqual(dns.spec?.selector, { 'k8s-app': 'kube-dns' });
  const d = client.get({ resource: 'deployments', group: 'apps' }, 'kube-system', 'coredns') as KObject & { spec: { replicas: number; template: { spec: { containers: { image: string; args: string[] }[] } } } };
  assert.equal(d.spec.replicas, 2);
  assert.equal(d.spec.template.spec.containers[0]?.image, 'registry.k8s.io/coredns/coredns:v1.11.3');
  assert.deepEqual(d.spec.template.spec.containers[0]?.args, ['-conf', '/etc/coredns/Corefile']);
  const cm = client.get({ resource: 'configmaps' }, 'kube-system', 'coredns')!;
  assert.match((cm.data as Record<string, string>).Corefile!, /kubernetes cluster\.local in-addr\.arpa ip6\.arpa \{\n {7}pods insecure/);
  assert.ok(client.get({ resource: 'serviceaccounts' }, 'kube-system', 'coredns'));

  // Deleting or editing the kubernetes objects brings them back.
  await client.delete(EP, 'default', 'kubernetes');
  await client.update(SLICE, { ...slice, endpoints: [] });
  await client.delete(SVC, 'default', 'kubernetes');
  await new Promise((r) => setImmediate(r));
  for (let i = 0; i < 10 && !client.get(SVC, 'default', 'kubernetes'); i++) await new Promise((r) => setTimeout(r, 5));
  assert.deepEqual(client.get(EP, 'default', 'kubernetes')?.subsets, ep.subsets);
  assert.deepEqual(client.get(SLICE, 'default', 'kubernetes')?.endpoints, slice.endpoints);
  assert.deepEqual((client.get(SVC, 'default', 'kubernetes') as Service).spec?.clusterIP, '10.96.0.1');
  boot.stop();

  // A restart on the same store with another API port: nothing duplicated, endpoints updated.
  const uid = dns.metadata.uid;
  const again = await allocEnv(env.store);
  const boot2 = await bootstrapClusterServices(again.mk('kube-apiserver'), { apiPort: 40999, controlPlaneNodeIP: '127.1.0.1' });
  assert.equal(client.get(SVC, 'kube-system', 'kube-dns')?.metadata.uid, uid);
  assert.equal((client.get(EP, 'default', 'kubernetes')?.subsets as { ports: { port: number }[] }[])[0]?.ports[0]?.port, 40999);
  assert.equal((client.get(SLICE, 'default', 'kubernetes')?.ports as { port: number }[])[0]?.port, 40999);
  boot2.stop();
  await env.close();
});
