/**
 * Client address and the headers sent upstream as ingress-nginx sets them (ingress-notes §4):
 * `X-Real-IP`, `X-Forwarded-*`, `X-Request-ID`, the httpoxy `Proxy` header removed, hop-by-hop
 * headers dropped; with `use-forwarded-headers` the incoming `X-Forwarded-*` are trusted.
 */
import { randomFillSync } from 'node:crypto';
import type { Exchange } from './exchange.js';

/** Request headers never forwarded as they came (hop-by-hop, httpoxy, or rewritten by the proxy). */
const DROP = new Set([
  'connection', 'keep-alive', 'proxy-connection', 'proxy', 'te', 'upgrade', 'transfer-encoding', 'host',
  'x-real-ip', 'x-forwarded-for', 'x-forwarded-host', 'x-forwarded-port', 'x-forwarded-proto',
  'x-forwarded-scheme', 'x-scheme', 'x-request-id', 'x-original-forwarded-for', 'x-original-forwarded-host',
  'x-forwarded-prefix',
]);

/** The first entry of a comma list header. */
function first(v: string | string[] | undefined): string | undefined {
  if (v === undefined) return undefined;
  const s = Array.isArray(v) ? v[0] ?? '' : v;
  const comma = s.indexOf(',');
  return (comma >= 0 ? s.slice(0, comma) : s).trim() || undefined;
}

function joined(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v.join(', ') : v;
}

/** Applies real-IP processing: with `use-forwarded-headers` the left-most forwarded-for entry is the client. */
export function resolveClient(ex: Exchange): void {
  const g = ex.global;
  if (!g.useForwardedHeaders) return;
  const fwd = first(ex.req.headers[g.forwardedForHeader.toLowerCase()]);
  if (fwd) ex.clientIp = fwd;
}

/** Random request ids (`$req_id`: 32 hex digits), drawn from a pooled buffer. */
export class RequestIds {
  private pool = Buffer.alloc(4096);
  private at = this.pool.length;

  next(): string {
    if (this.at + 16 > this.pool.length) {
      randomFillSync(this.pool);
      this.at = 0;
    }
    const id = this.pool.toString('hex', this.at, this.at + 16);
    this.at += 16;
    return id;
  }
}

/** The Host the client asked for (trusted first `X-Forwarded-Host` with `use-forwarded-headers`). */
export function requestHost(ex: Exchange): string {
  if (ex.global.useForwardedHeaders) {
    const fh = first(ex.req.headers['x-forwarded-host']);
    if (fh) return fh;
  }
  return ex.host;
}

/** The scheme the client used (trusted `X-Forwarded-Proto` with `use-forwarded-headers`). */
export function requestScheme(ex: Exchange): string {
  if (ex.global.useForwardedHeaders) {
    const p = first(ex.req.headers['x-forwarded-proto']);
    if (p) return p.toLowerCase();
  }
  return ex.scheme;
}

/** The headers of the upstream request as a flat list (`rawHeaders` order kept for the client's own). */
export function upstreamHeaders(ex: Exchange, opts: { upgrade: boolean; dropAuthorization: boolean; prefix?: string }): string[] {
  const req = ex.req;
  const h = req.headers;
  const g = ex.global;
  const raw = req.rawHeaders;
  const out: string[] = [];
  const loc = ex.location;
  const host = loc?.config.upstreamVhost ?? requestHost(ex);
  out.push('Host', host);
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    if (name.charCodeAt(0) === 58) continue; // HTTP/2 pseudo-headers
    const lower = name.toLowerCase();
    if (DROP.has(lower)) continue;
    if (opts.dropAuthorization && lower === 'authorization') continue;
    if (lower === g.forwardedForHeader.toLowerCase()) continue;
    out.push(name, raw[i + 1]!);
  }
  if (h['transfer-encoding'] !== undefined) out.push('Transfer-Encoding', 'chunked');
  if (opts.upgrade) out.push('Connection', 'upgrade', 'Upgrade', String(h.upgrade));
  out.push('X-Request-ID', ex.requestId, 'X-Real-IP', ex.clientIp);
  const incomingFor = joined(h[g.forwardedForHeader.toLowerCase()]);
  const peer = req.socket.remoteAddress ?? '';
  if (g.computeFullForwardedFor && incomingFor) out.push('X-Forwarded-For', `${incomingFor}, ${peer}`);
  else out.push('X-Forwarded-For', ex.clientIp);
  out.push('X-Forwarded-Host', requestHost(ex));
  const trusted = g.useForwardedHeaders;
  out.push('X-Forwarded-Port', (trusted && first(h['x-forwarded-port'])) || String(ex.port));
  const scheme = requestScheme(ex);
  out.push('X-Forwarded-Proto', scheme, 'X-Forwarded-Scheme', scheme, 'X-Scheme', scheme);
  if (incomingFor) out.push('X-Original-Forwarded-For', incomingFor);
  const incomingHost = joined(h['x-forwarded-host']);
  if (incomingHost) out.push('X-Original-Forwarded-Host', incomingHost);
  if (opts.prefix) out.push('X-Forwarded-Prefix', opts.prefix);
  return out;
}

/** The port in a Host header, if any. */
export function hostPort(host: string): string | undefined {
  const close = host.lastIndexOf(']');
  const colon = host.lastIndexOf(':');
  return colon > close ? host.slice(colon + 1) : undefined;
}
