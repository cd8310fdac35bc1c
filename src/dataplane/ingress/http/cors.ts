/**
 * `enable-cors` (ingress-notes §5.6): the CORS headers on every response of a matching Origin
 * (`*` on every response), and a matching `OPTIONS` preflight answered 204 by the proxy.
 */
import type { CorsConfig } from '../model.js';
import type { Exchange } from './exchange.js';
import { sendPage } from './respond.js';

/** Whether an Origin matches one `allow-origin` entry: case-insensitive, anchored at the end, `*.` one label. */
export function originMatches(entry: string, origin: string): boolean {
  const e = entry.toLowerCase();
  const o = origin.toLowerCase();
  const star = e.indexOf('*.');
  if (star < 0) return o.endsWith(e);
  const prefix = e.slice(0, star);
  const suffix = e.slice(star + 1);
  if (!o.endsWith(suffix)) return false;
  let i = o.length - suffix.length;
  const end = i;
  while (i > 0 && /[a-z0-9-]/.test(o[i - 1]!)) i--;
  return i < end && o.slice(0, i).endsWith(prefix);
}

/** The `Access-Control-Allow-Origin` value for a request, or undefined when CORS does not apply. */
function allowedOrigin(cors: CorsConfig, origin: string | undefined): string | undefined {
  if (cors.allowOrigin.includes('*')) return '*';
  if (!origin) return undefined;
  for (const entry of cors.allowOrigin) if (originMatches(entry, origin)) return origin;
  return undefined;
}

/** Adds the CORS headers for a matching request; answers a matching preflight with 204. */
export function cors(ex: Exchange): boolean {
  const c = ex.location?.config.cors;
  if (!c) return false;
  const allow = allowedOrigin(c, ex.req.headers.origin);
  if (allow === undefined) return false;
  const h = ex.headers;
  h.push('Access-Control-Allow-Origin', allow);
  if (c.allowCredentials) h.push('Access-Control-Allow-Credentials', 'true');
  h.push('Access-Control-Allow-Methods', c.allowMethods, 'Access-Control-Allow-Headers', c.allowHeaders);
  if (c.exposeHeaders) h.push('Access-Control-Expose-Headers', c.exposeHeaders);
  h.push('Access-Control-Max-Age', String(c.maxAge));
  if (ex.req.method !== 'OPTIONS') return false;
  sendPage(ex, 204, { headers: ['Content-Type', 'text/plain charset=UTF-8', 'Content-Length', '0'] });
  return true;
}
