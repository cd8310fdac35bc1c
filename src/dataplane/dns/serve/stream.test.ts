import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { once } from 'node:events';
import type { DnsHandler } from '../handler.js';
import { serveStream, type StreamTimeouts } from './stream.js';

const frame = (msg: Buffer): Buffer => Buffer.concat([Buffer.from([msg.length >> 8, msg.length & 0xff]), msg]);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A handler answering each query with `answerBytes` bytes that start with the query (after `delayMs`, or from the cache). */
function fakeHandler(o: { answerBytes?: number; delayMs?: number; cached?: boolean } = {}) {
  const stats = { handled: 0, inFlight: 0, maxInFlight: 0 };
  const answer = (q: Buffer): Buffer => Buffer.concat([q, Buffer.alloc(Math.max(0, (o.answerBytes ?? 64) - q.length), 0x61)]);
  const handler: DnsHandler = {
    cached: (q) => { if (!o.cached) return undefined; stats.handled++; return answer(q); },
    handle: async (q) => {
      stats.handled++;
      stats.maxInFlight = Math.max(stats.maxInFlight, ++stats.inFlight);
      await sleep(o.delayMs ?? 0);
      stats.inFlight--;
      return answer(q);
    },
    synced: () => true,
  };
  return { handler, stats };
}

/** A loopback server serving streams with the given handler and timeouts; `sockets` are its accepted ends. */
async function server(handler: DnsHandler, t: StreamTimeouts) {
  const sockets: net.Socket[] = [];
  const srv = net.createServer({ allowHalfOpen: true }, (s) => { sockets.push(s); serveStream(s, handler, 'test', t); });
  srv.listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const port = (srv.address() as net.AddressInfo).port;
  const connect = async (): Promise<net.Socket> => {
    const c = net.connect({ port, host: '127.0.0.1', allowHalfOpen: true });
    c.on('error', () => undefined);
    await once(c, 'connect');
    return c;
  };
  return { sockets, connect, close: () => { for (const s of sockets) s.destroy(); srv.close(); } };
}

/** Reads `n` answers from a connection (which stays open). */
function answers(c: net.Socket, n: number): Promise<Buffer[]> {
  return new Promise((resolve, reject) => {
    const out: Buffer[] = [];
    let buf = Buffer.alloc(0);
    const onData = (d: Buffer): void => {
      buf = Buffer.concat([buf, d]);
      while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        out.push(buf.subarray(2, 2 + buf.readUInt16BE(0)));
        buf = buf.subarray(2 + buf.readUInt16BE(0));
      }
      if (out.length >= n) { c.off('data', onData); c.pause(); resolve(out); }
    };
    c.on('data', onData);
    c.once('close', () => reject(new Error(`closed after ${out.length} of ${n} answers`)));
  });
}

test('a client pipelining queries without reading stops being read (answers are not buffered), others are answered, and the write timeout closes it', async () => {
  const { handler, stats } = fakeHandler({ answerBytes: 4000, cached: true });
  const s = await server(handler, { readMs: 5000, idleMs: 5000, writeMs: 1500 });
  try {
    const hog = await s.connect();
    hog.pause();
    const q = frame(Buffer.alloc(40, 1));
    let sent = 0;
    // Write for as long as the socket takes queries; once the server stops reading, writes stop draining.
    const deadline = Date.now() + 400;
    while (Date.now() < deadline) {
      if (hog.write(q)) { sent++; continue; }
      sent++;
      const drained = await Promise.race([once(hog, 'drain').then(() => true, () => false), sleep(150).then(() => false)]);
      if (!drained) break;
    }
    await sleep(100);
    const handled = stats.handled;
    const served = s.sockets[0]!;
    assert.ok(served.writableLength <= served.writableHighWaterMark + 4002, `answers waiting in memory: ${served.writableLength} bytes`);
    assert.ok(handled < sent, `${handled} of ${sent} queries were read`);
    await sleep(100);
    assert.equal(stats.handled, handled, 'nothing more is read while the client does not read');
    const other = await s.connect();
    other.write(frame(Buffer.from('other')));
    const [a] = await answers(other, 1);
    assert.equal(a!.subarray(0, 5).toString(), 'other');
    other.destroy();
    // The client does not read, so it may not notice; the server's end is what must be gone.
    const closed = new Promise((r) => { if (served.destroyed) r(undefined); else served.once('close', r); });
    await Promise.race([closed, sleep(4000).then(() => assert.fail('the stalled client was not closed after the write timeout'))]);
    hog.destroy();
  } finally { s.close(); }
});

test('one query in flight per connection, as CoreDNS: pipelined queries are answered in order', async () => {
  const { handler, stats } = fakeHandler({ delayMs: 20 });
  const s = await server(handler, { readMs: 5000, idleMs: 5000, writeMs: 5000 });
  try {
    const c = await s.connect();
    c.write(Buffer.concat([1, 2, 3, 4, 5].map((i) => frame(Buffer.from(`q${i}`)))));
    const got = await answers(c, 5);
    assert.deepEqual(got.map((a) => a.subarray(0, 2).toString()), ['q1', 'q2', 'q3', 'q4', 'q5']);
    assert.equal(stats.maxInFlight, 1);
    c.destroy();
  } finally { s.close(); }
});

test('the idle timeout counts from the last answer written: bytes of an unfinished query do not extend it', async () => {
  const { handler } = fakeHandler();
  const s = await server(handler, { readMs: 5000, idleMs: 400, writeMs: 5000 });
  try {
    const c = await s.connect();
    c.write(frame(Buffer.from('hello')));
    await answers(c, 1);
    const t0 = Date.now();
    const closed = once(c, 'end');
    c.resume();
    const drip = setInterval(() => { if (!c.destroyed) c.write(Buffer.from([0xff])); }, 100);
    try {
      await Promise.race([closed, sleep(2000).then(() => assert.fail('not closed'))]);
    } finally { clearInterval(drip); }
    const after = Date.now() - t0;
    assert.ok(after >= 350 && after < 1200, `closed ${after} ms after the answer`);
    c.destroy();
  } finally { s.close(); }
});

test('a connection that sends no query is closed after the read timeout', async () => {
  const { handler } = fakeHandler();
  const s = await server(handler, { readMs: 300, idleMs: 5000, writeMs: 5000 });
  try {
    const c = await s.connect();
    const t0 = Date.now();
    c.resume();
    await Promise.race([once(c, 'end'), sleep(2000).then(() => assert.fail('not closed'))]);
    assert.ok(Date.now() - t0 >= 250);
    c.destroy();
  } finally { s.close(); }
});

test('a client that half-closes after pipelining gets every answer, then the end', async () => {
  const { handler } = fakeHandler({ delayMs: 5 });
  const s = await server(handler, { readMs: 5000, idleMs: 5000, writeMs: 5000 });
  try {
    const c = await s.connect();
    c.end(Buffer.concat([frame(Buffer.from('a1')), frame(Buffer.from('a2')), frame(Buffer.from('a3'))]));
    const chunks: Buffer[] = [];
    for await (const d of c) chunks.push(d as Buffer);
    const all = Buffer.concat(chunks);
    const got: string[] = [];
    for (let off = 0; off < all.length; off += 2 + all.readUInt16BE(off)) got.push(all.subarray(off + 2, off + 4).toString());
    assert.deepEqual(got, ['a1', 'a2', 'a3']);
  } finally { s.close(); }
});
