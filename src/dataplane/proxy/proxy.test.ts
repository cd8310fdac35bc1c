import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import dgram from 'node:dgram';
import { once } from 'node:events';
import tls from 'node:tls';
import { PassThrough, type Duplex } from 'node:stream';
import type { KObject } from '../../api/meta.js';
import { Cluster } from '../../cluster.js';
import type { Client } from '../../client/client.js';
import { execInPod } from '../../node/kubelet/streams.js';
import { BIND_FAILED_REASON, type ServiceProxy } from './index.js';

let cluster: Cluster;
let proxy: ServiceProxy;
let c: Client;
const ips: Record<string, string> = {};
const base = 30000 + Math.floor(Math.random() * 2500);
const NP = { web: base, local: base + 1, busy: base + 2, lb: base + 3, udp: base + 4 };
let LB_IP = '';
const LB_PORT = 18000 + Math.floor(Math.random() * 1000);
let busy: net.Server;
let apiIP = '';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function pod(name: string, node: string, image: string, args: string[], command?: string[]): Promise<void> {
  await c.create({ resource: 'pods' }, {
    metadata: { name, namespace: 'default', labels: { app: name } },
    spec: { nodeName: node, containers: [{ name: 'c', image, args, ...(command ? { command } : {}) }] },
  });
}

async function running(name: string): Promise<string> {
  for (let i = 0; i < 200; i++) {
    const p = c.get({ resource: 'pods' }, 'default', name) as KObject & { status?: { podIP?: string; conditions?: { type: string; status: string }[] } };
    if (p.status?.podIP && p.status.conditions?.some((x) => x.type === 'Ready' && x.status === 'True')) return p.status.podIP;
    await sleep(25);
  }
  throw new Error(`pod ${name} never became ready`);
}

async function service(name: string, spec: Record<string, unknown>, eps: { ip: string; node: string }[], ports: { name: string; port: number; protocol?: string }[]): Promise<KObject> {
  const s = await c.create({ resource: 'services' }, { metadata: { name, namespace: 'default' }, spec });
  await c.create({ resource: 'endpointslices', group: 'discovery.k8s.io' }, {
    metadata: { name: `${name}-manual`, namespace: 'default', labels: { 'kubernetes.io/service-name': name, 'endpointslice.kubernetes.io/managed-by': 'test' } },
    addressType: 'IPv4', endpoints: eps.map((e) => ({ addresses: [e.ip], nodeName: e.node, conditions: { ready: true } })),
    ports: ports.map((p) => ({ protocol: 'TCP', ...p })),
  });
  return s;
}

/** The load balancer IP the allocator gives (or, without one, a pool address written here). */
async function ingressIP(lb: KObject): Promise<string> {
  type LB = KObject & { status?: { loadBalancer?: { ingress?: { ip?: string }[] } } };
  for (let i = 0; i < 50; i++) {
    const ip = (c.get({ resource: 'services' }, 'default', 'lb') as LB).status?.loadBalancer?.ingress?.[0]?.ip;
    if (ip) return ip;
    await sleep(20);
  }
  const fresh = c.get({ resource: 'services' }, 'default', lb.metadata.name ?? '') as LB;
  const ip = `127.240.0.${100 + Math.floor(Math.random() * 100)}`;
  fresh.status = { loadBalancer: { ingress: [{ ip }] } };
  await c.update({ resource: 'services' }, fresh, 'status');
  return ip;
}

async function exec(pod: string, argv: string[]): Promise<{ code: number; out: string }> {
  const out = new PassThrough();
  let text = '';
  out.on('data', (d: Buffer) => (text += d.toString()));
  const code = await execInPod(cluster.agent, 'default', pod, undefined, argv, { stdin: null, stdout: out, stderr: out, tty: false } as never);
  return { code, out: text };
}

function get(host: string, port: number, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host, port, path, agent: false, timeout: 3000 }, (res) => {
      let b = '';
      res.on('data', (d: Buffer) => (b += d.toString()));
      res.on('end', () => resolve(b));
    });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error('timeout')));
  });
}

before(async () => {
  busy = net.createServer().listen(NP.busy, '127.0.0.1');
  await once(busy, 'listening');
  cluster = await Cluster.start({ ephemeral: true, apiPort: 0, nodes: 2 });
  c = cluster.client('test');
  proxy = cluster.proxy!; // the cluster's own proxy (a second one would fight over routers and ports)
  await pod('web-0', 'knet-worker', 'registry.k8s.io/e2e-test-images/agnhost:2.53', ['netexec', '--http-port=8080', '--udp-port=8081']);
  await pod('web-1', 'knet-control-plane', 'registry.k8s.io/e2e-test-images/agnhost:2.53', ['netexec', '--http-port=8080', '--udp-port=8081']);
  await pod('tools', 'knet-control-plane', 'curlimages/curl', ['3600'], ['sleep']);
  for (const n of ['web-0', 'web-1', 'tools']) ips[n] = await running(n);
  const both = [{ ip: ips['web-0']!, node: 'knet-worker' }, { ip: ips['web-1']!, node: 'knet-control-plane' }];
  const httpUdp = [{ name: 'http', port: 8080 }, { name: 'udp', port: 8081, protocol: 'UDP' }];
  await service('web', { type: 'NodePort', clusterIP: '10.96.7.7', ports: [{ name: 'http', port: 80, targetPort: 8080, nodePort: NP.web }, { name: 'udp', port: 81, protocol: 'UDP', targetPort: 8081, nodePort: NP.udp }] }, both, httpUdp);
  await service('local', { type: 'NodePort', clusterIP: '10.96.7.8', externalTrafficPolicy: 'Local', ports: [{ name: 'http', port: 80, targetPort: 8080, nodePort: NP.local }] }, [both[0]!], [httpUdp[0]!]);
  await service('empty', { clusterIP: '10.96.7.9', ports: [{ name: 'http', port: 80, targetPort: 8080 }] }, [], [httpUdp[0]!]);
  await service('busy', { type: 'NodePort', clusterIP: '10.96.7.10', ports: [{ name: 'http', port: 80, targetPort: 8080, nodePort: NP.busy }] }, both, [httpUdp[0]!]);
  const k8s = c.get({ resource: 'services' }, 'default', 'kubernetes')
    ?? await c.create({ resource: 'services' }, { metadata: { name: 'kubernetes', namespace: 'default' }, spec: { clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443, targetPort: 6443 }] } });
  apiIP = (k8s.spec as { clusterIP: string }).clusterIP;
  const lb = await service('lb', { type: 'LoadBalancer', clusterIP: '10.96.7.11', ports: [{ name: 'http', port: LB_PORT, targetPort: 8080, nodePort: NP.lb }] }, both, [httpUdp[0]!]);
  LB_IP = await ingressIP(lb);
  await proxy.synced();
});

after(async () => {
  busy.close();
  await cluster.stop();
});

test('a toolbox pod curls a ClusterIP and reaches every endpoint', async () => {
  const seen = new Set<string>();
  for (let i = 0; i < 16 && seen.size < 2; i++) {
    const r = await exec('tools', ['curl', '-s', 'http://10.96.7.7/hostname']);
    assert.equal(r.code, 0, r.out);
    seen.add(r.out);
  }
  assert.deepEqual([...seen].sort(), ['web-0', 'web-1']);
  const refused = await exec('tools', ['curl', '-sS', 'http://10.96.7.9/']);
  assert.equal(refused.code, 7, refused.out);
  assert.match(refused.out, /Failed to connect to 10\.96\.7\.9 port 80 .*Couldn't connect to server/);
});

test('pods reach the real API server through the kubernetes Service', async () => {
  const conn = await cluster.network.stackFor(ips.tools!)!.connect({ ip: apiIP, port: 443 });
  const sock = tls.connect({ socket: conn as unknown as Duplex, rejectUnauthorized: false, servername: 'kubernetes.default' });
  await once(sock, 'secureConnect');
  sock.end('GET /version HTTP/1.1\r\nHost: kubernetes.default\r\nConnection: close\r\n\r\n');
  let text = '';
  for await (const d of sock) text += (d as Buffer).toString();
  assert.match(text, /^HTTP\/1\.1 (200|401|403) /);
  assert.match(text, /"(gitVersion|kind)"/);
});

test('host clients reach a NodePort on 127.0.0.1 and on node IPs', async () => {
  for (const host of ['127.0.0.1', '127.1.0.1', '127.1.0.2']) assert.match(await get(host, NP.web, '/hostname'), /^web-[01]$/);
  const viaNode = await get('127.1.0.2', NP.web, '/clientip');
  assert.match(viaNode, /^127\.1\.0\.2:\d+$/, 'Cluster policy: the source is the node address');
  const local = await get('127.1.0.2', NP.local, '/clientip');
  assert.match(local, /^127\.0\.0\.1:\d+$/, 'Local policy: the client address is kept');
  await assert.rejects(get('127.0.0.1', NP.local, '/hostname'), 'no local endpoint on the control plane');
});

test('UDP NodePorts relay datagrams both ways', async () => {
  const s = dgram.createSocket('udp4');
  try {
    s.send('hostname', NP.udp, '127.0.0.1');
    const [msg] = (await Promise.race([once(s, 'message'), sleep(3000).then(() => { throw new Error('no UDP reply'); })])) as [Buffer];
    assert.match(msg.toString(), /^web-[01]$/);
  } finally {
    s.close();
  }
});

test('a LoadBalancer IP answers at once', async () => {
  assert.match(await get(LB_IP, LB_PORT, '/hostname'), /^web-[01]$/);
  assert.ok(proxy.bound().includes(`TCP ${LB_IP}:${LB_PORT}`));
});

test('a refused host port becomes a Warning event, not a crash', async () => {
  let ev: KObject | undefined;
  for (let i = 0; i < 100 && !ev; i++, await sleep(20)) {
    ev = c.list({ resource: 'events' }, 'default').find((e) => (e as { reason?: string }).reason === BIND_FAILED_REASON);
  }
  assert.ok(ev, 'event recorded');
  assert.match((ev as { message?: string }).message ?? '', new RegExp(`127\\.0\\.0\\.1:${NP.busy}/tcp .*default/busy:http.*EADDRINUSE`));
  assert.ok(proxy.bound().includes(`TCP 127.1.0.1:${NP.busy}`), 'the other addresses still listen');
});

test('changes reach the proxy in one sync: an endpoint removed, a Service deleted', async () => {
  const s = c.get({ resource: 'endpointslices', group: 'discovery.k8s.io' }, 'default', 'web-manual') as KObject & { endpoints: unknown[] };
  s.endpoints = s.endpoints.slice(0, 1);
  await c.update({ resource: 'endpointslices', group: 'discovery.k8s.io' }, s);
  await c.delete({ resource: 'services' }, 'default', 'lb');
  await proxy.synced();
  const dump = proxy.dumpTable();
  assert.match(dump, new RegExp(`default/web:http TCP 10\\.96\\.7\\.7:80 type=NodePort nodePort=${NP.web}\\n  -> ${ips['web-0']!.replace(/\./g, '\\.')}:8080 node=knet-worker zone=- ready,serving\\n`));
  assert.doesNotMatch(dump, /default\/lb:/);
  assert.ok(!proxy.bound().some((b) => b.includes(LB_IP)));
  for (let i = 0; i < 4; i++) assert.equal((await exec('tools', ['curl', '-s', 'http://10.96.7.7/hostname'])).out, 'web-0');
});
