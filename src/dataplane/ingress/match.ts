/**
 * Request routing over a compiled RouteTable, as nginx selects a server and a location:
 * the Host picks the server (exact, then one-label wildcard, then the catch-all), the normalised
 * path picks the location (exact `=` first, else the longest prefix, with nginx's trailing-slash
 * 301; in regex mode the first matching regex in table order).
 */
import type { Location, RouteResult, RouteTable, Server } from './model.js';

/** The server for a Host header (port and trailing dot removed, case-insensitive). */
export function serverFor(table: RouteTable, hostHeader: string | undefined): Server {
  const host = hostName(hostHeader);
  if (!host) return table.catchAll;
  const exact = table.servers.get(host);
  if (exact) return exact;
  const dot = host.indexOf('.');
  if (dot > 0) {
    const wild = table.wildcards.get(host.slice(dot + 1));
    if (wild) return wild;
  }
  return table.catchAll;
}

/** The host part of a Host header, lower-cased, without port or trailing dot. */
export function hostName(hostHeader: string | undefined): string {
  if (!hostHeader) return '';
  let h = hostHeader.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(0, h.indexOf(']') + 1);
  const colon = h.lastIndexOf(':');
  if (colon >= 0) h = h.slice(0, colon);
  return h.endsWith('.') ? h.slice(0, -1) : h;
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  const l = c | 0x20;
  return l >= 97 && l <= 102 ? l - 87 : -1;
}

/** Decodes percent-escapes as bytes (UTF-8 text); undefined for an escape that is not `%` and two hex digits. */
function percentDecode(p: string): string | undefined {
  const bytes = Buffer.allocUnsafe(p.length * 3);
  let n = 0;
  for (let i = 0; i < p.length; i++) {
    const c = p.charCodeAt(i);
    if (c === 37) {
      const hi = i + 2 < p.length ? hexValue(p.charCodeAt(i + 1)) : -1;
      const lo = hi >= 0 ? hexValue(p.charCodeAt(i + 2)) : -1;
      if (lo < 0) return undefined;
      bytes[n++] = hi * 16 + lo;
      i += 2;
    } else if (c < 0x80) bytes[n++] = c;
    else n += bytes.write(p[i]!, n);
  }
  return bytes.toString('utf8', 0, n);
}

/**
 * nginx's URI normalisation before location matching (ngx_http_parse_complex_uri): the query is
 * dropped, percent-escapes decoded, `//` merged and `.`/`..` segments resolved; undefined where
 * nginx answers 400 Bad Request: an invalid escape (`/%zz`, a truncated `%A`) or `..` above the root.
 */
export function parsePath(uri: string): string | undefined {
  const q = uri.indexOf('?');
  let p = q >= 0 ? uri.slice(0, q) : uri;
  if (p.includes('%')) {
    const decoded = percentDecode(p);
    if (decoded === undefined) return undefined;
    p = decoded;
  }
  if (!p.startsWith('/')) p = '/' + p;
  if (!p.includes('//') && !p.includes('/.')) return p;
  const out: string[] = [];
  const parts = p.split('/');
  for (let i = 1; i < parts.length; i++) {
    const seg = parts[i]!;
    const last = i === parts.length - 1;
    if (seg === '' && !last) continue;
    if (seg === '.') { if (last) out.push(''); continue; }
    if (seg === '..') {
      if (out.length === 0) return undefined;
      out.pop();
      if (last) out.push('');
      continue;
    }
    out.push(seg);
  }
  return '/' + out.join('/');
}

/** parsePath, with `/` for a path nginx would refuse (the proxy answers those 400 before routing). */
export function normalizePath(uri: string): string {
  return parsePath(uri) ?? '/';
}

/** Routes a request: which location of which server serves it, or a redirect, or the default backend. */
export function route(table: RouteTable, hostHeader: string | undefined, uri: string): RouteResult {
  const server = serverFor(table, hostHeader);
  return routeIn(server, normalizePath(uri));
}

/** Picks the location of one server for a normalised path. */
export function routeIn(server: Server, path: string): RouteResult {
  if (server.regexMode) {
    for (const location of server.locations) {
      if (location.match.kind !== 'regex') continue;
      const captures = location.match.test(path);
      if (captures) return { kind: 'location', server, location, captures };
    }
    return { kind: 'default', server };
  }
  let best: Location | undefined;
  for (const location of server.locations) {
    const m = location.match;
    if (m.kind === 'exact') {
      if (m.path === path) return { kind: 'location', server, location };
    } else if (m.kind === 'prefix') {
      if (path.startsWith(m.path) && (!best || m.path.length > best.match.path.length)) best = location;
    }
  }
  // nginx's auto_redirect (a proxied location, exact or prefix, whose name ends in "/"): asked without
  // that slash it answers 301, before any shorter prefix (ngx_http_core_find_static_location).
  for (const location of server.locations) {
    const m = location.match;
    if (m.kind !== 'regex' && m.path.length > 1 && m.path.endsWith('/') && m.path.slice(0, -1) === path) {
      return { kind: 'slash-redirect', server, location, to: m.path };
    }
  }
  return best ? { kind: 'location', server, location: best } : { kind: 'default', server };
}
