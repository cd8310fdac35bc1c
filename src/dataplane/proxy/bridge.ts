/**
 * Carries host traffic into the virtual network: a TCP connection or UDP session accepted on a
 * real loopback socket is re-opened from the receiving node's stack for the outside client, to the
 * address it dialled; the flow pipeline picks the endpoint and keeps the client's address
 * (externalTrafficPolicy Local) or masquerades to the node's (Cluster).
 */
import net from 'node:net';
import dgram from 'node:dgram';
import { once } from 'node:events';
import type { Duplex } from 'node:stream';
import type { ConnectionGate } from '../../net/budget.js';
import type { Addr, NetError, NetStack, Network, UdpSocket } from '../../net/types.js';
import type { Bind, ProxyTable } from './table.js';

/** How long a host-side connection waits for a dropped virtual dial. */
export const BRIDGE_CONNECT_TIMEOUT_MS = 5000;
/** Idle time after which a host UDP session is forgotten. */
export const UDP_SESSION_IDLE_MS = 30_000;

/** Joins two duplex streams both ways, with half-close and reset propagation. */
export function splice(a: Duplex, b: Duplex): void {
  a.pipe(b);
  b.pipe(a);
  const kill = (x: Duplex) => (err?: Error): void => {
    const reset = (err as NodeJS.ErrnoException | undefined)?.code === 'ECONNRESET';
    const r = x as Duplex & { resetAndDestroy?: () => void };
    if (reset && r.resetAndDestroy) r.resetAndDestroy(); else x.destroy();
  };
  a.on('error', kill(b));
  b.on('error', kill(a));
  a.on('close', () => { if (!b.destroyed && !b.writableFinished) b.destroy(); });
  b.on('close', () => { if (!a.destroyed && !a.writableFinished) a.destroy(); });
}

/** Where a host socket's traffic enters the virtual network: the receiving node's stack and the address dialled there. */
export interface Entry { readonly stack: NetStack; readonly dst: Addr }

/** The entry of a host socket: its node (the control plane for 127.0.0.1 and load balancers); fixed while the socket lives, as the nodes are. */
export function entryFor(table: ProxyTable, network: Network, b: Bind): Entry | undefined {
  const first = table.nodes.values().next().value;
  const node = b.kind === 'nodePort' ? table.nodeByIp.get(b.ip) ?? first : first;
  const stack = node && network.stackFor(node.ip);
  if (!node || !stack) return undefined;
  return { stack, dst: b.kind === 'nodePort' ? { ip: node.ip, port: b.port } : { ip: b.ip, port: b.port } };
}

/** Handles one accepted host TCP connection (created with pauseOnConnect): the flow pipeline decides where it goes. */
export function carryTcp(entry: Entry, sock: net.Socket): void {
  sock.on('error', () => undefined);
  // Writes go out as they come, as haproxy and nginx proxy (TCP_NODELAY): with Nagle, a response
  // split in two writes waits for the client's delayed ACK (about 40 ms per request on keep-alive).
  sock.setNoDelay(true);
  const client = { ip: sock.remoteAddress ?? '127.0.0.1', port: sock.remotePort ?? 0 };
  // A pod listener that takes host sockets (the Ingress controller's) gets this socket itself: Node's
  // HTTP and TLS code then read it natively instead of through a virtual pair and a splice.
  entry.stack.connect(entry.dst, { timeoutMs: BRIDGE_CONNECT_TIMEOUT_MS, client, adopt: sock }).then((conn) => {
    if ((conn as unknown) === sock) { sock.resume(); return; }
    if (sock.destroyed) { conn.destroy(); return; }
    splice(sock, conn);
    sock.resume();
  }, (e: NetError) => {
    if (e.code === 'ECONNREFUSED') sock.resetAndDestroy(); else sock.destroy();
  });
}

interface UdpSession { vsock: UdpSocket; last: number }

/** Relays datagrams of a host UDP socket into the virtual network, one session (one conntracked flow) per client address. */
export class UdpRelay {
  private readonly sessions = new Map<string, UdpSession>();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly entry: Entry, private readonly sock: dgram.Socket) {
    sock.on('message', (msg, rinfo) => this.onMessage(msg, { ip: rinfo.address, port: rinfo.port }));
    this.timer = setInterval(() => this.sweep(), UDP_SESSION_IDLE_MS / 3);
    this.timer.unref();
  }

  private onMessage(msg: Buffer, client: Addr): void {
    const entry = this.entry;
    const key = `${client.ip}:${client.port}`;
    let s = this.sessions.get(key);
    if (!s) {
      const vsock = entry.stack.udp(0, { client });
      vsock.onMessage((data) => this.sock.send(data, client.port, client.ip));
      this.sessions.set(key, (s = { vsock, last: 0 }));
    }
    s.last = Date.now();
    try {
      s.vsock.send(msg, entry.dst);
    } catch {
      s.vsock.close();
      this.sessions.delete(key);
    }
  }

  private sweep(): void {
    const now = Date.now();
    for (const [k, s] of this.sessions) if (now - s.last > UDP_SESSION_IDLE_MS) { s.vsock.close(); this.sessions.delete(k); }
  }

  /** Closes every session. */
  close(): void {
    clearInterval(this.timer);
    for (const s of this.sessions.values()) s.vsock.close();
    this.sessions.clear();
  }
}

/**
 * A real host listener (TCP or UDP, exclusive) at ip:port whose traffic enters the virtual network
 * through `entry`; `started` settles when it is bound or refused, `close` never throws. With a
 * gate, TCP connections beyond its cap are closed as soon as they are accepted.
 */
export function listenHost(entry: Entry, protocol: string, ip: string, port: number, gate?: ConnectionGate): { close(): void; started: Promise<unknown> } {
  let close: () => void;
  let started: Promise<unknown>;
  if (protocol === 'TCP') {
    const srv = net.createServer({ allowHalfOpen: true, pauseOnConnect: true }, (s) => {
      if (gate && !gate.admit(s)) { s.on('error', () => undefined); s.destroy(); return; }
      carryTcp(entry, s);
    });
    srv.on('error', () => undefined);
    srv.listen({ host: ip, port, exclusive: true });
    close = () => srv.close();
    started = once(srv, 'listening');
  } else {
    const sock = dgram.createSocket({ type: 'udp4' });
    sock.on('error', () => undefined);
    const relay = new UdpRelay(entry, sock);
    sock.bind({ address: ip, port, exclusive: true });
    close = () => { relay.close(); sock.close(); };
    started = once(sock, 'listening');
  }
  return { close: () => { try { close(); } catch { /* already closed */ } }, started };
}
