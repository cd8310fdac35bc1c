/**
 * The path side of the proxy subresources: which requests are proxy requests, the path sent to the
 * backend (Go's escaping of url.URL.Path), and the rewriting of a backend's `Location` header so a
 * redirect stays under the proxy path (k8s.io/apimachinery pkg/util/proxy/transport.go rewriteURL,
 * with the Transport's scheme and host empty as they are for a request the API server received).
 */
import { posix } from 'node:path';

/** A request to a proxy subresource. */
export interface ProxyRequest {
  resource: 'services' | 'pods' | 'nodes';
  /** Empty for nodes. */
  namespace: string;
  /** The `[scheme:]name[:port]` segment. */
  id: string;
  /** The decoded path after `/proxy` (empty when the request ends at `/proxy`). */
  path: string;
  /** The request path up to and including `/proxy` (the prefix redirects are rewritten under). */
  prefix: string;
}

const NAMESPACED = /^\/api\/v1\/namespaces\/([^/]+)\/(services|pods)\/([^/]+)\/proxy(\/.*)?$/s;
const NODES = /^\/api\/v1\/nodes\/([^/]+)\/proxy(\/.*)?$/s;

/** The proxy request a decoded request path names, if any. */
export function parseProxyPath(path: string): ProxyRequest | undefined {
  const m = NAMESPACED.exec(path);
  if (m) {
    const rest = m[4] ?? '';
    return { resource: m[2] as 'services' | 'pods', namespace: m[1]!, id: m[3]!, path: rest, prefix: path.slice(0, path.length - rest.length) };
  }
  const n = NODES.exec(path);
  if (n) {
    const rest = n[2] ?? '';
    return { resource: 'nodes', namespace: '', id: n[1]!, path: rest, prefix: path.slice(0, path.length - rest.length) };
  }
  return undefined;
}

/** A decoded path escaped as Go's url.URL.EscapedPath does without a RawPath (shouldEscape, encodePath). */
export function escapePath(path: string): string {
  let out = '';
  for (const b of Buffer.from(path, 'utf8')) {
    const c = String.fromCharCode(b);
    out += /[A-Za-z0-9\-._~$&+,/:;=@]/.test(c) ? c : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Go's path.Join of two paths: joined, cleaned, no trailing slash ('' for nothing). */
function joinClean(a: string, b: string): string {
  const j = posix.normalize(`${a}/${b}`);
  return j.length > 1 && j.endsWith('/') ? j.slice(0, -1) : j;
}

/** The X-Forwarded-Uri the backend gets: the proxy prefix joined with the path it is sent. */
export function forwardedUri(prefix: string, escapedPath: string): string {
  const j = joinClean(prefix, escapedPath);
  return escapedPath.endsWith('/') ? `${j}/` : j;
}

const URL_PARTS = /^(?:([A-Za-z][A-Za-z0-9+.-]*):)?(?:\/\/([^/?#]*))?([^?#]*)(\?[^#]*)?(#.*)?$/s;

/**
 * A backend's `Location` as the client gets it: a path on the backend itself (no host, the backend's
 * `ip:port`, or the request's own Host) is moved under `prefix` unless already there; the scheme and
 * host are dropped unless the host was the request's Host; other hosts and relative paths pass.
 */
export function rewriteLocation(location: string, prefix: string, backendHost: string, requestHost: string): string {
  const m = URL_PARTS.exec(location);
  if (!m) return location;
  const [, scheme, host, path = '', query = '', fragment = ''] = m;
  const h = host ?? '';
  if ((h !== '' && h !== backendHost && h !== requestHost) || !path.startsWith('/')) return location;
  const keepOrigin = h !== '' && h === requestHost;
  const origin = keepOrigin ? `${scheme ? `${scheme}:` : ''}//${h}` : '';
  if (path.startsWith(prefix)) return `${origin}${path}${query}${fragment}`;
  const joined = joinClean(prefix, path) + (path.endsWith('/') ? '/' : '');
  return `${origin}${joined}${query}${fragment}`;
}
