/**
 * TLS over a virtual connection. Node's TLS socket over a JavaScript stream (its JSStreamSocket)
 * destroys that stream when it closes, but not always: under load a server's TLS socket was seen
 * closed while the connection under it stayed open, and the client waited for ever.
 */
import type { Duplex } from 'node:stream';

/** Destroys `conn` once the TLS socket over it has closed, as closing a TLS socket closes its TCP connection. */
export function closeWithTls(t: Duplex, conn: Duplex): void {
  t.once('close', () => { if (!conn.destroyed) conn.destroy(); });
}
