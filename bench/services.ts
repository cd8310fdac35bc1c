/**
 * Service proxy benchmark: network programming latency (a Service created, an endpoint turning
 * ready → the first connection through the ClusterIP succeeds) with 10,000 Services existing,
 * then TCP throughput and connections/s through a ClusterIP and a NodePort compared with a direct
 * loopback connection and with haproxy doing the same job (skipped when haproxy is not installed).
 * Run with `node dist/bench/services.js [services=10000] [seconds-per-measure=1]`.
 */
import net from 'node:net';
import { once } from 'node:events';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { Cluster } from '../src/cluster.js';
import type { Client } from '../src/client/client.js';
import type { NetStack } from '../src/net/types.js';
import type { ServiceProxy } from '../src/dataplane/proxy/index.js';
import { firstDnsAnswer } from './dns-probe.js';
import { connectionRate } from './rates.js';
import { createService, SERVER_IP, SLICES, vip } from './service-fixtures.js';

const TOTAL = Number(process.argv[2] ?? '10000');
const seconds = Number(process.argv[3] ?? '1');
const SAMPLES = 200;
/** Pause between creating the Services and the first latency sample. */
const SETTLE_MS = 1000;
const CHUNK = Buffer.alloc(64 * 1024, 1);
const pct = (xs: number[], p: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))] ?? NaN;

/** Milliseconds until a connection to `ip:80` succeeds, polling on every turn of the event loop. */
async function firstConnection(client: NetStack, ip: string, t0: number): Promise<number> {
  for (;;) {
    try {
      const c = await client.connect({ ip, port: 80 }, { timeoutMs: 0 });
      c.destroy();
      return performance.now() - t0;
    } catch {
      await new Promise((r) => setImmediate(r));
    }
  }
}

async function latency(c: Client, client: NetStack, proxy: ServiceProxy, dnsPort: number): Promise<void> {
  let t = performance.now();
  for (let i = 0; i < TOTAL; i++) await createService(c, i, true);
  await proxy.synced();
  console.log(`created ${TOTAL} Services with EndpointSlices in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  // Steady state: the samples start after the cluster has digested the burst (controllers, informers, the garbage it left).
  await new Promise((r) => setTimeout(r, SETTLE_MS));
  const created: number[] = [];
  const readied: number[] = [];
  const answered: number[] = [];
  for (let s = 0; s < SAMPLES; s++) {
    const i = TOTAL + s;
    t = performance.now();
    await createService(c, i, s % 2 === 0);
    if (s % 2 === 0) {
      const [conn, dns] = await Promise.all([firstConnection(client, vip(i), t), firstDnsAnswer(dnsPort, `svc-${i}.default.svc.cluster.local`, vip(i), t)]);
      created.push(conn);
      answered.push(dns);
      continue;
    }
    await proxy.synced();
    const sl = c.get(SLICES, 'default', `svc-${i}-x`) as { endpoints: { conditions: { ready: boolean } }[] } & Parameters<Client['update']>[1];
    sl.endpoints[0]!.conditions.ready = true;
    t = performance.now();
    await c.update(SLICES, sl);
    readied.push(await firstConnection(client, vip(i), t));
  }
  for (const [what, xs] of [['Service created', created], ['endpoint turns ready', readied]] as const) {
    console.log(`${what.padEnd(22)} → first connection: p50 ${pct(xs, 0.5).toFixed(2)} ms  p99 ${pct(xs, 0.99).toFixed(2)} ms  (n=${xs.length}, ${TOTAL} Services)`);
  }
  console.log(`${'Service created'.padEnd(22)} → first DNS answer: p50 ${pct(answered, 0.5).toFixed(2)} ms  p99 ${pct(answered, 0.99).toFixed(2)} ms  (n=${answered.length}, host listener)`);
}

/** A way to reach the sink/echo server under test. */
interface Path { name: string; dial(): Promise<Duplex> }

async function realDial(port: number): Promise<Duplex> {
  const s = net.connect({ host: '127.0.0.1', port, allowHalfOpen: true });
  await once(s, 'connect');
  return s;
}

/** Serves `handler` both in the virtual server pod and on a real loopback port. */
function setHandler(h: (c: Duplex) => void): void { handler = h; }
let handler: (c: Duplex) => void = (c) => c.destroy();

async function throughput(p: Path): Promise<number> {
  let received = 0;
  setHandler((c) => { c.on('error', () => undefined); c.on('data', (d: Buffer) => (received += d.length)); });
  const c = await p.dial();
  c.on('error', () => undefined);
  const t0 = performance.now();
  while (performance.now() < t0 + seconds * 1000) if (!c.write(CHUNK)) await once(c, 'drain');
  const rate = received / ((performance.now() - t0) / 1000);
  c.destroy();
  return rate;
}

async function connections(p: Path): Promise<number> {
  setHandler((c) => { c.on('error', () => undefined); c.end('ok'); c.resume(); });
  return connectionRate(() => p.dial(), seconds);
}

async function startHaproxy(backend: number): Promise<{ port: number; stop(): void } | undefined> {
  if (spawnSync('haproxy', ['-v']).error) return undefined;
  const port = 20000 + Math.floor(Math.random() * 10000);
  const dir = mkdtempSync(join(tmpdir(), 'knet-haproxy-'));
  const cfg = join(dir, 'haproxy.cfg');
  writeFileSync(cfg, `global\n  maxconn 4000\ndefaults\n  mode tcp\n  timeout connect 5s\n  timeout client 30s\n  timeout server 30s\n`
    + `frontend f\n  bind 127.0.0.1:${port}\n  default_backend b\nbackend b\n  server s1 127.0.0.1:${backend}\n`);
  const proc = spawn('haproxy', ['-f', cfg, '-db'], { stdio: 'ignore' });
  const stop = (): void => { proc.kill(); rmSync(dir, { recursive: true, force: true }); };
  for (let i = 0; i < 100; i++) {
    try { (await realDial(port)).destroy(); return { port, stop }; } catch { await new Promise((r) => setTimeout(r, 50)); }
  }
  stop();
  return undefined;
}

async function dataPath(client: NetStack, nodePort: number): Promise<void> {
  const real = net.createServer({ allowHalfOpen: true }, (s) => handler(s));
  real.listen(0, '127.0.0.1');
  await once(real, 'listening');
  const realPort = (real.address() as net.AddressInfo).port;
  const haproxy = await startHaproxy(realPort);
  const paths: Path[] = [
    { name: 'loopback direct', dial: () => realDial(realPort) },
    { name: 'pod → pod IP', dial: () => client.connect({ ip: SERVER_IP, port: 8080 }) },
    { name: 'pod → ClusterIP', dial: () => client.connect({ ip: vip(0), port: 80 }) },
    { name: 'host → NodePort', dial: () => realDial(nodePort) },
    ...(haproxy ? [{ name: 'host → haproxy', dial: () => realDial(haproxy.port) }] : []),
  ];
  if (!haproxy) console.log('haproxy: not installed, skipped (Debian package `haproxy`)');
  const results = new Map<string, [number, number]>();
  for (const p of paths) results.set(p.name, [await throughput(p), await connections(p)]);
  const [directBytes, directConns] = results.get('loopback direct')!;
  console.log(`${'path'.padEnd(18)}${'MiB/s'.padStart(10)}${'×direct'.padStart(9)}${'conn/s'.padStart(10)}${'×direct'.padStart(9)}`);
  for (const [name, [b, c]] of results) {
    console.log(`${name.padEnd(18)}${(b / 1048576).toFixed(0).padStart(10)}${(b / directBytes).toFixed(2).padStart(9)}${c.toFixed(0).padStart(10)}${(c / directConns).toFixed(2).padStart(9)}`);
  }
  haproxy?.stop();
  real.close();
}

async function main(): Promise<void> {
  const cluster = await Cluster.start({ ephemeral: true, apiPort: 0, nodes: 2 });
  const c = cluster.client('bench');
  const proxy = cluster.proxy!; // the cluster's own service proxy
  const server = cluster.network.addStack([SERVER_IP], { kind: 'pod', namespace: 'default', name: 'server', nodeName: 'knet-worker' });
  server.listen(8080, (conn) => handler(conn));
  const client = cluster.network.addStack(['10.244.200.3'], { kind: 'pod', namespace: 'default', name: 'client', nodeName: 'knet-control-plane' });
  const deadline = setTimeout(() => { console.error('bench: time limit reached'); process.exit(1); }, 300_000);
  try {
    const nodePort = 30000 + Math.floor(Math.random() * 2700);
    await createService(c, 60_000, true, 'NodePort', nodePort);
    await latency(c, client, proxy, cluster.dnsPort);
    await dataPath(client, nodePort);
  } finally {
    clearTimeout(deadline);
    await cluster.stop();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
