import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createNetwork } from '../net/network.js';
import type { NetStack } from '../net/types.js';
import { corednsImage } from './coredns.js';
import { ImageRegistry } from './registry.js';
import { curl, run, until } from './util/testkit.js';
import type { ClusterServices } from './types.js';
import { decodeReply, exchangeOverStream, fakeUpstream, fixture, fixtureCache, query, rr, testHandler } from '../dataplane/dns/testutil.js';
import { startClusterDNS } from '../dataplane/dns/index.js';
import { ClusterView } from '../client/view.js';

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

test('coredns compiles its mounted Corefile, reloads it on change, and keeps the old one when the new one fails', async () => {
  const network = createNetwork();
  const pod = network.addStack(['10.244.0.3'], { kind: 'pod', namespace: 'kube-system', name: 'coredns-r' });
  const client = network.addStack(['10.244.0.4'], { kind: 'pod', name: 'client' });
  const dns = await startClusterDNS({ view: new ClusterView(fixture().api), forward: { servers: [] } });
  const corefile = (hosts: string, extra = ''): string => `.:53 {\n    errors\n    log\n    hosts {\n        ${hosts}\n    }\n    reload 2s 1s\n${extra}}\nexample.org:5300 {\n    template IN A {\n        answer "{{ .Name }} 5 IN A 192.0.2.53"\n    }\n}\n`;
  const image = { ...corednsImage, files: { '/etc/hosts': '127.0.0.1 localhost\n', '/etc/coredns/Corefile': corefile('192.0.2.1 one.test') } };
  const system = { image: IMAGE.pod.image, namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } };
  const p = run(image, ['/coredns', '-conf', '/etc/coredns/Corefile'], pod, { pod: system, cluster: { dns: dns.handler } });
  const a = async (name: string, port = 53, ip = '10.244.0.3'): Promise<string[]> => {
    const s = client.udp(0);
    const got = await new Promise<Buffer | undefined>((resolve) => {
      const t = setTimeout(() => { s.close(); resolve(undefined); }, 500);
      s.onMessage((d) => { clearTimeout(t); s.close(); resolve(d); });
      s.send(query(name, 'A'), { ip, port });
    });
    return decodeReply(got).answers?.map(rr) ?? [];
  };
  try {
    await until(() => p.out().includes('linux/amd64'));
    assert.match(p.out(), /^\.:53\nexample\.org\.:5300\n\[INFO\] plugin\/reload: Running configuration SHA512 = [0-9a-f]{128}\nCoreDNS-1\.11\.3\n/);
    assert.deepEqual(await a('one.test'), ['A 192.0.2.1']);
    assert.deepEqual(await a('www.example.org', 5300), ['A 192.0.2.53'], 'a server block on another port of the pod');
    assert.match(p.out(), /\[INFO\] 10\.244\.0\.4:\d+ - \d+ "A IN one\.test\. udp \d+ false 512" NOERROR qr,aa,rd,ra \d+ [\d.]+s\n/, 'the log plugin writes to this pod');
    p.ctx.fs.write('/etc/coredns/Corefile', corefile('192.0.2.2 two.test'));
    await until(() => p.out().includes('Reloading complete'), 6000);
    assert.match(p.out(), /\[INFO\] Reloading\n\[INFO\] plugin\/reload: Running configuration SHA512 = [0-9a-f]{128}\n\[INFO\] Reloading complete\n/);
    assert.deepEqual(await a('two.test'), ['A 192.0.2.2']);
    p.ctx.fs.write('/etc/coredns/Corefile', corefile('192.0.2.3 three.test', '    forward . x\n'));
    await until(() => p.out().includes('reload failed'), 6000);
    assert.match(p.out(), /\[ERROR\] Restart failed: plugin\/forward: not an IP address or file: "x"\n\[ERROR\] plugin\/reload: Corefile changed but reload failed: starting with listener file descriptors: plugin\/forward: not an IP address or file: "x"\n/);
    assert.deepEqual(await a('two.test'), ['A 192.0.2.2'], 'the previous Corefile keeps serving');
    assert.equal(dns.handler.current().text, corefile('192.0.2.2 two.test'));
    // A coredns the user runs (not behind kube-dns) serves its own Corefile and leaves the cluster's alone.
    const mine = network.addStack(['10.244.0.7'], { kind: 'pod', namespace: 'default', name: 'my-dns' });
    const own = run({ ...corednsImage, files: { '/etc/hosts': '', '/Corefile': '.:53 {\n    hosts {\n        192.0.2.77 mine.test\n    }\n}\n' } }, ['/coredns', '-conf', '/Corefile'], mine, { ...IMAGE, cluster: { dns: dns.handler } });
    try {
      await until(() => own.out().includes('linux/amd64'));
      assert.deepEqual(await a('mine.test', 53, '10.244.0.7'), ['A 192.0.2.77']);
      assert.deepEqual(await a('mine.test'), [], 'the cluster DNS did not take it');
      assert.equal(dns.handler.current().text, corefile('192.0.2.2 two.test'));
    } finally {
      await own.stop();
    }
  } finally {
    await p.stop();
    await dns.stop();
  }
});

test('a Corefile that does not parse at start: CoreDNS\'s error and exit 1', async () => {
  const network = createNetwork();
  const pod = network.addStack(['10.244.0.3'], { kind: 'pod', namespace: 'kube-system', name: 'coredns-bad' });
  const dns = await startClusterDNS({ view: new ClusterView(fixture().api), forward: { servers: [] } });
  try {
    const image = { ...corednsImage, files: { '/etc/coredns/Corefile': '.:53 {\n    errors\n    forward . {\n' } };
    const p = run(image, ['/coredns', '-conf', '/etc/coredns/Corefile'], pod, { pod: { image: IMAGE.pod.image, namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } }, cluster: { dns: dns.handler } });
    assert.equal(await p.done, 1);
    assert.equal(p.out(), '/etc/coredns/Corefile:3 - Error during parsing: Unexpected EOF\n');
  } finally {
    await dns.stop();
  }
});
