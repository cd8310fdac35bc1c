/** A pool of load-balancer addresses (loopback by default) and who holds each one. */
import { IPAllocator, cidrContains, parseIPv4 } from '../../net/ip.js';

/** Addresses of a CIDR handed out to Services (keyed `namespace/name`). */
export class AddressPool {
  private readonly ips: IPAllocator;
  private readonly byKey = new Map<string, string>();
  private readonly byIP = new Map<string, string>();

  constructor(readonly cidr: string) {
    this.ips = new IPAllocator(cidr, [], { mode: 'sequential' });
  }

  /** Tells whether an address belongs to the pool (network and broadcast addresses excluded). */
  contains(ip: string): boolean {
    if (!cidrContains(this.cidr, ip)) return false;
    const { network, size } = this.ips.cidr;
    const n = parseIPv4(ip)!;
    return size <= 2 || (n !== network && n !== network + size - 1);
  }

  /** The address held by a Service. */
  get(key: string): string | undefined {
    return this.byKey.get(key);
  }

  /** The Service holding an address. */
  holder(ip: string): string | undefined {
    return this.byIP.get(ip);
  }

  /** Gives a Service a specific address, or the next free one; throws Error when taken, outside or full. */
  assign(key: string, ip?: string): string {
    const cur = this.byKey.get(key);
    if (cur && (ip === undefined || ip === cur)) return cur;
    let got: string;
    if (ip !== undefined) {
      const other = this.byIP.get(ip);
      if (other) throw new Error(`requested IP ${ip} is already assigned to Service ${other}`);
      if (!this.contains(ip)) throw new Error(`requested IP ${ip} is not in the pool ${this.cidr}`);
      got = this.ips.allocate(ip);
    } else {
      try { got = this.ips.allocate(); } catch { throw new Error(`no addresses left in the pool ${this.cidr}`); }
    }
    if (cur) this.release(key);
    this.byKey.set(key, got);
    this.byIP.set(got, key);
    return got;
  }

  /** Takes a Service's address back; returns it. */
  release(key: string): string | undefined {
    const ip = this.byKey.get(key);
    if (ip === undefined) return undefined;
    this.byKey.delete(key);
    this.byIP.delete(ip);
    this.ips.release(ip);
    return ip;
  }

  /** Every assignment, `namespace/name` → address. */
  entries(): Map<string, string> {
    return new Map(this.byKey);
  }
}
