/**
 * The hostile local clients of issue 10 for `bench/faults`, each bounded in count and time and on
 * loopback only: idle connections to a NodePort, DNS over TCP pipelined without reading the answers,
 * watches that never read, a user's catastrophic regex in `grep -E`, and a flood of execs.
 */
import { connect, type Socket } from 'node:net';
import type { ClientRequest } from 'node:http';
import dnsPacket from 'dns-packet';
import { ApiClient } from './http.js';
import { ExecClient } from './pods-exec.js';

/** A running hostile client: stop() ends it and resolves with a note on what it did. */
export interface Hostile { stop(): Promise<string> }

const sleep = (t: number) => new Promise((r) => setTimeout(r, t));

/** Opens `count` TCP connections to host:port and sends nothing on them. */
export async function idleConnections(host: string, port: number, count: number): Promise<Hostile> {
  if (!host.startsWith('127.')) throw new Error(`refusing a non-loopback target ${host}`);
  const socks: Socket[] = [];
  let refused = 0;
  let closedByServer = 0;
  for (let i = 0; i < count; i++) {
    const s = connect({ host, port });
    s.on('error', () => { refused++; });
    s.on('close', () => { closedByServer++; });
    socks.push(s);
    if (i % 100 === 99) await sleep(5);
  }
  return {
    async stop() {
      const note = `${count} opened, ${refused} errors, ${closedByServer} closed by the server while idle`;
      for (const s of socks) s.destroy();
      return note;
    },
  };
}

/** `clients` TCP connections to the DNS port, each writing A queries back to back and never reading, up to `maxBytes` each. */
export function dnsPipelining(port: number, clients: number, maxBytes: number): Hostile {
  let stopped = false;
  let sent = 0;
  const query = dnsPacket.encode({ type: 'query', id: 1, flags: dnsPacket.RECURSION_DESIRED, questions: [{ type: 'A', name: 'kubernetes.default.svc.cluster.local' }] });
  const framed = Buffer.concat([Buffer.from([query.length >> 8, query.length & 255]), query]);
  const burst = Buffer.concat(Array.from({ length: 256 }, () => framed));
  const socks: Socket[] = [];
  const loops = Array.from({ length: clients }, async () => {
    const s = connect({ host: '127.0.0.1', port });
    socks.push(s);
    s.on('error', () => { stopped = true; });
    s.pause(); // never read an answer
    await new Promise((r) => s.once('connect', r));
    for (let bytes = 0; !stopped && bytes < maxBytes; bytes += burst.length) {
      sent += 256;
      if (!s.write(burst)) await Promise.race([new Promise((r) => s.once('drain', r)), sleep(250)]);
    }
  });
  return {
    async stop() {
      stopped = true;
      await Promise.race([Promise.all(loops), sleep(1000)]);
      for (const s of socks) s.destroy();
      return `${clients} connections, ${sent} queries written, answers never read`;
    },
  };
}

/** `watchers` watches of a namespace's ConfigMaps that never read, while `writes` ConfigMaps of 1 KiB are created there. */
export async function pausedWatches(api: ApiClient, ns: string, watchers: number, writes: number): Promise<Hostile> {
  const reqs: ClientRequest[] = [];
  await Promise.all(Array.from({ length: watchers }, () => new Promise<void>((ok) => {
    const req = api.open(`/api/v1/namespaces/${ns}/configmaps?watch=true`, (res) => { res.pause(); res.socket.pause(); ok(); });
    req.on('error', () => ok());
    reqs.push(req);
  })));
  let created = 0;
  let stopped = false;
  const writer = (async () => {
    for (let i = 0; i < writes && !stopped; i++) {
      const r = await api.request('POST', `/api/v1/namespaces/${ns}/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `pw-${i}` }, data: { pad: 'x'.repeat(1024) } });
      if (r.status === 201) created++;
    }
  })();
  return {
    async stop() {
      stopped = true;
      await writer;
      for (const r of reqs) r.destroy();
      return `${watchers} watches never read while ${created} ConfigMaps of 1 KiB were written`;
    },
  };
}

/** One exec of `grep -E "(a+)+$"` on `n` a's and a '!' (backtracking doubles per extra a). */
export function regexStall(ex: ExecClient, pod: string, n: number): Hostile {
  const t0 = performance.now();
  const run = ex.exec('default', pod, ['sh', '-c', `echo ${'a'.repeat(n)}! | grep -E "(a+)+$"`]).then((r) => `grep on ${n} a's answered in ${(r.ms / 1000).toFixed(2)} s (${r.status.status ?? '?'})`, (e: unknown) => `exec failed: ${String(e)}`);
  return {
    async stop() {
      const note = await Promise.race([run, sleep(60_000).then(() => 'no answer within 60 s')]);
      return `${note}; ${((performance.now() - t0) / 1000).toFixed(1)} s`;
    },
  };
}

/** `parallel` loops of `exec true` over WebSocket v5 until stopped or `max` execs. */
export function execFlood(ex: ExecClient, pod: string, parallel: number, max: number): Hostile {
  let stopped = false;
  let ok = 0;
  let failed = 0;
  let n = 0;
  const loops = Array.from({ length: parallel }, async () => {
    while (!stopped && n++ < max) {
      try {
        const r = await Promise.race([ex.exec('default', pod, ['true']), sleep(30_000).then(() => undefined)]);
        if (r?.status.status === 'Success') ok++; else failed++;
      } catch { failed++; }
    }
  });
  return {
    async stop() {
      stopped = true;
      await Promise.all(loops);
      return `${parallel} at a time: ${ok} execs, ${failed} failed`;
    },
  };
}
