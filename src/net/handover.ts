/**
 * Hand-over of real host sockets: a host-port, NodePort or load-balancer bridge offers the client's
 * socket with its connect (`ConnectOptions.adopt`); a listener that takes host sockets gets that
 * socket itself, addressed as the flow delivered it, so Node's HTTP and TLS code read it natively.
 */
import type { Stack, TcpAccept } from './stack.js';
import type { Addr, Conn, HostSocket } from './types.js';

/** Gives a real host socket to a listener that takes them, addressed as the flow delivered it (local = destination, remote = source). */
export function handOver(sock: HostSocket, target: Stack, local: Addr, remote: Addr, accept: TcpAccept, release: () => void): Conn {
  const conn = sock as HostSocket & { local: Addr; remote: Addr };
  const props: Record<string, unknown> = {
    local, remote, localAddress: local.ip, localPort: local.port, remoteAddress: remote.ip, remotePort: remote.port, remoteFamily: remote.ip.includes(':') ? 'IPv6' : 'IPv4',
  };
  for (const [k, value] of Object.entries(props)) Object.defineProperty(conn, k, { value, configurable: true, enumerable: false });
  target.track(conn, release);
  try {
    accept(conn);
  } catch (e) {
    conn.destroy();
    throw e;
  }
  return conn;
}

