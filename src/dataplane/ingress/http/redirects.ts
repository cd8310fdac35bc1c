/**
 * The redirects nginx answers without proxying (handler.ts calls them in nginx's phase order): the
 * server's `from-to-www-redirect` and `app-root` (§5.1), `permanent-redirect`/`temporal-redirect`
 * (§5.2), the HTTP → HTTPS redirect (`ssl-redirect`, `force-ssl-redirect`; lua_ingress.lua, ingress-notes §3.1).
 */
import { hostName } from '../match.js';
import type { ProxyContext } from './context.js';
import type { Exchange } from './exchange.js';
import { requestHost, requestScheme } from './forwarded.js';
import { sendPage } from './respond.js';

function withoutTrailingSlash(uri: string): string {
  return uri.endsWith('/') ? uri.slice(0, -1) : uri;
}

/** nginx's 301 for a prefix location `/foo/` requested as `/foo` (query kept). */
export function slashRedirect(ex: Exchange, to: string): boolean {
  const q = ex.uri.indexOf('?');
  const query = q >= 0 ? ex.uri.slice(q) : '';
  sendPage(ex, 301, { location: `${ex.scheme}://${hostName(ex.host) || 'localhost'}${to}${query}` });
  return true;
}

/** `from-to-www-redirect`: this server only redirects to the other name, with the listener's port. */
export function serverRedirect(ex: Exchange): boolean {
  const to = ex.server?.redirectTo;
  if (!to) return false;
  sendPage(ex, ex.global.httpRedirectCode, { location: `${ex.scheme}://${to}:${ex.port}${withoutTrailingSlash(ex.uri)}` });
  return true;
}

/** HTTP → HTTPS for hosts with a certificate (`ssl-redirect`) or always (`force-ssl-redirect`). */
export function sslRedirect(ex: Exchange, ctx: ProxyContext): boolean {
  const loc = ex.location;
  if (!loc || requestScheme(ex) !== 'http') return false;
  const c = loc.config;
  if (!c.forceSslRedirect && !(c.sslRedirect && ex.server?.certificate)) return false;
  for (const p of ex.global.noTlsRedirectLocations) if (p && loc.path.startsWith(p)) return false;
  const uri = c.preserveTrailingSlash ? ex.uri : withoutTrailingSlash(ex.uri);
  const port = c.usePortInRedirects ? `:${ctx.httpsPort}` : '';
  sendPage(ex, ex.global.httpRedirectCode, { location: `https://${hostName(requestHost(ex))}${port}${uri}` });
  return true;
}

/** `permanent-redirect` / `temporal-redirect`: `return <code> <url>`. */
export function annotationRedirect(ex: Exchange): boolean {
  const r = ex.location?.config.redirect;
  if (!r) return false;
  sendPage(ex, r.code, { location: r.url });
  return true;
}

/** `app-root`: exactly `/` (the normalised `path`) → 302 to the app root on the same scheme and Host (a server-level `if ($uri = /)`). */
export function appRoot(ex: Exchange, path: string): boolean {
  const root = ex.location?.config.appRoot;
  if (!root || path !== '/') return false;
  sendPage(ex, 302, { location: `${ex.scheme}://${ex.host}${root}` });
  return true;
}
