/**
 * Which upstream and endpoint serve a request: canary or mainline, cookie affinity
 * (`affinity: cookie`, ingress-notes §5.8, sticky.lua), then round-robin over the Upstream's
 * endpoints (ingress-nginx balances over endpoints, not the ClusterIP).
 */
import { createHash } from 'node:crypto';
import type { AffinityConfig, RouteTable, Upstream, UpstreamEndpoint } from '../model.js';
import { cookieValue, useCanary } from './canary.js';
import { tableLocations } from './context.js';
import type { Exchange } from './exchange.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** nginx's `ngx.cookie_time` (`Thu, 18-Nov-10 11:27:35 GMT`). */
function cookieTime(ms: number): string {
  const d = new Date(ms);
  const p = (n: number): string => (n < 10 ? '0' + n : String(n));
  return `${DAYS[d.getUTCDay()]}, ${p(d.getUTCDate())}-${MONTHS[d.getUTCMonth()]}-${p(d.getUTCFullYear() % 100)} ` +
    `${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} GMT`;
}

/** The choice for one request. */
export interface Pick { upstream: Upstream; endpoint: UpstreamEndpoint | undefined; canary: boolean }

/** Balancing state of one ingress server (round-robin positions, hash cache). */
export class Balancer {
  private readonly next = new Map<string, number>();
  private readonly hashes = new Map<string, string>();

  constructor(private readonly random: () => number, private readonly now: () => number) {}

  private hash(s: string): string {
    let h = this.hashes.get(s);
    if (h === undefined) {
      if (this.hashes.size > 50_000) this.hashes.clear();
      h = createHash('md5').update(s).digest('hex');
      this.hashes.set(s, h);
    }
    return h;
  }

  /** Forgets the round-robin positions of upstreams that `t` no longer has. */
  prune(t: RouteTable): void {
    const live = new Set<string>();
    for (const loc of tableLocations(t)) {
      const c = loc.config;
      for (const up of [loc.upstream, c.canary?.upstream, c.defaultBackend]) if (up) live.add(up.name);
    }
    for (const name of this.next.keys()) if (!live.has(name)) this.next.delete(name);
  }

  /** The next endpoint of an upstream in round-robin order (starting at a random one), skipping `except`. */
  endpoint(up: Upstream, except?: ReadonlySet<UpstreamEndpoint>): UpstreamEndpoint | undefined {
    const eps = up.endpoints;
    const n = eps.length;
    if (n === 0) return undefined;
    let i = this.next.get(up.name);
    if (i === undefined) i = Math.floor(this.random() * n);
    for (let k = 0; k < n; k++) {
      const ep = eps[(i + k) % n]!;
      if (except?.has(ep)) continue;
      this.next.set(up.name, (i + k + 1) % n);
      return ep;
    }
    return undefined;
  }

  /** Decides canary or mainline and the endpoint, setting the affinity cookie when the client has none that is valid. */
  pick(ex: Exchange, main: Upstream): Pick {
    const loc = ex.location!;
    const canary = loc.config.canary;
    const aff = loc.config.affinity;
    let sticky: { key: string; backend: string } | undefined;
    if (aff) {
      const v = cookieValue(ex.req.headers.cookie, aff.cookieName);
      const bar = v ? v.indexOf('|') : -1;
      if (v && bar > 0) sticky = { key: v.slice(0, bar), backend: v.slice(bar + 1) };
    }
    let useAlt = false;
    if (canary && canary.upstream.endpoints.length > 0) {
      if (sticky && sticky.backend === this.hash(canary.upstream.name)) useAlt = true;
      else if (sticky && sticky.backend === this.hash(main.name)) useAlt = false;
      else useAlt = useCanary(ex, canary, this.random);
    }
    const up = useAlt ? canary!.upstream : main;
    if (!aff) return { upstream: up, endpoint: this.endpoint(up), canary: useAlt };
    if (sticky && sticky.backend === this.hash(up.name)) {
      for (const ep of up.endpoints) if (this.hash(`${ep.ip}:${ep.port}`) === sticky.key) return { upstream: up, endpoint: ep, canary: useAlt };
    }
    const ep = this.endpoint(up);
    if (ep) ex.headers.push('Set-Cookie', this.cookie(ex, aff, `${this.hash(`${ep.ip}:${ep.port}`)}|${this.hash(up.name)}`));
    return { upstream: up, endpoint: ep, canary: useAlt };
  }

  private cookie(ex: Exchange, a: AffinityConfig, value: string): string {
    let c = `${a.cookieName}=${value}`;
    if (a.expires !== undefined) c += `; Expires=${cookieTime(this.now() + a.expires * 1000)}`;
    if (a.maxAge !== undefined) c += `; Max-Age=${a.maxAge}`;
    if (a.domain) c += `; Domain=${a.domain}`;
    c += `; Path=${a.path ?? ex.location!.path}`;
    if (a.secure || ex.https) c += '; Secure';
    c += '; HttpOnly';
    if (a.sameSite && !(a.conditionalSameSiteNone && a.sameSite === 'None' && oldBrowser(ex.req.headers['user-agent']))) c += `; SameSite=${a.sameSite}`;
    return c;
  }
}

/** Browsers that reject `SameSite=None` (ingress-nginx's sticky.lua list, simplified: iOS 12, macOS 10.14 Safari, Chrome 51–66). */
function oldBrowser(ua: string | undefined): boolean {
  if (!ua) return false;
  return /\(iP.+; CPU .*OS 12[_\d]*.*\) AppleWebKit\//.test(ua) ||
    /\(Macintosh;.*Mac OS X 10_14[_\d]*.*\) AppleWebKit\/.*Version\/.* Safari\//.test(ua) ||
    /Chrom(e|ium)\/(5[1-9]|6[0-6])\./.test(ua);
}
