/**
 * UDP sockets of a stack and the per-stack conntrack table that makes replies to a translated
 * flow (e.g. DNS sent to the kube-dns ClusterIP) come back from the address the client sent to.
 */
import type { Stack } from './stack.js';
import type { Addr, NetError, UdpSocket } from './types.js';

/** Receives a datagram at a bound UDP port. */
export type UdpHandler = (data: Buffer, from: Addr) => void;

/** How long an idle UDP conntrack entry lives (Linux's nf_conntrack_udp_timeout). */
export const UDP_CONNTRACK_TIMEOUT_MS = 30_000;

/** Where a reply leaving a stack goes: the original sender's stack and port, seen from the address it sent to. */
export interface ReplyEntry { from: Addr; stack: Stack; port: number; expires: number }

/** Reply-direction conntrack entries of one stack, keyed by local port and remote address. */
export class ReplyTable {
  private readonly map = new Map<string, ReplyEntry>();
  private nextSweep = 0;

  /** Records that datagrams from `localPort` to `peer` are replies of a tracked flow. */
  record(localPort: number, peer: Addr, from: Addr, stack: Stack, port: number): void {
    const now = Date.now();
    const key = `${localPort}>${peer.ip}:${peer.port}`;
    const e = this.map.get(key);
    if (e && e.stack === stack && e.port === port && e.from.ip === from.ip && e.from.port === from.port) {
      e.expires = now + UDP_CONNTRACK_TIMEOUT_MS;
      return;
    }
    this.map.set(key, { from, stack, port, expires: now + UDP_CONNTRACK_TIMEOUT_MS });
    if (now >= this.nextSweep && this.map.size > 256) this.sweep(now);
  }

  /** The live entry for a datagram from `localPort` to `to`, refreshed, if any. */
  lookup(localPort: number, to: Addr): ReplyEntry | undefined {
    const key = `${localPort}>${to.ip}:${to.port}`;
    const e = this.map.get(key);
    if (!e) return undefined;
    const now = Date.now();
    if (e.expires < now || e.stack.removed) {
      this.map.delete(key);
      return undefined;
    }
    e.expires = now + UDP_CONNTRACK_TIMEOUT_MS;
    return e;
  }

  /** Forgets every entry. */
  clear(): void {
    this.map.clear();
  }

  /** How many entries are held. */
  get size(): number {
    return this.map.size;
  }

  private sweep(now: number): void {
    this.nextSweep = now + 1000;
    for (const [k, e] of this.map) if (e.expires < now || e.stack.removed) this.map.delete(k);
  }
}

/** A UDP socket bound in a stack. */
export class StackUdpSocket implements UdpSocket {
  readonly local: Addr;
  private readonly handlers: Array<(data: Buffer, from: Addr) => void> = [];
  private readonly errorHandlers: Array<(err: NetError, to: Addr) => void> = [];
  private readonly handler: UdpHandler;
  private closed = false;

  constructor(private readonly stack: Stack, port: number) {
    this.handler = (data, from) => {
      for (const h of this.handlers) h(data, from);
    };
    const bound = stack.udpPorts.bind(port, this.handler);
    this.local = { ip: stack.ips[0] ?? '0.0.0.0', port: bound };
  }

  send(data: Buffer, to: Addr): void {
    if (this.closed || this.stack.removed) throw new Error('Not running');
    const onError = this.errorHandlers.length ? (err: NetError, dst: Addr) => this.errorHandlers.forEach((h) => h(err, dst)) : undefined;
    this.stack.fabric.sendUdp(this.stack, this.local.port, data, to, onError);
  }

  onMessage(handler: (data: Buffer, from: Addr) => void): void {
    this.handlers.push(handler);
  }

  onError(handler: (err: NetError, to: Addr) => void): void {
    this.errorHandlers.push(handler);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.stack.udpPorts.unbind(this.local.port, this.handler);
  }
}
