/**
 * Carries host traffic into the virtual network: a TCP connection or UDP session accepted on a
 * real loopback socket is re-opened from the receiving node's stack to the chosen endpoint, with
 * the client's address kept (externalTrafficPolicy Local) or the node's (Cluster, SNAT).
 */
import net from 'node:net';
import type dgram from 'node:dgram';
import type { Duplex } from 'node:stream';
import type { Addr, Conn, Network, UdpSocket } from '../../net/types.js';
import { NetError } from '../../net/types.js';
import { nodePortKey, vipKey, type ServicePort } from './model.js';
import type { ExternalChoice, ServiceRouter } from './router.js';
import type { Bind } from './table.js';

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

/** The Service port a host socket serves under the current table. */
function target(router: ServiceRouter, b: Bind): ServicePort | undefined {
  const t = router.table;
  return b.kind === 'nodePort' ? t.nodePorts.get(nodePortKey(b.port, b.protocol)) : t.loadBalancers.get(vipKey(b.ip, b.port, b.protocol));
}

function choose(router: ServiceRouter, b: Bind, client: Addr): ExternalChoice | undefined {
  const sp = target(router, b);
  if (!sp) return undefined;
  const t = router.table;
  const node = b.kind === 'nodePort' ? t.nodeByIp.get(b.ip) ?? t.nodes.values().next().value : undefined;
  return router.external(sp, node, client, b.kind === 'loadBalancer');
}

/** Opens a virtual TCP connection for a host client, per the choice made. */
export function dialFor(router: ServiceRouter, network: Network, c: ExternalChoice & { ok: true }, client: Addr): Promise<Conn> {
  const stack = c.node && network.stackFor(c.node.ip);
  if (!stack || !c.node) return Promise.reject(new NetError('EHOSTUNREACH', 'no node stack'));
  const dst = { ip: c.endpoint.ip, port: c.endpoint.port };
  const dial = (): Promise<Conn> => stack.connect(dst, { timeoutMs: BRIDGE_CONNECT_TIMEOUT_MS });
  return c.keepSource ? router.forced(c.node.name, dst, { action: 'deliver', dst, srcRewrite: client, reason: 'externalTrafficPolicy: Local' }, dial) : dial();
}

/** Handles one accepted host TCP connection (created with pauseOnConnect). */
export function carryTcp(router: ServiceRouter, network: Network, b: Bind, sock: net.Socket): void {
  sock.on('error', () => undefined);
  const client = { ip: sock.remoteAddress ?? '127.0.0.1', port: sock.remotePort ?? 0 };
  const c = choose(router, b, client);
  if (!c?.ok) {
    if (c?.action === 'reject') sock.resetAndDestroy(); else sock.destroy();
    return;
  }
  dialFor(router, network, c, client).then((conn) => {
    if (sock.destroyed) { conn.destroy(); return; }
    splice(sock, conn);
    sock.resume();
  }, (e: NetError) => {
    if (e.code === 'ECONNREFUSED') sock.resetAndDestroy(); else sock.destroy();
  });
}

interface UdpSession { vsock: UdpSocket; last: number }

/** Relays datagrams of a host UDP socket into the virtual network, one session per client address. */
export class UdpRelay {
  private readonly sessions = new Map<string, UdpSession>();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly router: ServiceRouter, private readonly network: Network, private readonly b: Bind, private readonly sock: dgram.Socket) {
    sock.on('message', (msg, rinfo) => this.onMessage(msg, { ip: rinfo.address, port: rinfo.port }));
    this.timer = setInterval(() => this.sweep(), UDP_SESSION_IDLE_MS / 3);
    this.timer.unref();
  }

  private onMessage(msg: Buffer, client: Addr): void {
    const c = choose(this.router, this.b, client);
    if (!c?.ok || !c.node) return;
    const stack = this.network.stackFor(c.node.ip);
    if (!stack) return;
    const key = `${client.ip}:${client.port}|${c.node.name}`;
    let s = this.sessions.get(key);
    if (!s) {
      const vsock = stack.udp();
      vsock.onMessage((data) => this.sock.send(data, client.port, client.ip));
      this.sessions.set(key, (s = { vsock, last: 0 }));
    }
    s.last = Date.now();
    const dst = { ip: c.endpoint.ip, port: c.endpoint.port };
    const vs = s.vsock;
    try {
      if (c.keepSource) this.router.forced(c.node.name, dst, { action: 'deliver', dst, srcRewrite: client }, () => vs.send(msg, dst));
      else vs.send(msg, dst);
    } catch {
      vs.close();
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
