/**
 * Connections that never send a request. Node's HTTP server times a connection out only once a
 * request has begun (headersTimeout) or after a response (keepAliveTimeout), so a client that
 * connects and stays silent keeps its descriptor for ever. Real servers close it: nginx after
 * client_header_timeout (60 s), kube-apiserver after ReadHeaderTimeout (32 s), Apache httpd after
 * mod_reqtimeout's header timeout (20 s).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';

/** A socket with net.Socket's idle timer (real sockets and the virtual Conn have one). */
interface Timed { setTimeout(ms: number): unknown }

/** The server side of this: its connection event, and its requests. */
interface ServerLike {
  on(event: 'request', fn: (req: IncomingMessage, res: ServerResponse) => void): unknown;
  on(event: string, fn: (socket: Duplex) => void): unknown;
}

/** Where the timer is set, whether upgrade requests clear it too, and an idle time between requests. */
export interface SilenceOptions {
  connectionEvent?: 'connection' | 'secureConnection';
  /** Upgrade requests (which a server with an 'upgrade' handler takes over) clear the timer too. */
  upgrades?: boolean;
  /**
   * Stop counting at the first byte, leaving a started request to the server's header timeout (which
   * answers 408). Only for sockets read through 'data' events (virtual connections): Node's server
   * reads real and TLS sockets natively, and a 'data' listener there would interfere.
   */
  untilFirstByte?: boolean;
  /** Idle time after each response, set here rather than as Node's keepAliveTimeout, which adds a `Keep-Alive: timeout=` header real servers do not send. */
  keepAliveMs?: number;
}

/**
 * Gives each new connection `ms` (or `ms(socket)`, read when it connects; 0: no limit) of silence before it is closed; the first
 * request clears it (the server's keep-alive timeout then applies between requests). The socket's
 * 'timeout' is left to Node's HTTP server, which destroys a connection nobody else handles. Pass
 * `upgrades` only for a server that handles 'upgrade' (a listener there changes how Node treats them).
 */
export function closeSilentConnections(server: ServerLike, ms: number | ((socket: Duplex) => number), o: SilenceOptions = {}): void {
  server.on(o.connectionEvent ?? 'connection', (socket: Duplex) => {
    const t = typeof ms === 'number' ? ms : ms(socket);
    if (t <= 0) return;
    (socket as Duplex & Timed).setTimeout(t);
    if (o.untilFirstByte) socket.once('data', () => (socket as Duplex & Timed).setTimeout(0));
  });
  const clear = (req: IncomingMessage): void => {
    // HTTP/2 requests share their session's socket, whose idle time the session manages.
    if (req.httpVersionMajor < 2) (req.socket as IncomingMessage['socket'] & Timed).setTimeout(0);
  };
  server.on('request', clear);
  const keepAlive = o.keepAliveMs;
  if (keepAlive) {
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      res.once('finish', () => { if (!req.socket.destroyed) (req.socket as IncomingMessage['socket'] & Timed).setTimeout(keepAlive); });
    });
  }
  if (o.upgrades) server.on('upgrade', clear as (s: unknown) => void);
}
