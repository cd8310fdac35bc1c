/** port-forward over SPDY: per connection an `error` and a `data` stream sharing a `requestid`. */
import type { Duplex } from 'node:stream';
import type { PodStreamBackend } from './backend.js';
import type { SpdySession, SpdyStream } from './spdy-session.js';

/** The port-forward protocol named in X-Stream-Protocol-Version. */
export const PORT_FORWARD_PROTOCOL = 'portforward.k8s.io';
/** The WebSocket subprotocol carrying SPDY for port-forward (kubectl ≥1.31). */
export const PORT_FORWARD_WS_PROTOCOL = 'SPDY/3.1+portforward.k8s.io';

interface Pair { error?: SpdyStream; data?: SpdyStream }

function fail(p: Pair, message: string): void {
  if (p.error && !p.error.writableEnded) p.error.end(Buffer.from(message));
  if (p.data && !p.data.destroyed) p.data.end();
}

function connect(p: Pair, data: SpdyStream, conn: Duplex): void {
  conn.on('error', () => { if (!data.destroyed) data.reset(); });
  data.on('error', () => conn.destroy());
  data.on('close', () => conn.destroy());
  conn.on('close', () => { if (!data.writableEnded && !data.destroyed) data.end(); });
  data.pipe(conn);
  conn.pipe(data);
  if (p.error && !p.error.writableEnded) p.error.end();
}

/** Serves port-forward streams of one connection for pod ns/name. */
export function servePortForward(spdy: SpdySession, backend: PodStreamBackend, ns: string, pod: string): void {
  const pairs = new Map<string, Pair>();
  spdy.on('stream', (st: SpdyStream) => {
    const id = st.headers['requestid'] ?? '';
    const type = st.headers['streamtype'] ?? '';
    const p = pairs.get(id) ?? {};
    pairs.set(id, p);
    st.on('error', () => undefined);
    st.on('close', () => { if ((p.error?.destroyed ?? true) && (p.data?.destroyed ?? true)) pairs.delete(id); });
    if (type === 'error') { p.error = st; st.resume(); return; }
    if (type !== 'data') { st.reset(); return; }
    p.data = st;
    st.pause();
    const portText = st.headers['port'] ?? '';
    const port = Number(portText);
    if (!/^\d+$/.test(portText) || port < 1 || port > 65535) {
      setImmediate(() => fail(p, `error parsing port "${portText}": invalid port`));
      return;
    }
    backend.portForward(ns, pod, port).then(
      (conn) => { if (st.destroyed) conn.destroy(); else connect(p, st, conn); },
      (e: unknown) => fail(p, e instanceof Error ? e.message : String(e)),
    );
  });
}
