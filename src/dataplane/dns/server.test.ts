import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import net from 'node:net';
import { once } from 'node:events';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Registry } from '../../api/registry.js';
import { allKinds } from '../../api/kinds/index.js';
import type { KObject } from '../../api/meta.js';
import { openStore } from '../../store/index.js';
import type { Store } from '../../store/types.js';
import { namespaceLifecycle } from '../../apiserver/admission.js';
import { Client } from '../../client/client.js';
import { ClusterView } from '../../client/view.js';
import { startClusterDNS, type ClusterDNS } from './index.js';
import { decodeReply, exchangeOverStream, fakeUpstream, query, rr, slice } from './testutil.js';

const run = promisify(execFile);
const SLICES = { resource: 'endpointslices', group: 'discovery.k8s.io' };
let store: Store, client: Client, view: ClusterView, dns: ClusterDNS, up: Awaited<ReturnType<typeof fakeUpstream>>;
let hasDig = false;

before(async () => {
  store = await openStore({ ephemeral: true });
  client = new Client(store, new Registry(allKinds), namespaceLifecycle(store), 'test');
  for (const ns of ['default', 'kube-system', 'dns-a']) await client.create({ resource: 'namespaces' }, { metadata: { name: ns } });
  await client.create({ resource: 'services' }, svc('default', 'kubernetes', '10.96.0.1', 443));
  up = await fakeUpstream({ 'example.org A': [{ name: '', type: 'A', ttl: 60, data: '192.0.2.8' }] });
  view = new ClusterView(client);
  dns = await startClusterDNS({ view, hostPort: 0, forward: { servers: [up.server], timeoutMs: 200, deadlineMs: 600 } });
  hasDig = await run('dig', ['-v']).then(() => true, () => false);
});
after(async () => {
  await dns.stop();
  view.stop();
  up.close();
  await store.close();
});

function svc(ns: string, name: string, clusterIP: string, port: number): KObject {
  return { metadata: { namespace: ns, name }, spec: { clusterIP, ports: [{ name: 'http', port, protocol: 'TCP' }] } } as KObject;
}

async function udp(q: Buffer): Promise<Buffer> {
  const s = dgram.createSocket('udp4');
  try {
    const got = once(s, 'message');
    s.send(q, dns.port!, '127.0.0.1');
    const timer = new Promise<never>((_, rej) => setTimeout(() => rej(new Error('udp timeout')), 2000));
    return (await Promise.race([got, timer]))[0] as Buffer;
  } finally {
    s.close();
  }
}

async function tcp(q: Buffer): Promise<Buffer> {
  const c = net.connect(dns.port!, '127.0.0.1');
  await once(c, 'connect');
  return exchangeOverStream(c, q);
}

test('the host listener answers over UDP and TCP on the same port, and exposes the handler the coredns image serves', async () => {
  assert.ok(dns.synced());
  const name = 'kubernetes.default.svc.cluster.local';
  assert.ok(dns.handler.synced());
  assert.deepEqual(decodeReply(await dns.handler.handle(query(name, 'A'), 'udp')).answers?.map(rr), ['A 10.96.0.1']);
  assert.deepEqual(decodeReply(await udp(query(name, 'A'))).answers?.map(rr), ['A 10.96.0.1']);
  assert.deepEqual(decodeReply(await tcp(query(name, 'A'))).answers?.map(rr), ['A 10.96.0.1']);
  assert.deepEqual(decodeReply(await udp(query('example.org', 'A'))).answers?.map(rr), ['A 192.0.2.8']);
});

test('API changes reach DNS immediately (informers)', async () => {
  const name = 'late.dns-a.svc.cluster.local';
  assert.equal(decodeReply(await udp(query(name, 'A'))).rcode, 'NXDOMAIN');
  await client.create({ resource: 'services' }, svc('dns-a', 'late', '10.96.7.7', 80));
  assert.deepEqual(decodeReply(await udp(query(name, 'A'))).answers?.map(rr), ['A 10.96.7.7']);
  await client.delete({ resource: 'services' }, 'dns-a', 'late');
  assert.equal(decodeReply(await udp(query(name, 'A'))).rcode, 'NXDOMAIN');
});

test('a 40-endpoint headless Service: UDP reply truncated (TC), TCP carries all', async () => {
  await client.create({ resource: 'services' }, { metadata: { namespace: 'dns-a', name: 'big' }, spec: { clusterIP: 'None', ports: [{ name: 'http', port: 80 }] } } as KObject);
  await client.create(SLICES, slice('dns-a', 'big', 'big-1', Array.from({ length: 40 }, (_, i): [string] => [`10.244.4.${i + 1}`])));
  const name = 'big.dns-a.svc.cluster.local';
  const u = decodeReply(await udp(query(name, 'A')));
  assert.ok(u.flags! & 0x0200, 'TC');
  assert.equal(decodeReply(await tcp(query(name, 'A'))).answers?.length, 40);
});

test('garbage over UDP and TCP: FORMERR or drop, and the listener keeps serving', async () => {
  const s = dgram.createSocket('udp4');
  let seed = 99;
  const rnd = (n: number): number => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % n; };
  for (let i = 0; i < 300; i++) s.send(Buffer.from(Array.from({ length: rnd(60) }, () => rnd(256))), dns.port!, '127.0.0.1');
  await new Promise((r) => setTimeout(r, 100));
  s.close();
  const c = net.connect(dns.port!, '127.0.0.1');
  await once(c, 'connect');
  c.end(Buffer.from([0, 5, 1, 2, 3, 4, 5, 0xff, 0xff, 9]));
  c.on('error', () => undefined);
  await once(c, 'close');
  assert.equal(decodeReply(await udp(query('kubernetes.default.svc.cluster.local', 'A'))).rcode, 'NOERROR');
});

test('TCP: pipelined queries on one connection each get a reply', async () => {
  const c = net.connect(dns.port!, '127.0.0.1');
  await once(c, 'connect');
  const frame = (q: Buffer): Buffer => Buffer.concat([Buffer.from([q.length >> 8, q.length & 255]), q]);
  c.write(Buffer.concat([frame(query('kubernetes.default.svc.cluster.local', 'A', { id: 1 })), frame(query('nope.default.svc.cluster.local', 'A', { id: 2 }))]));
  let buf = Buffer.alloc(0);
  const ids: number[] = [];
  for await (const d of c) {
    buf = Buffer.concat([buf, d as Buffer]);
    while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
      ids.push(decodeReply(buf.subarray(2, 2 + buf.readUInt16BE(0))).id ?? -1);
      buf = buf.subarray(2 + buf.readUInt16BE(0));
    }
    if (ids.length === 2) break;
  }
  c.destroy();
  assert.deepEqual(ids.sort(), [1, 2]);
});

async function dig(...args: string[]): Promise<string> {
  return (await run('dig', ['@127.0.0.1', '-p', String(dns.port), '+time=2', '+tries=1', ...args])).stdout;
}

test('dig against the host listener', async (t) => {
  if (!hasDig) { t.skip('dig not installed (Debian package bind9-dnsutils); skipping dig cases'); return; }
  assert.match(await dig('kubernetes.default.svc.cluster.local'), /status: NOERROR[\s\S]*kubernetes\.default\.svc\.cluster\.local\.\s+30\s+IN\s+A\s+10\.96\.0\.1/);
  assert.match(await dig('+notcp', 'nope.default.svc.cluster.local'), /status: NXDOMAIN[\s\S]*AUTHORITY SECTION:\ncluster\.local\.\s+30\s+IN\s+SOA\s+ns\.dns\.cluster\.local\. hostmaster\.cluster\.local\. \d+ 7200 1800 86400 30/);
  assert.match(await dig('+tcp', 'kubernetes.default.svc.cluster.local', 'AAAA'), /status: NOERROR[\s\S]*ANSWER: 0/);
  assert.match(await dig('dns-version.cluster.local', 'TXT'), /IN\s+TXT\s+"1\.1\.0"/);
  assert.match(await dig('_http._tcp.kubernetes.default.svc.cluster.local', 'SRV'), /IN\s+SRV\s+0 100 443 kubernetes\.default\.svc\.cluster\.local\./);
  assert.match(await dig('-x', '10.96.0.1'), /IN\s+PTR\s+kubernetes\.default\.svc\.cluster\.local\./);
  const big = await dig('+noedns', '+ignore', 'big.dns-a.svc.cluster.local');
  assert.match(big, /flags: qr aa tc rd ra;/);
  const retried = await dig('+noedns', 'big.dns-a.svc.cluster.local');
  assert.match(retried, /Truncated, retrying in TCP mode/);
  assert.equal((retried.match(/IN\s+A\s+10\.244\.4\./g) ?? []).length, 40);
  assert.match(await dig('big.dns-a.svc.cluster.local', '+bufsize=4096'), /ANSWER: 40/);
});
