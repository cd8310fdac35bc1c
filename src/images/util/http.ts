/**
 * HTTP servers on the virtual network: Node's own HTTP/1.1 implementation (an `http.Server` that is
 * never bound) fed with virtual connections, and responses shaped like Go's net/http.
 */
import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Writable } from 'node:stream';
import type { Conn, NetStack } from '../../net/types.js';
import { closeSilentConnections } from '../../net/idle.js';
import { goLog } from './proc.js';

/** A running virtual HTTP server. */
export interface VirtualHttpServer { readonly server: http.Server; close(): void }

/** Gives a Conn the socket address properties Node's HTTP code and handlers read. */
export function decorateConn(conn: Conn): Conn {
  const props: Record<string, () => unknown> = {
    remoteAddress: () => conn.remote.ip, remotePort: () => conn.remote.port,
    localAddress: () => conn.local.ip, localPort: () => conn.local.port, remoteFamily: () => 'IPv4',
  };
  for (const [k, get] of Object.entries(props)) {
    if ((conn as unknown as Record<string, unknown>)[k] === undefined) Object.defineProperty(conn, k, { get, configurable: true });
  }
  return conn;
}

/**
 * When a server closes idle connections: silence before the first request, and between requests.
 * Absent (Go's net/http defaults, which the Go images keep): never.
 */
export interface HttpIdleTimeouts { firstRequestMs: number; keepAliveMs: number }

/** nginx's defaults: client_header_timeout 60 s, keepalive_timeout 75 s. */
export const NGINX_IDLE: HttpIdleTimeouts = { firstRequestMs: 60_000, keepAliveMs: 75_000 };
/** Apache httpd's defaults: mod_reqtimeout's header=20, KeepAliveTimeout 5. */
export const HTTPD_IDLE: HttpIdleTimeouts = { firstRequestMs: 20_000, keepAliveMs: 5_000 };

/** Serves HTTP on a port of the stack; throws the stack's NetError (EADDRINUSE) when taken. */
export function serveHttp(net: NetStack, port: number, handler: (req: IncomingMessage, res: ServerResponse) => void,
  onClientError?: (err: Error, conn: Conn) => void, idle?: HttpIdleTimeouts): VirtualHttpServer {
  const server = http.createServer({ keepAliveTimeout: 0, requestTimeout: 0, headersTimeout: 0 } as http.ServerOptions, handler);
  server.keepAliveTimeout = 0;
  if (idle) closeSilentConnections(server, idle.firstRequestMs, { keepAliveMs: idle.keepAliveMs });
  const conns = new Set<Conn>();
  server.on('clientError', (err: Error, socket) => {
    const c = socket as unknown as Conn;
    if (onClientError && (err as { code?: string }).code !== 'ECONNRESET' && c.writable) onClientError(err, c);
    else c.destroy();
  });
  const listener = net.listen(port, (conn) => {
    decorateConn(conn);
    conns.add(conn);
    conn.on('close', () => conns.delete(conn));
    conn.on('error', () => conns.delete(conn));
    server.emit('connection', conn);
  });
  return {
    server,
    close() {
      listener.close();
      for (const c of conns) c.destroy();
      conns.clear();
    },
  };
}

/** `ip:port` of the peer as Go's `r.RemoteAddr`. */
export function remoteAddr(req: IncomingMessage): string {
  return `${req.socket.remoteAddress ?? ''}:${req.socket.remotePort ?? 0}`;
}

/** Canonicalizes a header name as Go does (`x-app-name` → `X-App-Name`). */
export function canonicalHeader(name: string): string {
  return name.toLowerCase().replace(/(^|-)([a-z])/g, (_m, d: string, c: string) => d + c.toUpperCase());
}

/** Go's http.DetectContentType, for the cases our programs produce. */
export function sniffContentType(body: Buffer): string {
  const head = body.subarray(0, 512).toString('latin1').replace(/^[\t\n\f\r ]+/, '').toLowerCase();
  if (/^(<!doctype html|<html|<head|<body|<script|<iframe|<h1|<div|<font|<table|<a|<style|<title|<b|<br|<p|<!--)[ >]/.test(head)) return 'text/html; charset=utf-8';
  if (head.startsWith('<?xml')) return 'text/xml; charset=utf-8';
  for (const b of body.subarray(0, 512)) if (b < 0x09 || (b > 0x0d && b < 0x20 && b !== 0x1b)) return 'application/octet-stream';
  return 'text/plain; charset=utf-8';
}

/** Writes a complete response the way Go's net/http does: handler headers sorted, then Date, Content-Length, Content-Type. */
export function goReply(req: IncomingMessage, res: ServerResponse, status: number, body: string | Buffer, headers: Record<string, string> = {}): void {
  const buf = typeof body === 'string' ? Buffer.from(body) : body;
  const own = Object.entries(headers).map(([k, v]) => [canonicalHeader(k), v] as [string, string]).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const out: [string, string][] = [...own.filter(([k]) => k !== 'Content-Length' && k !== 'Date')];
  out.push(['Date', new Date().toUTCString()]);
  const bodyAllowed = !(status >= 100 && status < 200) && status !== 204 && status !== 304;
  if (bodyAllowed) out.push(['Content-Length', String(buf.length)]);
  if (bodyAllowed && buf.length > 0 && !own.some(([k]) => k === 'Content-Type')) out.push(['Content-Type', sniffContentType(buf)]);
  res.sendDate = false;
  res.removeHeader('Connection');
  if (!res.shouldKeepAlive || /\bclose\b/i.test(String(req.headers.connection ?? ''))) {
    if (req.httpVersion !== '1.0') out.push(['Connection', 'close']);
    res.shouldKeepAlive = false;
  } else if (req.httpVersion === '1.0') {
    out.push(['Connection', 'keep-alive']);
  }
  res.writeHead(status, http.STATUS_CODES[status] ?? 'status code ' + status, out.flat());
  res.end(req.method === 'HEAD' ? undefined : buf);
}

/** Go's http.Error: text/plain body with a newline and nosniff. */
export function goError(req: IncomingMessage, res: ServerResponse, msg: string, status: number): void {
  goReply(req, res, status, msg + '\n', { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' });
}

/** Go's answer to a malformed request before closing the connection. */
export function goBadRequest(_err: Error, conn: Conn): void {
  conn.end('HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n400 Bad Request');
}

/** Logs an error the way a Go program's log.Fatal would, returning its exit code. */
export function goFatal(stderr: Writable, msg: string): number {
  goLog(stderr, msg);
  return 1;
}
