/**
 * Upstream connection pools: keep-alive HTTP/1.1 connections to endpoints, dialled on the
 * controller pod's stack (virtual; the pod's NetworkPolicy applies), reused LIFO up to
 * `upstream-keepalive-connections` idle ones per endpoint (0: none kept), closed after
 * `upstream-keepalive-timeout` idle or `upstream-keepalive-requests` requests. A route table with
 * other limits gets new pools; the old ones keep no connection once its request is done, so
 * in-flight requests finish. `backend-protocol: HTTPS` wraps connections in TLS without
 * verification (nginx's `proxy_ssl_verify off`).
 */
import http from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';
import type { NetStack } from '../../../net/types.js';
import { closeWithTls } from '../../../net/tls.js';
import type { GlobalConfig } from '../model.js';

/** Options Node's agent passes to createConnection (ours: the connect timeout and TLS server name). */
interface DialOptions { host?: string | null; port?: number | string | null; connectTimeoutMs?: number; servername?: string }


/** An http.Agent dialling virtual connections. */
class VirtualAgent extends http.Agent {
  /** Requests served per connection (`upstream-keepalive-requests`). */
  private readonly served = new WeakMap<Duplex, number>();
  /** Set when a newer route table brought other limits: no connection goes back to the pool. */
  retired = false;

  constructor(private readonly net: NetStack, private readonly tlsUpstream: boolean, private readonly limits: PoolLimits) {
    super({ keepAlive: true, maxFreeSockets: Math.max(1, limits.connections), timeout: limits.idleMs, scheduling: 'lifo' });
  }

  override keepSocketAlive(socket: Socket): boolean {
    const n = (this.served.get(socket) ?? 0) + 1;
    this.served.set(socket, n);
    if (this.retired || this.limits.connections <= 0 || n >= this.limits.requests) return false;
    super.keepSocketAlive(socket); // sets the idle timeout; always keeps
    return true;
  }

  /** Stops pooling: idle connections close now, busy ones when their request is done. */
  retire(): void {
    this.retired = true;
    for (const list of Object.values(this.freeSockets)) for (const socket of list ?? []) socket.destroy();
  }

  override createConnection(args: http.ClientRequestArgs, callback?: (err: Error | null, stream: Duplex) => void): undefined {
    const o = args as DialOptions;
    const cb = callback as (err: Error | null, stream?: Duplex) => void;
    const ip = String(o.host ?? '');
    const port = Number(o.port);
    this.net.connect({ ip, port }, { timeoutMs: o.connectTimeoutMs }).then((conn) => {
      if (!this.tlsUpstream) {
        cb(null, conn);
        return;
      }
      const servername = o.servername && !/^[0-9.]+$/.test(o.servername) ? o.servername : undefined;
      const t = tls.connect({ socket: conn as unknown as Socket, servername, rejectUnauthorized: false, ALPNProtocols: ['http/1.1'] });
      closeWithTls(t, conn);
      const fail = (err: Error): void => cb(Object.assign(err, { connectPhase: true }));
      t.once('error', fail);
      t.once('secureConnect', () => {
        t.removeListener('error', fail);
        cb(null, t);
      });
    }, (err: Error) => cb(Object.assign(err, { connectPhase: true })));
    return undefined;
  }
}

/** The upstream keep-alive limits of a route table. */
interface PoolLimits { connections: number; idleMs: number; requests: number }

/** The upstream pools of one ingress server, following the limits of the route table in use. */
export class UpstreamPools {
  private plain: VirtualAgent | undefined;
  private secure: VirtualAgent | undefined;
  private limits: PoolLimits | undefined;
  private forGlobal: GlobalConfig | undefined;

  constructor(private readonly net: NetStack) {}

  /** The agent for a request served under `g` (TLS to the upstream when `tlsUpstream`). */
  agent(g: GlobalConfig, tlsUpstream: boolean): http.Agent {
    if (g !== this.forGlobal) this.follow(g);
    return tlsUpstream ? (this.secure ??= new VirtualAgent(this.net, true, this.limits!)) : (this.plain ??= new VirtualAgent(this.net, false, this.limits!));
  }

  private follow(g: GlobalConfig): void {
    this.forGlobal = g;
    const next = { connections: g.upstreamKeepaliveConnections, idleMs: g.upstreamKeepaliveTimeoutMs, requests: g.upstreamKeepaliveRequests };
    const l = this.limits;
    if (l && l.connections === next.connections && l.idleMs === next.idleMs && l.requests === next.requests) return;
    this.limits = next;
    this.plain?.retire();
    this.secure?.retire();
    this.plain = undefined;
    this.secure = undefined;
  }

  destroy(): void {
    this.plain?.destroy();
    this.secure?.destroy();
  }
}

/** Whether an upstream error happened while connecting (nothing was sent: safe to retry on another endpoint). */
export function isConnectError(err: unknown): boolean {
  return (err as { connectPhase?: boolean }).connectPhase === true;
}
