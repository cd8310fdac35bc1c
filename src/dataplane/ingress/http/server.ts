/**
 * The ingress controller's HTTP proxy: HTTP on `httpPort` and HTTPS (SNI, ALPN h2 + http/1.1) on
 * `httpsPort` of the controller pod's virtual stack, serving the live RouteTable with
 * ingress-nginx's behaviour (see handler.ts), and refusing hostile clients as nginx does:
 * header timeout → 408, oversized request line/headers → 414/400, smuggling or bad chunked
 * encoding → 400, all closing the connection, and a bound on concurrent connections. The
 * ConfigMap's listener keys (keep-alive, keep-alive-requests, client-header/body-timeout,
 * large-client-header-buffers) follow the live table, as an nginx reload applies them to new
 * connections and requests; HTTP/2 sessions close after keep-alive idle (no open stream) or
 * keep-alive-requests streams, and allow 128 concurrent streams (http2_max_concurrent_streams).
 */
import http from 'node:http';
import http2 from 'node:http2';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import type { Conn, Listener, NetStack } from '../../../net/types.js';
import { closeSilentConnections } from '../../../net/idle.js';
import type { GlobalConfig, RouteSource } from '../model.js';
import type { ProxyContext } from './context.js';
import { IngressHandler } from './handler.js';
import { errorPage, rawErrorResponse } from './pages.js';
import { acceptTls } from './tls.js';
import { upgradeProxier, upgradeResponse } from './websocket.js';

/** Options of the ingress proxy (CONTRACTS.md §2). */
export interface IngressServerOptions {
  /** The controller pod's stack: listens on httpPort/httpsPort there and dials upstreams from it (so NetworkPolicy sees the pod). */
  net: NetStack;
  routes: RouteSource;
  httpPort: number;
  httpsPort: number;
  /** One access-log line per request in ingress-nginx's format (written to the container's stdout). */
  accessLog(line: string): void;
  /** Error-log lines (nginx error.log style) for the container's stderr. */
  errorLog(line: string): void;
  random?: () => number;
  now?: () => number;
  /** Concurrent connections per listener before new ones are refused (nginx's worker_connections, 16384). */
  maxConnections?: number;
}

/** A running ingress proxy. */
export interface IngressServer { close(): void }

/** Node's parser error codes, mapped to nginx's answer. */
function clientErrorStatus(err: Error & { code?: string; rawPacket?: Buffer }, max: number): { status: number; detail?: string } {
  if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT' || err.code === 'ERR_HTTP_HEADERS_TIMEOUT') return { status: 408 };
  if (err.code === 'HPE_HEADER_OVERFLOW') {
    const raw = err.rawPacket;
    const eol = raw ? raw.indexOf('\r\n') : -1;
    if (eol < 0 || eol > max) return { status: 414 };
    return { status: 400, detail: 'Request Header Or Cookie Too Large' };
  }
  return { status: 400 };
}

/** The settings of Node's HTTP/1.x servers this proxy sets from the route table. */
interface ServerKnobs { connectionsCheckingInterval: number; emit(event: 'listening'): boolean }

/**
 * nginx's HTTP/2 connection limits: client-header-timeout until the first stream, keep-alive
 * (keepalive_timeout) once no stream is open, and GOAWAY after keep-alive-requests streams.
 */
function http2Timeouts(session: http2.ServerHttp2Session, g: GlobalConfig): void {
  let open = 0;
  let streams = 0;
  let timer: NodeJS.Timeout | undefined;
  const idle = (ms: number): void => {
    clearTimeout(timer);
    timer = setTimeout(() => session.close(), ms);
    timer.unref();
  };
  idle(g.clientHeaderTimeoutMs);
  session.on('stream', (stream) => {
    clearTimeout(timer);
    open++;
    if (++streams >= g.keepAliveRequests) session.close();
    stream.once('close', () => { if (--open === 0 && !session.closed) idle(g.keepAliveMs); });
  });
  session.once('close', () => clearTimeout(timer));
}

/** Starts the proxy; throws the stack's NetError EADDRINUSE when a port is taken. */
export function serveIngress(o: IngressServerOptions): IngressServer {
  const ctx: ProxyContext = {
    net: o.net, httpPort: o.httpPort, httpsPort: o.httpsPort,
    random: o.random ?? Math.random, now: o.now ?? Date.now, errorLog: o.errorLog,
  };
  const handler = new IngressHandler(ctx, o.routes, o.accessLog);
  const onClientError = (err: Error & { code?: string; rawPacket?: Buffer }, socket: Duplex): void => {
    // A response already started (a request whose body turned out malformed): nothing more can be said.
    const busy = (socket as { _httpMessage?: { headersSent: boolean } })._httpMessage;
    if (err.code === 'ECONNRESET' || !socket.writable || busy?.headersSent) { socket.destroy(); return; }
    const g = o.routes.current().global;
    const maxHeader = g.largeHeaderBufferBytes;
    const { status, detail } = clientErrorStatus(err, maxHeader);
    socket.end(rawErrorResponse(status, detail));
    setTimeout(() => socket.destroy(), 1000).unref();
    // Parse errors come as the bytes arrive; a header timeout began that long ago.
    const now = ctx.now();
    handler.logRefused({
      clientIp: (socket as Partial<Socket>).remoteAddress ?? '-', raw: err.rawPacket, maxLine: maxHeader, status, bodyBytesSent: errorPage(status, detail).length,
      start: status === 408 ? now - g.clientHeaderTimeoutMs : now,
    });
  };

  const plain = http.createServer({ requestTimeout: 0, insecureHTTPParser: false }, (req, res) => handler.handle(req, res, false, o.httpPort));
  plain.on('clientError', onClientError);
  plain.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    handler.handle(req, upgradeResponse(req, socket), false, o.httpPort, upgradeProxier(head));
  });

  const secure = http2.createSecureServer({ allowHTTP1: true, maxSessionMemory: 64, settings: { maxConcurrentStreams: 128 } },
    (req, res) => handler.handle(req, res, true, o.httpsPort));
  secure.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    handler.handle(req, upgradeResponse(req, socket), true, o.httpsPort, upgradeProxier(head));
  });
  secure.on('clientError' as 'session', onClientError as never);
  secure.on('session', (session) => http2Timeouts(session, o.routes.current().global));
  // A connection that sends no request closes after client-header-timeout, as nginx's does (HTTP/2 sessions: http2Timeouts).
  const headerTimeout = (): number => o.routes.current().global.clientHeaderTimeoutMs;
  closeSilentConnections(plain, headerTimeout, { upgrades: true, untilFirstByte: true });
  closeSilentConnections(secure, (t) => ((t as TLSSocket).alpnProtocol === 'h2' ? 0 : headerTimeout()), { connectionEvent: 'secureConnection', upgrades: true });

  // The HTTP/1.x servers (plain, and HTTPS with allowHTTP1) read these per connection or request;
  // Node's header-timeout checks start (again) on 'listening': the servers themselves are never bound.
  const configure = (g: GlobalConfig): void => {
    const interval = Math.min(5000, Math.max(50, Math.floor(g.clientHeaderTimeoutMs / 4)));
    for (const srv of [plain, secure] as unknown as ServerKnobs[]) {
      Object.assign(srv, { headersTimeout: g.clientHeaderTimeoutMs, requestTimeout: 0, keepAliveTimeout: g.keepAliveMs, maxHeaderSize: g.largeHeaderBufferBytes * 4, maxRequestsPerSocket: g.keepAliveRequests });
      if (srv.connectionsCheckingInterval !== interval) {
        srv.connectionsCheckingInterval = interval;
        srv.emit('listening');
      }
    }
  };
  configure(o.routes.current().global);
  const unsubscribe = o.routes.subscribe((t) => configure(t.global));

  const max = o.maxConnections ?? 16_384;
  const listeners: Listener[] = [];
  const conns = new Set<Conn>();
  const accept = (port: number, onConn: (c: Conn) => void): void => {
    let count = 0;
    let warned = false;
    listeners.push(o.net.listen(port, (conn) => {
      if (count >= max) {
        if (!warned) o.errorLog(`${max} worker_connections are not enough while accepting new connections on 0.0.0.0:${port}`);
        warned = true;
        conn.destroy();
        return;
      }
      count++;
      conns.add(conn);
      conn.once('close', () => { count--; conns.delete(conn); if (count < max) warned = false; });
      conn.on('error', () => conn.destroy());
      onConn(conn);
    }, { hostSockets: true }));
  };
  accept(o.httpPort, (conn) => plain.emit('connection', conn));
  try {
    accept(o.httpsPort, (conn) => acceptTls(conn, o.routes, o.routes.current().global.clientHeaderTimeoutMs, (t) => {
      (t as unknown as { server: unknown }).server = secure;
      secure.emit('secureConnection', t);
    }));
  } catch (err) {
    for (const l of listeners) l.close();
    throw err;
  }
  return {
    close() {
      unsubscribe();
      for (const l of listeners) l.close();
      for (const c of conns) c.destroy();
      plain.close();
      secure.close();
      handler.close();
    },
  };
}
