/**
 * Canary routing (ingress-notes §5.7, ingress-nginx balancer.lua `route_to_alternative_balancer`):
 * by header (exact value, pattern, or always/never), then by cookie (always/never), then by
 * weight. Affinity to one side (cookie) is decided before, by the affinity module.
 */
import type { CanaryConfig } from '../model.js';
import type { Exchange } from './exchange.js';

/** The value of one cookie in a Cookie header. */
export function cookieValue(header: string | string[] | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  const s = Array.isArray(header) ? header.join('; ') : header;
  let at = 0;
  while (at < s.length) {
    let semi = s.indexOf(';', at);
    if (semi < 0) semi = s.length;
    const eq = s.indexOf('=', at);
    if (eq > 0 && eq < semi && s.slice(at, eq).trim() === name) return s.slice(eq + 1, semi).trim();
    at = semi + 1;
  }
  return undefined;
}

/** Whether this request goes to the canary upstream. */
export function useCanary(ex: Exchange, c: CanaryConfig, random: () => number): boolean {
  if (c.byHeader) {
    const v = ex.req.headers[c.byHeader.toLowerCase()];
    const value = Array.isArray(v) ? v[0] : v;
    if (value !== undefined) {
      if (c.byHeaderValue !== undefined) {
        if (value === c.byHeaderValue) return true;
      } else if (c.byHeaderPattern) {
        try { if (c.byHeaderPattern(value)) return true; } catch { return false; }
      } else if (value === 'always') return true;
      else if (value === 'never') return false;
    }
  }
  if (c.byCookie) {
    const v = cookieValue(ex.req.headers.cookie, c.byCookie);
    if (v === 'always') return true;
    if (v === 'never') return false;
  }
  if (c.weight === undefined || c.weight <= 0) return false;
  const total = Math.max(100, c.weightTotal);
  return Math.floor(random() * total) + 1 <= c.weight;
}
