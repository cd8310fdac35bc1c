/**
 * New-flow cost: microseconds per new virtual TCP connection (dial, accept, close), one at a time,
 * pod → pod IP (no translation) and pod → ClusterIP (service proxy picks an endpoint), in an
 * in-process cluster with `services` Services, against a real loopback connection in the same run.
 * Run with `node dist/bench/flow.js [connections=20000] [services=1000]`.
 */
import net from 'node:net';
import { once } from 'node:events';
import type { Duplex } from 'node:stream';
import { Cluster } from '../src/cluster.js';
import { createService, SERVER_IP, vip } from './service-fixtures.js';

const COUNT = Number(process.argv[2] ?? '20000');
const SERVICES = Number(process.argv[3] ?? '1000');

/** Mean µs per connection over `n` sequential dial + close cycles (after a warm-up of n/10), one event-loop turn each. */
async function perConnection(dial: () => Promise<Duplex>, n: number): Promise<number> {
  const once1 = async (): Promise<void> => {
    const c = await dial();
    c.on('error', () => undefined);
    c.destroy();
    await new Promise((r) => setImmediate(r)); // lets the close events run (they are queued behind promise jobs)
  };
  for (let i = 0; i < n / 10; i++) await once1();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await once1();
  return ((performance.now() - t0) * 1000) / n;
}

async function main(): Promise<void> {
  const cluster = await Cluster.start({ ephemeral: true, apiPort: 0, nodes: 2 });
  const deadline = setTimeout(() => { console.error('bench: time limit reached'); process.exit(1); }, 300_000);
  const real = net.createServer((s) => s.destroy());
  try {
    const c = cluster.client('bench');
    const server = cluster.network.addStack([SERVER_IP], { kind: 'pod', namespace: 'default', name: 'server', nodeName: 'knet-worker' });
    server.listen(8080, (conn) => { conn.on('error', () => undefined); conn.destroy(); });
    const client = cluster.network.addStack(['10.244.200.3'], { kind: 'pod', namespace: 'default', name: 'client', nodeName: 'knet-control-plane' });
    for (let i = 0; i < SERVICES; i++) await createService(c, i);
    await cluster.proxy!.synced();
    real.listen(0, '127.0.0.1');
    await once(real, 'listening');
    const port = (real.address() as net.AddressInfo).port;
    const rows: [string, number][] = [
      ['loopback 127.0.0.1 (real socket)', await perConnection(async () => { const s = net.connect({ host: '127.0.0.1', port }); await once(s, 'connect'); return s; }, Math.min(COUNT, 5000))],
      ['pod → pod IP', await perConnection(() => client.connect({ ip: SERVER_IP, port: 8080 }), COUNT)],
      ['pod → ClusterIP', await perConnection(() => client.connect({ ip: vip(SERVICES >> 1), port: 80 }), COUNT)],
    ];
    const base = rows[0]![1];
    console.log(`new-flow cost, ${COUNT} sequential connections, ${SERVICES} Services`);
    for (const [name, us] of rows) console.log(`${name.padEnd(34)}${us.toFixed(2).padStart(9)} µs  ${(us / base).toFixed(2).padStart(6)}× loopback`);
  } finally {
    clearTimeout(deadline);
    real.close();
    await cluster.stop();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
