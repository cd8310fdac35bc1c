/**
 * The ClusterIP allocator of one service CIDR: random addresses from the upper part of the block
 * first (the lower part is kept for static requests, KEP-3070), with kube-apiserver's error texts.
 */
import { IPAllocator, cidrContains, formatCIDR, nthAddress, parseCIDR, parseIPv4, type Cidr } from '../../net/ip.js';

/** Why an address could not be reserved; `message` is kube-apiserver's text. */
export class IPAllocationError extends Error {
  constructor(readonly reason: 'allocated' | 'not-in-range' | 'mismatched-network' | 'full', message: string) {
    super(message);
  }
}

/** Hands out the ClusterIPs of a service CIDR. */
export class ServiceIPAllocator {
  readonly cidr: Cidr;
  /** Addresses that dynamic allocation never picks (kept for the `kubernetes` and `kube-dns` Services). */
  readonly systemReserved: ReadonlySet<string>;
  private readonly ips: IPAllocator;

  constructor(cidr: string, random: () => number = Math.random) {
    this.cidr = parseCIDR(cidr);
    const offset = this.cidr.size <= 16 ? 0 : Math.min(Math.max(16, Math.floor(this.cidr.size / 16)), 256);
    const span = Math.max(1, this.cidr.size - 2);
    const upper = Math.min(offset, span - 1);
    this.ips = new IPAllocator(cidr, [], { mode: 'random', random: () => (upper + random() * (span - upper)) / span });
    const sys = [1, 10].filter((n) => n < this.cidr.size - 1).map((n) => nthAddress(this.cidr, n));
    this.systemReserved = new Set(sys);
  }

  /** The network address, which a dry run reports as the allocated address. */
  get network(): string {
    return nthAddress(this.cidr, 0);
  }

  /** Tells whether an address is taken. */
  has(ip: string): boolean {
    return this.ips.has(ip);
  }

  /** The error a dry run reports for an address outside the usable range, if any. */
  checkRange(ip: string): IPAllocationError | undefined {
    const n = parseIPv4(ip);
    const first = this.cidr.network + 1;
    const last = this.cidr.network + this.cidr.size - 2;
    if (n === undefined || n < first || n > last) return new IPAllocationError('not-in-range', `provided IP ${ip} is not in the valid range`);
    return undefined;
  }

  /** Reserves a given address; throws IPAllocationError. */
  allocate(ip: string): void {
    if (!cidrContains(this.cidr, ip)) throw new IPAllocationError('mismatched-network', 'the provided network does not match the current range');
    const bad = this.checkRange(ip);
    if (bad) throw bad;
    if (this.ips.has(ip)) throw new IPAllocationError('allocated', 'provided IP is already allocated');
    this.ips.allocate(ip);
  }

  /** Reserves a free address (never a system-reserved one); throws IPAllocationError('full'). */
  allocateNext(): string {
    const held: string[] = [];
    try {
      for (;;) {
        let ip: string;
        try { ip = this.ips.allocate(); } catch { throw new IPAllocationError('full', 'range is full'); }
        if (!this.systemReserved.has(ip)) return ip;
        held.push(ip);
      }
    } finally {
      for (const ip of held) this.ips.release(ip);
    }
  }

  /** Returns an address to the pool. */
  release(ip: string): void {
    this.ips.release(ip);
  }

  /** The block as text, e.g. `10.96.0.0/12`. */
  toString(): string {
    return formatCIDR(this.cidr);
  }
}
