/**
 * Connection tracking for UDP (TCP connections are in-memory pairs, so once set up their packets
 * never meet the pipeline again): per stack, the forward entries of established flows (their plan,
 * reused until idle) and the reply entries that send answers back to the original sender as if
 * they came from the address it dialled.
 */
import type { FlowPlan } from './flow.js';
import type { Addr } from './types.js';

/** How long an idle UDP conntrack entry lives (Linux's nf_conntrack_udp_timeout). */
export const UDP_CONNTRACK_TIMEOUT_MS = 30_000;

/** What an entry must tell about the stack it points at. */
interface Alive { readonly removed: boolean }

/** A conntrack table keyed by local port and remote address, with idle expiry. */
export class Conntrack<E extends { readonly stack: Alive }> {
  private readonly map = new Map<string, { entry: E; expires: number }>();
  private nextSweep = 0;

  constructor(private readonly now: () => number = Date.now) {}

  /** Records (or refreshes) the entry for datagrams from `localPort` to `remote`. */
  set(localPort: number, remote: Addr, entry: E): void {
    const now = this.now();
    const k = key(localPort, remote);
    const e = this.map.get(k);
    if (e?.entry === entry) {
      e.expires = now + UDP_CONNTRACK_TIMEOUT_MS;
      return;
    }
    this.map.set(k, { entry, expires: now + UDP_CONNTRACK_TIMEOUT_MS });
    if (now >= this.nextSweep && this.map.size > 256) this.sweep(now);
  }

  /** The live entry for datagrams from `localPort` to `remote`, refreshed, if any. */
  get(localPort: number, remote: Addr): E | undefined {
    const k = key(localPort, remote);
    const e = this.map.get(k);
    if (!e) return undefined;
    const now = this.now();
    if (e.expires < now || e.entry.stack.removed) {
      this.map.delete(k);
      return undefined;
    }
    e.expires = now + UDP_CONNTRACK_TIMEOUT_MS;
    return e.entry;
  }

  /** Forgets one entry. */
  delete(localPort: number, remote: Addr): void {
    this.map.delete(key(localPort, remote));
  }

  /** Forgets every entry. */
  clear(): void {
    this.map.clear();
  }

  private sweep(now: number): void {
    this.nextSweep = now + 1000;
    for (const [k, e] of this.map) if (e.expires < now || e.entry.stack.removed) this.map.delete(k);
  }
}

function key(localPort: number, remote: Addr): string {
  return `${localPort}>${remote.ip}:${remote.port}`;
}

/** Where a reply leaving a stack goes: the original sender's stack and port, seen from the address it sent to. */
export interface ReplyEntry<S extends Alive = Alive> { readonly from: Addr; readonly stack: S; readonly port: number }

/** A UDP flow leaving a stack: its plan (absent for the stack's own loopback), where it is delivered and from which source, and the reply entry it keeps alive at the destination. */
export interface ForwardEntry<S extends Alive = Alive> { readonly plan?: FlowPlan; readonly stack: S; readonly dst: Addr; readonly src: Addr; readonly reply: ReplyEntry<S> }
