/**
 * Virtual-network benchmark: pod-to-pod throughput, request/response round trips and connections
 * per second, each compared with a real loopback TCP connection (127.0.0.1) in the same run.
 * Run with `node dist/bench/net.js [seconds-per-measure]` (default 1.2 s, about 10 s in all).
 */
import net from 'node:net';
import { once } from 'node:events';
import { connectionRate } from './rates.js';
import type { Duplex } from 'node:stream';
import { createNetwork } from '../src/net/network.js';

/** A transport under test: a way to serve and to dial. */
interface Transport {
  name: string;
  serve(onConn: (c: Duplex) => void): Promise<() => void>;
  dial(): Promise<Duplex>;
}

const seconds = Number(process.argv[2] ?? '1.2');
const CHUNK = Buffer.alloc(64 * 1024, 1);

function virtual(): Transport {
  const network = createNetwork();
  const a = network.addStack(['10.244.1.2'], { kind: 'pod', name: 'client' });
  const b = network.addStack(['10.244.2.2'], { kind: 'pod', name: 'server' });
  let port = 8000;
  return {
    name: 'virtual',
    serve: async (onConn) => {
      const l = b.listen(++port, onConn);
      return () => l.close();
    },
    dial: () => a.connect({ ip: '10.244.2.2', port }),
  };
}

function loopback(): Transport {
  let port = 0;
  return {
    name: 'loopback',
    serve: async (onConn) => {
      const srv = net.createServer({ allowHalfOpen: true }, (s) => onConn(s));
      srv.listen(0, '127.0.0.1');
      await once(srv, 'listening');
      port = (srv.address() as net.AddressInfo).port;
      return () => srv.close();
    },
    dial: async () => {
      const s = net.connect({ host: '127.0.0.1', port, allowHalfOpen: true });
      await once(s, 'connect');
      return s;
    },
  };
}

/** Bytes per second from client to a sink server. */
async function throughput(t: Transport): Promise<number> {
  let received = 0;
  const stop = await t.serve((c) => {
    c.on('error', () => undefined);
    c.on('data', (d: Buffer) => (received += d.length));
  });
  const c = await t.dial();
  c.on('error', () => undefined);
  const t0 = performance.now();
  const until = t0 + seconds * 1000;
  while (performance.now() < until) if (!c.write(CHUNK)) await once(c, 'drain');
  const elapsed = (performance.now() - t0) / 1000;
  c.destroy();
  stop();
  return received / elapsed;
}

/** Request/response round trips per second over one connection. */
async function roundTrips(t: Transport): Promise<number> {
  const stop = await t.serve((c) => {
    c.on('error', () => undefined);
    c.on('data', (d: Buffer) => c.write(d));
  });
  const c = await t.dial();
  c.on('error', () => undefined);
  const msg = Buffer.alloc(100, 2);
  let n = 0;
  const t0 = performance.now();
  const until = t0 + seconds * 1000;
  while (performance.now() < until) {
    c.write(msg);
    let got = 0;
    while (got < msg.length) got += ((await once(c, 'data')) as [Buffer])[0].length;
    n++;
  }
  const rate = n / ((performance.now() - t0) / 1000);
  c.destroy();
  stop();
  return rate;
}

/** Short connections per second (connect, one response, close), 8 at a time. */
async function connections(t: Transport): Promise<number> {
  const stop = await t.serve((c) => {
    c.on('error', () => undefined);
    c.end('ok');
    c.resume();
  });
  const rate = await connectionRate(() => t.dial(), seconds);
  stop();
  return rate;
}

const fmt = (x: number, unit: string): string => (unit === 'MiB/s' ? (x / 1048576).toFixed(0) : x.toFixed(0)).padStart(10) + ' ' + unit;

async function main(): Promise<void> {
  const rows: Array<[string, (t: Transport) => Promise<number>, string]> = [
    ['throughput', throughput, 'MiB/s'],
    ['round trips', roundTrips, 'req/s'],
    ['connections', connections, 'conn/s'],
  ];
  console.log(`knet virtual network vs real loopback TCP (${seconds}s per measure)`);
  for (const [name, fn, unit] of rows) {
    const v = await fn(virtual());
    const l = await fn(loopback());
    console.log(`${name.padEnd(12)} virtual ${fmt(v, unit)}   loopback ${fmt(l, unit)}   ratio ${(v / l).toFixed(2)}x`);
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
