/**
 * CIDR lists from annotations (`whitelist-source-range`, `denylist-source-range`, `limit-whitelist`),
 * parsed once per compiled list by the ingress server that owns the cache. Invalid entries never
 * match (the compiler reports them).
 */
import { parseCIDR, parseIPv4, type Cidr } from '../../../net/ip.js';

/** Parsed CIDR lists of one ingress server (weakly keyed by the table's immutable lists). */
export class Cidrs {
  private readonly parsed = new WeakMap<readonly string[], Cidr[]>();

  /** Whether an IPv4 address lies in any CIDR (or plain address) of the list. */
  has(list: readonly string[], ip: string): boolean {
    if (list.length === 0) return false;
    let cidrs = this.parsed.get(list);
    if (!cidrs) {
      cidrs = [];
      for (const s of list) {
        try { cidrs.push(parseCIDR(s.trim())); } catch { /* never matches */ }
      }
      this.parsed.set(list, cidrs);
    }
    const n = parseIPv4(ip);
    if (n === undefined) return false;
    for (const c of cidrs) if (n >= c.network && n < c.network + c.size) return true;
    return false;
  }
}
