/**
 * `limit-connections`, `limit-rps`, `limit-rpm` (ingress-notes §5.4): nginx's limit_conn and
 * limit_req with `burst = rate × limit-burst-multiplier nodelay`, keyed by client address per
 * location, `limit-whitelist` exempt. State belongs to one ingress server and survives table swaps
 * (keyed by the location's Ingress, host and path, as nginx keeps its zones across reloads).
 */
import type { Location } from '../model.js';
import { inCidrs } from './cidrs.js';
import type { Exchange } from './exchange.js';
import { sendPage } from './respond.js';

interface Bucket { excess: number; last: number }

/** Beyond this many tracked clients in a zone, idle entries are swept. */
const SWEEP_AT = 10_000;

/** The limit state of one ingress server. */
export class Limiter {
  private readonly buckets = new Map<string, Map<string, Bucket>>();
  private readonly conns = new Map<string, Map<string, number>>();
  private readonly zoneKeys = new WeakMap<Location, string>();

  constructor(private readonly now: () => number) {}

  private zone(loc: Location): string {
    let k = this.zoneKeys.get(loc);
    if (k === undefined) {
      k = `${loc.ingress.namespace}/${loc.ingress.name}|${loc.path}|${loc.pathType}`;
      this.zoneKeys.set(loc, k);
    }
    return k;
  }

  /** Applies the location's limits: answers the configured status when one is exceeded. */
  check(ex: Exchange): boolean {
    const loc = ex.location;
    const l = loc?.config.limits;
    if (!loc || !l) return false;
    if (inCidrs(l.allowlist, ex.clientIp)) return false;
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

function sweep(m: Map<string, Bucket>, now: number, perMs: number): void {
  for (const [ip, b] of m) if (b.excess - perMs * (now - b.last) <= 0) m.delete(ip);
}
