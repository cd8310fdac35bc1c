/**
 * `denylist-source-range` and `whitelist-source-range`/`allowlist-source-range` (ingress-notes §5.5):
 * deny entries first, then allow entries, then deny all when an allowlist exists → 403.
 */
import type { Cidrs } from './cidrs.js';
import type { Exchange } from './exchange.js';
import { sendPage } from './respond.js';

/** Answers 403 when the client address is refused. */
export function sourceRange(ex: Exchange, cidrs: Cidrs): boolean {
  const c = ex.location?.config;
  if (!c || (c.denySourceRange.length === 0 && c.allowSourceRange.length === 0)) return false;
  const denied = cidrs.has(c.denySourceRange, ex.clientIp) ||
    (c.allowSourceRange.length > 0 && !cidrs.has(c.allowSourceRange, ex.clientIp));
  if (!denied) return false;
  sendPage(ex, 403);
  return true;
}
