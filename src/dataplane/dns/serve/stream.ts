/**
 * DNS over a TCP stream (RFC 1035 §4.2.2 / RFC 7766): length-prefixed messages, served as CoreDNS's
 * server (miekg/dns serveTCPConn) serves them: one query at a time per connection, the next read
 * only once the previous answer is written, so a client that pipelines queries without reading
 * its answers stops being read (TCP backpressure) instead of buffering answers; a read timeout for
 * the first query, an idle timeout counted from the last answer written, and a write timeout
 * while the client does not read (CoreDNS core/dnsserver/server.go: 3 s, 10 s, 5 s).
 */
import type { Duplex } from 'node:stream';
import type { DnsHandler, QueryContext } from '../handler.js';

/** How long a new connection may take to send its first query (CoreDNS's readTimeout). */
export const TCP_READ_TIMEOUT_MS = 3000;
/** How long a connection stays open after its last answer was written (CoreDNS's idleTimeout). */
export const TCP_IDLE_MS = 10_000;
/** How long an answer may wait for the client to read (CoreDNS's writeTimeout). */
export const TCP_WRITE_TIMEOUT_MS = 5000;

/** The timeouts of one stream (ms). */
export interface StreamTimeouts { readMs: number; idleMs: number; writeMs: number }

const DEFAULT_TIMEOUTS: StreamTimeouts = { readMs: TCP_READ_TIMEOUT_MS, idleMs: TCP_IDLE_MS, writeMs: TCP_WRITE_TIMEOUT_MS };

function frame(reply: Buffer): Buffer {
  const len = Buffer.alloc(2);
  len.writeUInt16BE(reply.length);
  return Buffer.concat([len, reply]);
}

/** Serves length-prefixed DNS messages on a stream until it ends, times out or fails. */
export function serveStream(s: Duplex, handler: DnsHandler, client?: string, timeouts: StreamTimeouts = DEFAULT_TIMEOUTS, via?: QueryContext): void {
  let buf: Buffer = Buffer.alloc(0);
  /** A query is being answered, or its answer waits for the client to read. */
  let busy = false;
  let ended = false;
  let timer: NodeJS.Timeout | undefined;
  const arm = (ms: number): void => {
    clearTimeout(timer);
    timer = setTimeout(() => s.destroy(), ms);
    timer.unref();
  };

  const take = (): Buffer | undefined => {
    if (buf.length < 2) return undefined;
    const n = buf.readUInt16BE(0);
    if (buf.length < 2 + n) return undefined;
    const msg = buf.subarray(2, 2 + n);
    buf = buf.subarray(2 + n);
    return msg;
  };

  /** Writes an answer; false when the client must read first (serving goes on at 'drain'). */
  const send = (reply: Buffer | undefined): boolean => {
    if (s.destroyed) return false;
    if (reply && s.writable && !s.write(frame(reply))) {
      busy = true;
      s.pause();
      arm(timeouts.writeMs);
      s.once('drain', () => { busy = false; arm(timeouts.idleMs); serve(); });
      return false;
    }
    arm(timeouts.idleMs);
    return true;
  };

  const serve = (): void => {
    while (!busy && !s.destroyed) {
      const msg = take();
      if (!msg) {
        if (ended) { clearTimeout(timer); if (s.writable) s.end(); } else s.resume();
        return;
      }
      clearTimeout(timer);
      const hit = handler.cached(msg, 'tcp');
      if (hit) { if (!send(hit)) return; continue; }
      busy = true;
      s.pause();
      const done = (r: Buffer | undefined): void => { busy = false; if (send(r)) serve(); };
      handler.handle(msg, 'tcp', client, via).then(done, () => done(undefined));
    }
  };

  s.on('data', (d: Buffer) => {
    buf = buf.length ? Buffer.concat([buf, d]) : d;
    if (busy) s.pause();
    else serve();
  });
  s.on('end', () => { ended = true; if (!busy) serve(); });
  s.on('error', () => undefined);
  s.on('close', () => clearTimeout(timer));
  arm(timeouts.readMs);
}
