/**
 * Port bookkeeping of one protocol in one stack: bound ports (listeners, bound UDP sockets) and
 * ephemeral ports (32768–60999, Linux's default ip_local_port_range) handed to outgoing sockets.
 */
import { NetError } from './types.js';

/** The first ephemeral port. */
export const EPHEMERAL_MIN = 32768;
/** The last ephemeral port. */
export const EPHEMERAL_MAX = 60999;

/** Bound and ephemeral ports of one protocol in one stack. */
export class PortSpace<T> {
  /** Bound ports and what is bound there. */
  readonly bound = new Map<number, T>();
  private readonly ephemeral = new Set<number>();
  private next = EPHEMERAL_MIN;

  /** Binds a port (0: an ephemeral one); throws NetError EADDRINUSE when taken. */
  bind(port: number, value: T): number {
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError(`port should be >= 0 and < 65536. Received ${port}.`);
    const p = port === 0 ? this.allocate() : port;
    if (port !== 0 && this.bound.has(p)) throw new NetError('EADDRINUSE', `listen EADDRINUSE: address already in use :::${port}`);
    this.bound.set(p, value);
    return p;
  }

  /** Unbinds a port if it is still bound to this value (ephemeral ones go back to the pool). */
  unbind(port: number, value: T): void {
    if (this.bound.get(port) !== value) return;
    this.bound.delete(port);
    this.ephemeral.delete(port);
  }

  /** Takes a free ephemeral port; throws NetError EADDRINUSE when none is left. */
  allocate(): number {
    const span = EPHEMERAL_MAX - EPHEMERAL_MIN + 1;
    for (let i = 0; i < span; i++) {
      const p = this.next;
      this.next = p === EPHEMERAL_MAX ? EPHEMERAL_MIN : p + 1;
      if (!this.ephemeral.has(p) && !this.bound.has(p)) {
        this.ephemeral.add(p);
        return p;
      }
    }
    throw new NetError('EADDRINUSE', 'connect EADDRNOTAVAIL: no free ephemeral port');
  }

  /** Gives an ephemeral port back. */
  release(port: number): void {
    this.ephemeral.delete(port);
  }

  /** How many ephemeral ports are in use. */
  get ephemeralInUse(): number {
    return this.ephemeral.size;
  }
}
