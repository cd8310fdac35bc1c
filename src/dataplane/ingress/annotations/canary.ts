/**
 * Canary (`IN:internal/ingress/annotations/canary/main.go`, `IN:rootfs/etc/nginx/lua/balancer.lua`,
 * notes §5.7): canary, canary-by-header(-value/-pattern), canary-by-cookie, canary-weight(-total).
 */
import { RE2JS } from 're2js';
import type { AnnotationParser } from './types.js';

const HEADER = /^[A-Za-z0-9\-_]+$/;

/**
 * A `canary-by-header-pattern` test: unanchored and case-sensitive as `ngx.re.match(value, pattern)`,
 * in a linear-time engine; a pattern that does not compile never matches (the request stays on mainline).
 */
export function headerPattern(pattern: string): (value: string) => boolean {
  try {
    const re = RE2JS.compile(pattern);
    return (value) => re.matcher(value).find();
  } catch {
    return () => false;
  }
}

/** canary and canary-*. */
export const canary: AnnotationParser = ({ a }, out) => {
  const enabled = a.bool('canary') ?? false;
  const byHeader = a.matching('canary-by-header', HEADER);
  const byHeaderValue = a.str('canary-by-header-value');
  const pattern = a.str('canary-by-header-pattern');
  const byCookie = a.matching('canary-by-cookie', HEADER);
  const weight = a.int('canary-weight');
  const total = a.int('canary-weight-total');
  if (!enabled) return;
  out.canary = {
    ...(byHeader ? { byHeader } : {}),
    ...(byHeader && byHeaderValue ? { byHeaderValue } : {}),
    ...(byHeader && pattern && !byHeaderValue ? { byHeaderPattern: headerPattern(pattern) } : {}),
    ...(byCookie ? { byCookie } : {}),
    ...(weight !== undefined ? { weight } : {}),
    weightTotal: Math.max(total ?? 100, 100),
  };
};
