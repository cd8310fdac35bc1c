import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createNetwork } from '../net/network.js';
import type { NetStack } from '../net/types.js';
import { corednsImage } from './coredns.js';
import { ImageRegistry } from './registry.js';
import { curl, run, until } from './util/testkit.js';
import type { ClusterServices } from './types.js';
import { decodeReply, exchangeOverStream, fakeUpstream, fixtureCache, query, rr, testHandler } from '../dataplane/dns/testutil.js';

const images = new ImageRegistry();

function ask(net: NetStack, q: Buffer, ms = 500, ip = '10.244.0.3'): Promise<Buffer | undefined> {
  const s = net.udp(0);
  return new Promise((resolve) => {
    const t = setTimeout(() => { s.close(); resolve(undefined); }, ms);
    s.onMessage((d) => { clearTimeout(t); s.close(); resolve(d); });
    s.send(q, { ip, port: 53 });
  });
}

async function askTcp(net: NetStack, q: Buffer): Promise<Buffer> {
  return exchangeOverStream(await net.connect({ ip: '10.244.0.3', port: 53 }), q);
}

const IMAGE = { pod: { image: 'registry.k8s.io/coredns/coredns:v1.11.3' } };

test('the coredns image is registered under registry.k8s.io/coredns/coredns', () => {
  assert.equal(images.resolve('registry.k8s.io/coredns/coredns:v1.11.3'), corednsImage);
});

test("coredns serves its cluster's handler on UDP/TCP 53, /health and /ready, and logs like CoreDNS", async () => {
  const network = createNetwork();
  const pod = network.addStack(['10.244.0.3'], { kind: 'pod', namespace: 'kube-system', name: 'coredns-1' });
  const client = network.addStack(['10.244.0.4'], { kind: 'pod', name: 'client' });
  const cluster: ClusterServices = {};
  const p = run(corednsImage, ['/coredns', '-conf', '/etc/coredns/Corefile'], pod, { ...IMAGE, cluster });
  await until(() => p.out().includes('linux/amd64'));
  assert.match(p.out(), /^\.:53\n\[INFO\] plugin\/reload: Running configuration SHA512 = [0-9a-f]{128}\nCoreDNS-1\.11\.3\nlinux\/amd64, go1\.21\.11, a6338e9\n/);
  const name = 'kubernetes.default.svc.cluster.local';
  assert.equal(decodeReply(await ask(client, query(name, 'A'))).rcode, 'SERVFAIL');
  assert.match(await curl(client, '10.244.0.3', 8181, '/ready'), /^HTTP\/1\.1 503/);
  const up = await fakeUpstream({});
  try {
    cluster.dns = testHandler(fixtureCache(), up.server);
    assert.deepEqual(decodeReply(await ask(client, query(name, 'A'))).answers?.map(rr), ['A 10.96.0.1']);
    assert.deepEqual(decodeReply(await askTcp(client, query(name, 'A'))).answers?.map(rr), ['A 10.96.0.1']);
    assert.match(await curl(client, '10.244.0.3', 8181, '/ready'), /^HTTP\/1\.1 200 OK[\s\S]*\r\n\r\nOK$/);
    assert.match(await curl(client, '10.244.0.3', 8080, '/health'), /^HTTP\/1\.1 200 OK[\s\S]*\r\n\r\nOK$/);
    assert.equal(await p.stop(), 0);
    assert.match(p.out(), /\[INFO\] SIGTERM: Shutting down servers then terminating\n/);
  } finally {
    up.close();
  }
});

test("two coredns pods on one network, each of another cluster, serve and report only their own cluster's DNS", async () => {
  const network = createNetwork();
  const a = network.addStack(['10.244.0.3'], { kind: 'pod', namespace: 'kube-system', name: 'coredns-a' });
  const b = network.addStack(['10.244.1.3'], { kind: 'pod', namespace: 'kube-system', name: 'coredns-b' });
  const client = network.addStack(['10.244.0.4'], { kind: 'pod', name: 'client' });
  const up = await fakeUpstream({});
  const synced: ClusterServices = { dns: testHandler(fixtureCache(), up.server) };
  const syncing: ClusterServices = { dns: testHandler(fixtureCache(), up.server, () => false) };
  const pa = run(corednsImage, ['/coredns'], a, { ...IMAGE, cluster: synced });
  const pb = run(corednsImage, ['/coredns'], b, { ...IMAGE, cluster: syncing });
  try {
    await until(() => pa.out().includes('linux/amd64') && pb.out().includes('linux/amd64'));
    const name = 'web.dns-a.svc.cluster.local';
    assert.deepEqual(decodeReply(await ask(client, query(name, 'A'), 500, '10.244.0.3')).answers?.map(rr), ['A 10.96.5.5']);
    assert.equal(decodeReply(await ask(client, query(name, 'A'), 500, '10.244.1.3')).rcode, 'SERVFAIL');
    assert.match(await curl(client, '10.244.0.3', 8181, '/ready'), /^HTTP\/1\.1 200 /);
    assert.match(await curl(client, '10.244.1.3', 8181, '/ready'), /^HTTP\/1\.1 503 /);
    await until(() => pb.out().includes('Still waiting on: "kubernetes"'), 3000);
    assert.doesNotMatch(pa.out(), /Still waiting/);
  } finally {
    await pa.stop();
    await pb.stop();
    up.close();
  }
});
