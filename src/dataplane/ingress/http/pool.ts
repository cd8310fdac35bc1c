/**
 * Upstream connection pools: keep-alive HTTP/1.1 connections to endpoints, dialled on the
 * controller pod's stack (virtual; the pod's NetworkPolicy applies), reused LIFO up to
 * `upstream-keepalive-connections` idle ones per endpoint, closed after
 * `upstream-keepalive-timeout` idle. `backend-protocol: HTTPS` wraps them in TLS without
 * verification (nginx's `proxy_ssl_verify off`).
 */
import http from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';
import type { NetStack } from '../../../net/types.js';

/** Options Node's agent passes to createConnection (ours: the connect timeout and TLS server name). */
interface DialOptions { host?: string | null; port?: number | string | null; connectTimeoutMs?: number; servername?: string }


/** An http.Agent dialling virtual connections. */
class VirtualAgent extends http.Agent {
  constructor(private readonly net: NetStack, private readonly tlsUpstream: boolean, opts: http.AgentOptions) {
    super(opts);
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

/** The upstream pools of one ingress server. */
export class UpstreamPools {
  readonly plain: http.Agent;
  readonly secure: http.Agent;

  constructor(net: NetStack, keepalive: number, idleMs: number) {
    const opts: http.AgentOptions = { keepAlive: true, maxFreeSockets: Math.max(1, keepalive), timeout: idleMs, scheduling: 'lifo' };
    this.plain = new VirtualAgent(net, false, opts);
    this.secure = new VirtualAgent(net, true, opts);
  }

  destroy(): void {
    this.plain.destroy();
    this.secure.destroy();
  }
}

/** Whether an upstream error happened while connecting (nothing was sent: safe to retry on another endpoint). */
export function isConnectError(err: unknown): boolean {
  return (err as { connectPhase?: boolean }).connectPhase === true;
}
