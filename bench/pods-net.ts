/**
 * Pod-to-pod HTTP over knet's virtual network, in-process (`Cluster.start`), against the same Node
 * HTTP server on a real 127.0.0.1 socket in the same run: requests/s and MiB/s.
 */
import http from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { Cluster } from '../src/cluster.js';
import type { NetStack } from '../src/net/types.js';

/** One measured row: label, virtual result, loopback result (NaN when there is none), unit. */
export type NetRow = [string, number, number, string];

const BIG = Buffer.alloc(1024 * 1024, 7);
const sleep = (t: number) => new Promise((r) => setTimeout(r, t));

/** A keep-alive agent whose connections are virtual ones opened from a pod's stack. */
class StackAgent extends http.Agent {
  constructor(private readonly stack: NetStack) { super({ keepAlive: true, maxSockets: 64 }); }
  override createConnection(opts: { host?: string | null; port?: number | null }, cb: (err: Error | null, s: Duplex) => void): Duplex | undefined {
    this.stack.connect({ ip: opts.host ?? '', port: Number(opts.port) }).then((c) => cb(null, c), (e: Error) => cb(e, undefined as unknown as Duplex));
    return undefined;
  }
}

/** Gets a path until the deadline with `parallel` requests in flight; returns requests and body bytes. */
async function drive(agent: http.Agent, host: string, port: number, path: string, parallel: number, seconds: number): Promise<{ rps: number; bps: number }> {
  let n = 0;
  let bytes = 0;
  const t0 = performance.now();
  const until = t0 + seconds * 1000;
  const worker = async (): Promise<void> => {
    while (performance.now() < until) {
      await new Promise<void>((ok, fail) => {
        const req = http.get({ host, port, path, agent }, (res) => {
          res.on('data', (d: Buffer) => (bytes += d.length));
          res.on('end', () => { n++; ok(); });
          res.on('error', fail);
        });
        req.on('error', fail);
      });
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  const s = (performance.now() - t0) / 1000;
  return { rps: n / s, bps: bytes / s };
}

function handler(req: http.IncomingMessage, res: http.ServerResponse): void {
  if (req.url === '/big') { res.writeHead(200, { 'Content-Length': BIG.length }); res.end(BIG); return; }
  res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': 2 }).end('ok');
}

/** Stops the cluster, counting (not printing) the agent's status writes that fail because the store closed. */
async function quietStop(cluster: Cluster): Promise<number> {
  const orig = console.error;
  let n = 0;
  console.error = (...a: unknown[]) => { if (String(a[1] ?? '').includes('store is closed')) n++; else orig(...a); };
  try {
    await cluster.stop();
    await sleep(200);
  } finally {
    console.error = orig;
  }
  return n;
}

async function waitRunning(cluster: Cluster, names: string[]): Promise<void> {
  const until = performance.now() + 20_000;
  for (;;) {
    const ok = names.every((n) => {
      const w = cluster.agent.worker('default', n);
      return !!w?.stack && w.main.every((r) => 'running' in r.state);
    });
    if (ok) return;
    if (performance.now() > until) throw new Error(`pods ${names.join(', ')} did not start in 20 s`);
    await sleep(20);
  }
}

/** Runs the in-process measurements, `seconds` per figure. */
export async function podNetwork(seconds: number): Promise<{ rows: NetRow[]; note: string; closedWrites: number }> {
  const rows: NetRow[] = [];
  let note = '';
  let closedWrites = 0;
  const cluster = await Cluster.start({ ephemeral: true, apiPort: 0, nodes: 2 });
  const loop = http.createServer({ keepAliveTimeout: 60_000 }, handler);
  const virt = http.createServer({ keepAliveTimeout: 60_000 }, handler);
  try {
    const c = cluster.client('bench');
    const pod = (name: string, node: string, image: string, command?: string[]) => c.create({ resource: 'pods' }, {
      metadata: { name, namespace: 'default' },
      spec: { nodeName: node, containers: [{ name: 'c', image, ...(command ? { command } : {}) }] },
    });
    await pod('server', 'knet-control-plane', 'nginx');
    await pod('client', 'knet-worker', 'busybox', ['sleep', '3600']);
    await waitRunning(cluster, ['server', 'client']);
    const server = cluster.agent.worker('default', 'server')!;
    const client = cluster.agent.worker('default', 'client')!;
    const serverIP = server.stack!.ips[0]!;
    virt.on('error', () => undefined);
    const l = server.stack!.listen(8080, (conn) => virt.emit('connection', conn));
    loop.listen(0, '127.0.0.1');
    await once(loop, 'listening');
    const loopPort = (loop.address() as AddressInfo).port;

    const both = async (label: string, path: string, parallel: number, unit: 'req/s' | 'MiB/s') => {
      const va = new StackAgent(client.stack!);
      const la = new http.Agent({ keepAlive: true, maxSockets: 64 });
      const v = await drive(va, serverIP, 8080, path, parallel, seconds);
      const r = await drive(la, '127.0.0.1', loopPort, path, parallel, seconds);
      va.destroy();
      la.destroy();
      rows.push(unit === 'req/s' ? [label, v.rps, r.rps, unit] : [label, v.bps / 1048576, r.bps / 1048576, unit]);
    };
    await both('HTTP GET 2-byte body, 1 connection', '/', 1, 'req/s');
    await both('HTTP GET 2-byte body, 16 connections', '/', 16, 'req/s');
    await both('HTTP GET 1 MiB body, 1 connection', '/big', 1, 'MiB/s');
    await both('HTTP GET 1 MiB body, 4 connections', '/big', 4, 'MiB/s');
    for (const parallel of [1, 16]) {
      const na = new StackAgent(client.stack!);
      const ng = await drive(na, serverIP, 80, '/', parallel, seconds);
      na.destroy();
      rows.push([`built-in nginx image, GET / (welcome page), ${parallel} connection${parallel > 1 ? 's' : ''}`, ng.rps, NaN, 'req/s']);
    }
    l.close();
    note = `virtual: busybox pod ${client.stack!.ips[0]} on knet-worker → pod ${serverIP} on knet-control-plane (Node http server on the pod's stack, or the nginx image); loopback: same Node http server on 127.0.0.1; keep-alive agents; ${seconds} s per figure`;
  } finally {
    loop.close();
    virt.close();
    closedWrites = await quietStop(cluster);
  }
  return { rows, note, closedWrites };
}
