/** DNS over a TCP stream (RFC 1035 §4.2.2 / RFC 7766): length-prefixed messages, pipelined, idle timeout. */
import type { Duplex } from 'node:stream';
import type { DnsHandler } from '../handler.js';

/** How long an idle TCP connection stays open. */
export const TCP_IDLE_MS = 10_000;

/** Serves length-prefixed DNS messages on a stream until it ends or idles. */
export function serveStream(s: Duplex, handler: DnsHandler, client?: string): void {
  let buf: Buffer = Buffer.alloc(0);
  let idle = setTimeout(() => s.destroy(), TCP_IDLE_MS);
  const write = (reply: Buffer | undefined): void => {
    if (!reply || s.destroyed || !s.writable) return;
    const len = Buffer.alloc(2);
    len.writeUInt16BE(reply.length);
    s.write(Buffer.concat([len, reply]));
  };
  s.on('data', (d: Buffer) => {
    clearTimeout(idle);
    idle = setTimeout(() => s.destroy(), TCP_IDLE_MS);
    buf = buf.length ? Buffer.concat([buf, d]) : d;
    while (buf.length >= 2) {
      const n = buf.readUInt16BE(0);
      if (buf.length < 2 + n) break;
      const msg = buf.subarray(2, 2 + n);
      buf = buf.subarray(2 + n);
      const hit = handler.cached(msg, 'tcp');
      if (hit) write(hit);
      else void handler.handle(msg, 'tcp', client).then(write);
    }
  });
  s.on('end', () => s.end());
  s.on('error', () => undefined);
  s.on('close', () => clearTimeout(idle));
}
