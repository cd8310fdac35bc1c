/** Serving DNS inside the cluster: UDP and TCP on a port of a pod's virtual network stack. */
import type { NetStack } from '../../../net/types.js';
import type { DnsHandler, QueryContext } from '../handler.js';
import { serveStream } from './stream.js';
import { headerReply } from '../wire.js';

/**
 * Serves a handler (looked up per query, so it can be swapped or absent: then SERVFAIL) on a stack;
 * `via` tells the chain where the query came in (log sink, stack). Throws NetError when the port is taken.
 */
export function serveOnStack(stack: NetStack, getHandler: () => DnsHandler | undefined, port = 53, via?: QueryContext): { close(): void } {
  const fallback = (q: Buffer): Buffer | undefined => (q.length >= 12 && !(q.readUInt16BE(2) & 0x8000) ? headerReply(q, 'SERVFAIL') : undefined);
  const udp = stack.listenUdp(port, (data, from, reply) => {
    const h = getHandler();
    if (!h) { const r = fallback(data); if (r) reply(r); return; }
    const hit = h.cached(data, 'udp');
    if (hit) { reply(hit); return; }
    void h.handle(data, 'udp', `${from.ip}:${from.port}`, via).then((r) => { if (r) reply(r); });
  });
  let tcp;
  try {
    tcp = stack.listen(port, (conn) => {
      const h = getHandler();
      serveStream(conn, h ?? { handle: async (q) => fallback(q), cached: () => undefined, synced: () => false }, `${conn.remote.ip}:${conn.remote.port}`, undefined, via);
    });
  } catch (e) {
    udp.close();
    throw e;
  }
  const t = tcp;
  return { close: () => { udp.close(); t.close(); } };
}
