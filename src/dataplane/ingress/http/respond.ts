/**
 * Writing responses of either protocol: the proxy's own pages and the headers every response
 * carries (middleware extras such as CORS and Set-Cookie, HSTS on HTTPS, `Server` only with
 * server tokens).
 */
import type { ServerResponse } from 'node:http';
import type { Http2ServerResponse } from 'node:http2';
import type { Exchange } from './exchange.js';
import { errorPage, hasPage, reason } from './pages.js';

/** Appends the headers every response carries to a flat header list. */
export function commonHeaders(ex: Exchange, out: string[]): string[] {
  for (const h of ex.headers) out.push(h);
  const g = ex.global;
  if (ex.https && g.hsts) {
    out.push('Strict-Transport-Security', `max-age=${g.hstsMaxAge}${g.hstsIncludeSubdomains ? '; includeSubDomains' : ''}${g.hstsPreload ? '; preload' : ''}`);
  }
  if (g.serverTokens) out.push('Server', 'nginx');
  return out;
}

/** Starts a response of either protocol with a flat header list. */
export function writeHead(ex: Exchange, status: number, headers: string[]): void {
  ex.status = status;
  ex.answered = true;
  if (ex.req.httpVersionMajor === 2) {
    (ex.res as Http2ServerResponse).writeHead(status, headers as unknown as Record<string, string>);
    return;
  }
  const res = ex.res as ServerResponse;
  // nginx says `Connection: keep-alive` but no `Keep-Alive: timeout=…` (ingress-nginx sets no
  // keepalive_timeout header_timeout); Node adds one whenever its server has a keepAliveTimeout,
  // and takes it from this per-response copy of it (the idle timer uses the server's own value).
  (res as unknown as { _keepAliveTimeout: number })._keepAliveTimeout = 0;
  // keep-alive-requests: nginx closes after the last allowed request; Node's maxRequestsPerSocket
  // only says `Connection: close` and keeps the socket open (answering 503 to further requests).
  if ((res as unknown as { maxRequestsOnConnectionReached?: boolean }).maxRequestsOnConnectionReached) res.shouldKeepAlive = false;
  res.writeHead(status, reason(status), headers);
}

/** Options of a generated response. */
export interface PageOptions {
  /** `Location` of a redirect. */
  location?: string;
  /** nginx's special 400 texts (`Request Header Or Cookie Too Large`). */
  detail?: string;
  /** Close the client connection afterwards (nginx does after 400/408/413/414). */
  close?: boolean;
  headers?: string[];
}

/** Answers with nginx's own page for the status (empty body for 2xx). */
export function sendPage(ex: Exchange, status: number, o: PageOptions = {}): void {
  if (ex.answered) return;
  const body = hasPage(status) ? errorPage(status, o.detail) : undefined;
  const headers: string[] = o.headers ? o.headers.slice() : [];
  if (body) headers.push('Content-Type', 'text/html', 'Content-Length', String(body.length));
  else if (status !== 204 && status !== 304) headers.push('Content-Length', '0');
  if (o.location !== undefined) headers.push('Location', o.location);
  commonHeaders(ex, headers);
  if (o.close && ex.req.httpVersionMajor === 1) {
    headers.push('Connection', 'close');
    (ex.res as ServerResponse).shouldKeepAlive = false;
  }
  writeHead(ex, status, headers);
  const head = ex.req.method === 'HEAD';
  if (body && !head) ex.bodyBytesSent = body.length;
  if (body && !head) ex.res.end(body);
  else ex.res.end();
}
