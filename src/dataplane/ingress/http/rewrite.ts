/**
 * `rewrite-target` (ingress-notes §5.1): nginx's `rewrite "(?i)<path>" <target> break;` — the
 * whole URI becomes the target with `$1`… replaced by the location regex's captures, and the
 * original query appended (after `&` when the target has its own).
 */
import type { Exchange } from './exchange.js';

/** The path and query sent upstream. */
export function upstreamPath(ex: Exchange): string {
  const loc = ex.location!;
  const target = loc.config.rewriteTarget;
  if (target === undefined || target === loc.path) return ex.uri;
  const caps = ex.captures ?? [];
  const path = target.replace(/\$(\d)/g, (_m, d: string) => caps[Number(d)] ?? '');
  const q = ex.uri.indexOf('?');
  if (q < 0) return path;
  const query = ex.uri.slice(q + 1);
  return path.includes('?') ? `${path}&${query}` : `${path}?${query}`;
}
