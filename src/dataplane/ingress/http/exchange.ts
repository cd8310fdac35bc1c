/**
 * One request through the proxy: what the middleware reads (route, client, scheme) and what it
 * leaves for the response and the access log. Fields are plain and initialised up front so every
 * request has the same object shape (the hot path stays monomorphic).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Http2ServerRequest, Http2ServerResponse } from 'node:http2';
import type { GlobalConfig, Location, RouteTable, Server, Upstream } from '../model.js';

/** A request of either protocol (HTTP/1.1, or HTTP/2 through Node's compatibility API). */
export type Req = IncomingMessage | Http2ServerRequest;
/** A response of either protocol. */
export type Res = ServerResponse | Http2ServerResponse;

/** The request being served, with everything the access log reports. */
export class Exchange {
  /** Extra response headers as a flat name/value list (HSTS, CORS, Set-Cookie), added to whatever answers. */
  readonly headers: string[] = [];
  server: Server | undefined = undefined;
  location: Location | undefined = undefined;
  captures: readonly string[] | undefined = undefined;
  /** The client address after real-IP processing (`use-forwarded-headers`). */
  clientIp: string;
  requestId = '';
  remoteUser = '-';
  /** `[$proxy_upstream_name]`, `[$proxy_alternative_upstream_name]`. */
  upstreamName = '-';
  alternativeName = '';
  /** `$upstream_addr`, `$upstream_response_length`, `$upstream_response_time`, `$upstream_status` (comma lists over tries). */
  upstreamAddr = '-';
  upstreamLength = '-';
  upstreamTime = '-';
  upstreamStatus = '-';
  status = 0;
  bodyBytesSent = 0;
  requestBodyBytes = 0;
  /** Set when the canary upstream serves. */
  canary: Upstream | undefined = undefined;
  /** Set once a response has been started (by a page or the upstream). */
  answered = false;

  constructor(
    readonly req: Req,
    readonly res: Res,
    readonly table: RouteTable,
    readonly https: boolean,
    /** The listener's port (`X-Forwarded-Port`). */
    readonly port: number,
    readonly start: number,
  ) {
    this.clientIp = req.socket.remoteAddress ?? '';
  }

  get global(): GlobalConfig { return this.table.global; }
  get scheme(): 'http' | 'https' { return this.https ? 'https' : 'http'; }
  /** The raw request URI (path and query). */
  get uri(): string { return this.req.url ?? '/'; }
  /** The Host header (HTTP/2: `:authority`). */
  get host(): string {
    const h = this.req.headers;
    return (h.host ?? (h[':authority'] as string | undefined) ?? '');
  }
}
