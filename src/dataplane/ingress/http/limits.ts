/**
 * `limit-connections`, `limit-rps`, `limit-rpm` (ingress-notes §5.4): nginx's limit_conn and
 * limit_req with `burst = rate × limit-burst-multiplier nodelay`, keyed by client address,
 * `limit-whitelist` exempt. Zones are per Ingress, as ingress-nginx names them
 * (annotations/ratelimit/main.go: `<namespace>_<name>_<uid>_rps|_rpm|_conn`), so all paths and
 * hosts of one Ingress share one budget per client. State belongs to one ingress server, survives
 * table swaps (nginx keeps its zones across reloads) and is dropped with the Ingress's limits.
 */
import type { IngressRef, Location, RouteTable } from '../model.js';
import type { Cidrs } from './cidrs.js';
import { tableLocations } from './context.js';
import type { Exchange } from './exchange.js';
import { sendPage } from './respond.js';

interface Bucket { excess: number; last: number }

/** Beyond this many tracked clients in a zone, idle entries are swept. */
const SWEEP_AT = 10_000;

/** The limit state of one ingress server. */
export class Limiter {
  private readonly buckets = new Map<string, Map<string, Bucket>>();
  private readonly conns = new Map<string, Map<string, number>>();
  private readonly zoneKeys = new WeakMap<IngressRef, string>();

  constructor(private readonly now: () => number, private readonly cidrs: Cidrs) {}

  private zone(loc: Location): string {
    let k = this.zoneKeys.get(loc.ingress);
    if (k === undefined) {
      k = zoneName(loc.ingress);
      this.zoneKeys.set(loc.ingress, k);
    }
    return k;
  }

  /** Drops the zones of Ingresses that no longer have limits in `t` (connection zones once idle). */
  prune(t: RouteTable): void {
    const live = new Set<string>();
    for (const loc of tableLocations(t)) if (loc.config.limits) live.add(zoneName(loc.ingress));
    for (const z of this.buckets.keys()) if (!live.has(z.slice(0, z.length - 2))) this.buckets.delete(z);
    for (const [z, m] of this.conns) if (!live.has(z) && m.size === 0) this.conns.delete(z);
  }

  /** Applies the location's limits: answers the configured status when one is exceeded. */
  check(ex: Exchange): boolean {
    const loc = ex.location;
    const l = loc?.config.limits;
    if (!loc || !l) return false;
    if (this.cidrs.has(l.allowlist, ex.clientIp)) return false;
    const zone = this.zone(loc);
    if (l.connections !== undefined && l.connections > 0) {
      let m = this.conns.get(zone);
      if (!m) this.conns.set(zone, (m = new Map()));
      const n = m.get(ex.clientIp) ?? 0;
      if (n >= l.connections) {
        sendPage(ex, l.connStatusCode);
        return true;
      }
      m.set(ex.clientIp, n + 1);
      const conns = m;
      const ip = ex.clientIp;
      ex.res.once('close', () => {
        const left = (conns.get(ip) ?? 1) - 1;
        if (left <= 0) conns.delete(ip);
        else conns.set(ip, left);
      });
    }
    if (l.rps !== undefined && l.rps > 0 && !this.take(zone + '|s', ex.clientIp, l.rps / 1000, l.rps * l.burstMultiplier)) {
      sendPage(ex, l.reqStatusCode);
      return true;
    }
    if (l.rpm !== undefined && l.rpm > 0 && !this.take(zone + '|m', ex.clientIp, l.rpm / 60_000, l.rpm * l.burstMultiplier)) {
      sendPage(ex, l.reqStatusCode);
      return true;
    }
    return false;
  }

  /** nginx's leaky bucket (ngx_http_limit_req_lookup) with nodelay: accepted while the excess stays within the burst. */
  private take(zone: string, ip: string, perMs: number, burst: number): boolean {
    let m = this.buckets.get(zone);
    if (!m) this.buckets.set(zone, (m = new Map()));
    const now = this.now();
    const b = m.get(ip);
    if (!b) {
      if (m.size >= SWEEP_AT) sweep(m, now, perMs);
      m.set(ip, { excess: 0, last: now });
      return true;
    }
    const excess = Math.max(0, b.excess - perMs * (now - b.last) + 1);
    if (excess > burst) return false;
    b.excess = excess;
    b.last = now;
    return true;
  }
}

function zoneName(i: IngressRef): string {
  return `${i.namespace}_${i.name}_${i.uid ?? ''}`;
}

function sweep(m: Map<string, Bucket>, now: number, perMs: number): void {
  for (const [ip, b] of m) if (b.excess - perMs * (now - b.last) <= 0) m.delete(ip);
}
