/**
 * IPv4 helpers: parsing and formatting, CIDR arithmetic, and an address allocator used for pod IPs
 * (per node pod CIDR) and Service cluster IPs.
 */

/** Parses a dotted-quad IPv4 address into an unsigned 32-bit number, or undefined when invalid. */
export function parseIPv4(s: string): number | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!/^(0|[1-9][0-9]{0,2})$/.test(p)) return undefined;
    const v = Number(p);
    if (v > 255) return undefined;
    n = n * 256 + v;
  }
  return n;
}

/** Formats an unsigned 32-bit number as a dotted-quad IPv4 address. */
export function formatIPv4(n: number): string {
  return `${(n >>> 24) & 255}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

/** Tells whether a string is a valid dotted-quad IPv4 address. */
export function isIPv4(s: string): boolean {
  return parseIPv4(s) !== undefined;
}

/** Tells whether an address is a loopback address (127.0.0.0/8 or ::1). */
export function isLoopback(ip: string): boolean {
  return ip.startsWith('127.') || ip === '::1';
}

/** A parsed IPv4 CIDR block. */
export interface Cidr { network: number; prefix: number; size: number }

/** Parses `a.b.c.d/n` (host bits are masked off); throws RangeError when invalid. */
export function parseCIDR(cidr: string): Cidr {
  const slash = cidr.indexOf('/');
  const ip = parseIPv4(slash < 0 ? cidr : cidr.slice(0, slash));
  const prefixText = slash < 0 ? '32' : cidr.slice(slash + 1);
  const prefix = /^[0-9]{1,2}$/.test(prefixText) ? Number(prefixText) : NaN;
  if (ip === undefined || !(prefix >= 0 && prefix <= 32)) throw new RangeError(`invalid CIDR address: ${cidr}`);
  const size = 2 ** (32 - prefix);
  return { network: ip - (ip % size), prefix, size };
}

/** Formats a parsed CIDR block back to `a.b.c.d/n`. */
export function formatCIDR(c: Cidr): string {
  return `${formatIPv4(c.network)}/${c.prefix}`;
}

/** Tells whether an IPv4 address lies inside a CIDR block. */
export function cidrContains(cidr: string | Cidr, ip: string): boolean {
  const c = typeof cidr === 'string' ? parseCIDR(cidr) : cidr;
  const n = parseIPv4(ip);
  return n !== undefined && n >= c.network && n < c.network + c.size;
}

/** The nth address of a CIDR block (0 is the network address; negative counts from the end, -1 the broadcast). */
export function nthAddress(cidr: string | Cidr, n: number): string {
  const c = typeof cidr === 'string' ? parseCIDR(cidr) : cidr;
  const off = n < 0 ? c.size + n : n;
  if (!Number.isInteger(off) || off < 0 || off >= c.size) throw new RangeError(`address ${n} is outside ${formatCIDR(c)}`);
  return formatIPv4(c.network + off);
}

/** How an allocator picks free addresses: next-fit after the last one (like host-local IPAM) or at random (like ClusterIPs). */
export type AllocationMode = 'sequential' | 'random';

/** Hands out the addresses of a CIDR block (never its network or broadcast address) and takes them back. */
export class IPAllocator {
  readonly cidr: Cidr;
  private readonly used = new Set<number>();
  private readonly reserved = new Set<number>();
  private readonly first: number;
  private readonly last: number;
  private cursor: number;

  constructor(cidr: string, reserved: Iterable<string> = [], private readonly opts: { mode?: AllocationMode; random?: () => number } = {}) {
    this.cidr = parseCIDR(cidr);
    const edges = this.cidr.size > 2;
    this.first = edges ? 1 : 0;
    this.last = edges ? this.cidr.size - 2 : this.cidr.size - 1;
    this.cursor = this.first;
    for (const ip of reserved) {
      const off = this.offset(ip);
      if (off !== undefined) this.reserved.add(off);
    }
  }

  /** How many addresses are still free. */
  get free(): number {
    return this.last - this.first + 1 - this.used.size - this.reserved.size;
  }

  /** Allocates a free address, or the given one; throws RangeError when full, outside the block, or taken. */
  allocate(specific?: string): string {
    if (specific !== undefined) {
      const off = this.offset(specific);
      if (off === undefined || off < this.first || off > this.last) throw new RangeError(`${specific} is not in the range ${formatCIDR(this.cidr)}`);
      if (this.used.has(off) || this.reserved.has(off)) throw new RangeError(`${specific} is already allocated`);
      this.used.add(off);
      return specific;
    }
    const span = this.last - this.first + 1;
    if (this.free <= 0) throw new RangeError(`range ${formatCIDR(this.cidr)} is full`);
    let off = this.opts.mode === 'random' ? this.first + Math.floor((this.opts.random ?? Math.random)() * span) : this.cursor;
    for (let i = 0; i < span; i++) {
      if (!this.used.has(off) && !this.reserved.has(off)) {
        this.used.add(off);
        this.cursor = off >= this.last ? this.first : off + 1;
        return formatIPv4(this.cidr.network + off);
      }
      off = off >= this.last ? this.first : off + 1;
    }
    throw new RangeError(`range ${formatCIDR(this.cidr)} is full`);
  }

  /** Returns an address to the pool (unknown addresses are ignored). */
  release(ip: string): void {
    const off = this.offset(ip);
    if (off !== undefined) this.used.delete(off);
  }

  /** Tells whether an address is currently allocated. */
  has(ip: string): boolean {
    const off = this.offset(ip);
    return off !== undefined && this.used.has(off);
  }

  private offset(ip: string): number | undefined {
    const n = parseIPv4(ip);
    if (n === undefined || n < this.cidr.network || n >= this.cidr.network + this.cidr.size) return undefined;
    return n - this.cidr.network;
  }
}
