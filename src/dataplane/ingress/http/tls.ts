/**
 * The HTTPS listener's TLS: a server-side TLSSocket per virtual connection, the certificate chosen
 * per handshake by SNI from the live route table (exact host, then one-label wildcard, else the
 * default fake certificate; no SNI → default; ingress-notes §3), TLSv1.2+, ALPN h2/http1.1.
 */
import tls from 'node:tls';
import type { Socket } from 'node:net';
import type { RouteSource } from '../model.js';
import { serverFor } from '../match.js';
import type { Conn } from '../../../net/types.js';
import { closeWithTls } from '../../../net/tls.js';

/** Starts TLS on an accepted connection; `onSecure` gets the socket once the handshake is done. */
export function acceptTls(conn: Conn, routes: RouteSource, handshakeTimeoutMs: number, onSecure: (t: tls.TLSSocket) => void): void {
  const table = routes.current();
  const t = new tls.TLSSocket(conn as unknown as Socket, {
    isServer: true,
    secureContext: table.defaultCertificate.context,
    SNICallback: (name, cb) => {
      const current = routes.current();
      cb(null, (serverFor(current, name).certificate ?? current.defaultCertificate).context);
    },
    ALPNProtocols: table.global.useHttp2 ? ['h2', 'http/1.1'] : ['http/1.1'],
  } as tls.TLSSocketOptions);
  // The client's address as a net.Socket would report it (the virtual connection's).
  for (const [k, v] of [['remoteAddress', conn.remote.ip], ['remotePort', conn.remote.port], ['localAddress', conn.local.ip], ['localPort', conn.local.port], ['remoteFamily', 'IPv4']] as const) {
    Object.defineProperty(t, k, { value: v, configurable: true });
  }
  const timer = setTimeout(() => t.destroy(), handshakeTimeoutMs);
  timer.unref();
  t.on('error', () => t.destroy());
  t.once('close', () => clearTimeout(timer));
  closeWithTls(t, conn);
  t.once('secure', () => {
    clearTimeout(timer);
    // What tls.Server does before 'secureConnection' (http2 waits for secureConnecting to clear).
    (t as { secureConnecting?: boolean }).secureConnecting = false;
    onSecure(t);
  });
}
