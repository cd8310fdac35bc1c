/**
 * The API server's listener limits, as kube-apiserver's secure serving sets them
 * (k8s.io/apiserver/pkg/server/secure_serving.go): a connection idle between requests closes after
 * 90 s (IdleTimeout), headers must arrive within 32 s (ReadHeaderTimeout, which Go's TLS handshake
 * and the wait for a first request also get); plus a cap on connections served at once, so idle
 * clients cannot take every descriptor of the process.
 */
import type https from 'node:https';
import { closeSilentConnections } from '../net/idle.js';

/** Idle time between requests before a connection is closed (IdleTimeout). */
export const IDLE_TIMEOUT_MS = 90_000;
/** Time for a TLS handshake, a first request and each request's headers (ReadHeaderTimeout). */
export const READ_HEADER_TIMEOUT_MS = 32_000;
/** How often the connection cap is reported while it refuses connections. */
export const CAP_REPORT_MS = 60_000;

/** The limits to apply. */
export interface ListenerLimits {
  /** Connections served at once; more are closed as they come (absent: no cap). */
  maxConnections?: number;
  /** Whether the server takes upgrades (exec, port-forward): they clear the first-request timer too. */
  upgrades: boolean;
  log(line: string): void;
  /** ReadHeaderTimeout in ms (tests shorten it; the TLS handshake timeout is set at creation, with tlsLimits). */
  readHeaderTimeoutMs?: number;
}

/** The TLS options these limits need at creation. */
export const tlsLimits = { handshakeTimeout: READ_HEADER_TIMEOUT_MS };

/** Applies the timeouts and the cap (Node closes extra connections at accept; a line says so once a minute) and keeps accept errors (EMFILE) from crashing the process. */
export function limitListener(server: https.Server, o: ListenerLimits): void {
  const readHeader = o.readHeaderTimeoutMs ?? READ_HEADER_TIMEOUT_MS;
  server.keepAliveTimeout = IDLE_TIMEOUT_MS;
  server.headersTimeout = readHeader;
  closeSilentConnections(server, readHeader, { connectionEvent: 'secureConnection', upgrades: o.upgrades });
  const max = o.maxConnections;
  if (max) {
    server.maxConnections = max;
    let last = -Infinity;
    let dropped = 0;
    server.on('drop', () => {
      dropped++;
      if (Date.now() - last < CAP_REPORT_MS) return;
      last = Date.now();
      o.log(`api server: refusing new connections: ${max} are open, as many as this process's descriptors allow (${dropped} refused since the last such message; raise the open-files limit, ulimit -n, to allow more)`);
      dropped = 0;
    });
  }
  server.on('error', (e: NodeJS.ErrnoException) => { if (server.listening) o.log(`api server: ${e.code ?? 'error'}: ${e.message}`); });
}
