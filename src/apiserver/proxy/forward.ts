/**
 * Forwarding one proxy request to its backend as kube-apiserver's UpgradeAwareHandler does
 * (k8s.io/apimachinery pkg/util/proxy/upgradeaware.go over Go's httputil.ReverseProxy): the method,
 * headers minus hop-by-hop ones (Authorization was consumed by authentication), the body and the raw
 * query go to the backend over the virtual network; X-Forwarded-For gets the client and
 * X-Forwarded-Uri the proxy path; the answer streams back with backpressure, its `Location`
 * and the links of an HTML page (html.ts) rewritten under the proxy path, its CORS headers removed.
 * A failure before the answer is a 503 Status `error trying to reach service: …` in Go's words.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { pipeline, type Duplex, type Transform } from 'node:stream';
import zlib from 'node:zlib';
import tls from 'node:tls';
import { NetError } from '../../net/types.js';
import { closeWithTls } from '../../net/tls.js';
import type { ProxyLocation } from './location.js';
import { serviceUnavailable } from './location.js';
import { forwardedUri, rewriteLocation } from './paths.js';
import { HtmlLinkRewriter } from './html.js';

/** How long a dial may take (the API server's proxy dialer: 30 s). */
export const DIAL_TIMEOUT_MS = 30_000;
/** How long a proxied exchange may go without any bytes either way before both sides are closed (knet's bound). */
export const IDLE_TIMEOUT_MS = 5 * 60_000;

/** Opens a connection to a backend over the virtual network (rejects with NetError). */
export type Dialer = (ip: string, port: number, timeoutMs: number) => Promise<Duplex>;

const HOP_BY_HOP = ['connection', 'proxy-connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade'];
const CORS = ['access-control-allow-credentials', 'access-control-allow-headers', 'access-control-allow-methods', 'access-control-allow-origin'];

/** Go's dial error text for a failed virtual dial. */
export function dialErrorText(e: unknown, ip: string, port: number): string {
  const addr = `${ip}:${port}`;
  if (e instanceof NetError) {
    switch (e.code) {
      case 'ECONNREFUSED': return `dial tcp ${addr}: connect: connection refused`;
      case 'ETIMEDOUT': return `dial tcp ${addr}: i/o timeout`;
      case 'EHOSTUNREACH': return `dial tcp ${addr}: connect: no route to host`;
      case 'ENETUNREACH': return `dial tcp ${addr}: connect: network is unreachable`;
      default: return `dial tcp ${addr}: connect: ${e.message}`;
    }
  }
  return `dial tcp ${addr}: ${e instanceof Error ? e.message : String(e)}`;
}

/** Dials the backend, wrapping it in TLS without verification for `https:` (as upstream's proxy transport). */
export async function dialBackend(dial: Dialer, loc: ProxyLocation): Promise<Duplex> {
  let conn: Duplex;
  try {
    conn = await dial(loc.ip, loc.port, DIAL_TIMEOUT_MS);
  } catch (e) {
    throw serviceUnavailable(`error trying to reach service: ${dialErrorText(e, loc.ip, loc.port)}`);
  }
  if (loc.scheme !== 'https') return conn;
  const t = tls.connect({ socket: conn as unknown as Socket, rejectUnauthorized: false, ALPNProtocols: ['http/1.1'] });
  closeWithTls(t, conn);
  return await new Promise<Duplex>((resolve, reject) => {
    t.once('secureConnect', () => { t.removeAllListeners('error'); resolve(t); });
    t.once('error', (e) => { conn.destroy(); reject(serviceUnavailable(`error trying to reach service: ${e.message}`)); });
  });
}

/**
 * The request headers the backend gets: hop-by-hop ones (and those Connection names), Authorization and
 * Impersonate-* dropped (kube-apiserver's authentication and impersonation filters remove them), X-Forwarded-For appended.
 */
export function backendHeaders(req: IncomingMessage, upgrade: boolean): Record<string, string | string[]> {
  const named = String(req.headers.connection ?? '').split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  const drop = new Set(['authorization', ...(upgrade ? [] : [...HOP_BY_HOP, ...named])]);
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined && !drop.has(k) && !k.startsWith('impersonate-')) out[k] = v;
  const client = req.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '';
  const prior = req.headers['x-forwarded-for'];
  if (client) out['x-forwarded-for'] = prior ? `${Array.isArray(prior) ? prior.join(', ') : prior}, ${client}` : client;
  return out;
}

/** Why a request failed after it was sent, in Go's transport's words. */
function readErrorText(e: NodeJS.ErrnoException, conn: Duplex): string {
  if (e.code === 'ECONNRESET' && e.message === 'socket hang up') return 'EOF';
  const c = conn as Partial<{ local: { ip: string; port: number }; remote: { ip: string; port: number } }>;
  if (e.code === 'ECONNRESET' && c.local && c.remote) return `read tcp ${c.local.ip}:${c.local.port}->${c.remote.ip}:${c.remote.port}: read: connection reset by peer`;
  return e.message;
}

/**
 * The streams that rewrite links of an HTML answer (undefined when none is needed): only a
 * `text/html` answer without `Location`, decompressed and compressed again for gzip and deflate;
 * another encoding passes as it is (upstream logs that it cannot fix the links).
 */
function htmlStages(ures: IncomingMessage): ((rewrite: (url: string) => string) => Transform[]) | undefined {
  if (ures.headers.location !== undefined) return undefined;
  if (String(ures.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase() !== 'text/html') return undefined;
  const enc = String(ures.headers['content-encoding'] ?? '').trim().toLowerCase();
  if (enc === '') return (rw) => [new HtmlLinkRewriter(rw)];
  if (enc === 'gzip') return (rw) => [zlib.createGunzip(), new HtmlLinkRewriter(rw), zlib.createGzip()];
  // Upstream reads and writes `deflate` as raw DEFLATE (Go's compress/flate), not the zlib wrapping.
  if (enc === 'deflate') return (rw) => [zlib.createInflateRaw(), new HtmlLinkRewriter(rw), zlib.createDeflateRaw()];
  return undefined;
}

/** What `forward` needs besides the request. */
export interface ForwardTarget {
  loc: ProxyLocation;
  /** The decoded path after `/proxy`. */
  path: string;
  /** The request path up to and including `/proxy`. */
  prefix: string;
  /** The raw query string (without `?`). */
  rawQuery: string;
  /** The escaped path sent to the backend. */
  escapedPath: string;
}

/** Sends the request to the backend on `conn` and streams the answer back; rejects (before any answer) with a 503 Status. */
export function forward(conn: Duplex, t: ForwardTarget, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const headers = backendHeaders(req, false);
  headers['x-forwarded-uri'] = forwardedUri(t.prefix, t.escapedPath);
  const target = (t.escapedPath || '/') + (t.rawQuery ? `?${t.rawQuery}` : '');
  return new Promise<void>((resolve, reject) => {
    const ureq = http.request({ createConnection: () => conn as Socket, method: req.method, path: target, headers, setHost: false });
    ureq.setTimeout(IDLE_TIMEOUT_MS, () => ureq.destroy(new Error('net/http: timeout awaiting response headers')));
    ureq.on('error', (e: NodeJS.ErrnoException) => {
      if (!res.headersSent) reject(serviceUnavailable(`error trying to reach service: ${readErrorText(e, conn)}`));
      else { res.destroy(); resolve(); }
    });
    ureq.on('response', (ures) => {
      const rewrite = (url: string): string => rewriteLocation(url, t.prefix, `${t.loc.ip}:${t.loc.port}`, req.headers.host ?? '');
      const html = htmlStages(ures);
      const out: string[] = [];
      const named = String(ures.headers.connection ?? '').split(',').map((s) => s.trim().toLowerCase());
      for (let i = 0; i < ures.rawHeaders.length; i += 2) {
        const k = ures.rawHeaders[i]!;
        const lk = k.toLowerCase();
        if (HOP_BY_HOP.includes(lk) || named.includes(lk) || CORS.includes(lk) || (html && lk === 'content-length')) continue;
        out.push(k, lk === 'location' ? rewrite(ures.rawHeaders[i + 1]!) : ures.rawHeaders[i + 1]!);
      }
      res.writeHead(ures.statusCode ?? 502, ures.statusMessage, out);
      ures.on('aborted', () => res.destroy());
      pipeline([ures, ...(html ? html(rewrite) : []), res], () => resolve());
    });
    res.on('close', () => { if (!res.writableFinished) { ureq.destroy(); conn.destroy(); resolve(); } });
    req.pipe(ureq);
  });
}
