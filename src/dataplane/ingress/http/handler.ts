/**
 * The request pipeline of the ingress proxy in the order nginx runs ingress-nginx's nginx.tmpl
 * through its phases: the URI parsed (400 for a bad one) and routed; server-rewrite (the server's
 * `from-to-www` and `app-root` returns); find-config (`client_max_body_size` → 413, the
 * trailing-slash 301); rewrite (the location's CORS preflight 204 and `permanent/temporal-redirect`
 * returns, then lua_ingress.lua's HTTPS redirect at the phase's end); preaccess (limit_conn,
 * limit_req); access (source ranges, basic auth); then the upstream (canary, affinity, default
 * backend, rewrite, forwarded headers) — and one access-log line per request.
 */
import type { RouteSource } from '../model.js';
import { parsePath, routeIn, serverFor } from '../match.js';
import { accessLine, refusedLine, TimeLocal, type RefusedRequest } from './accesslog.js';
import { basicAuth } from './auth.js';
import { Balancer } from './balancer.js';
import { Cidrs } from './cidrs.js';
import type { ProxyContext } from './context.js';
import { cors } from './cors.js';
import { customErrors, defaultBackend, toDefaultBackend } from './errors.js';
import { Exchange, type Req, type Res } from './exchange.js';
import { RequestIds, resolveClient, upstreamHeaders } from './forwarded.js';
import { Limiter } from './limits.js';
import { UpstreamPools } from './pool.js';
import { annotationRedirect, appRoot, serverRedirect, slashRedirect, sslRedirect } from './redirects.js';
import { sendPage } from './respond.js';
import { upstreamPath } from './rewrite.js';
import { sourceRange } from './sourcerange.js';
import { forward, type ForwardServices } from './upstream.js';

/** nginx's client_max_body_size check of find-config: a Content-Length over the limit → 413 and close. */
function tooLarge(ex: Exchange, max: number): boolean {
  const len = ex.req.headers['content-length'];
  if (max <= 0 || len === undefined || !(Number(len) > max)) return false;
  sendPage(ex, 413, { close: true });
  return true;
}

/** Hands a proxied request to its upstream (plain HTTP, or the WebSocket tunnel for upgrades). */
export type Proxier = (ex: Exchange, s: ForwardServices, o: Parameters<typeof forward>[2]) => void;

/** Serves requests of one ingress server against its live route table. */
export class IngressHandler {
  readonly services: ForwardServices;
  private readonly limiter: Limiter;
  private readonly ids = new RequestIds();
  private readonly time = new TimeLocal();
  private readonly cidrs = new Cidrs();
  private readonly unsubscribe: () => void;

  constructor(private readonly ctx: ProxyContext, private readonly routes: RouteSource, private readonly accessLog: (line: string) => void) {
    this.limiter = new Limiter(ctx.now, this.cidrs);
    this.services = { ctx, pools: new UpstreamPools(ctx.net), balancer: new Balancer(ctx.random, ctx.now) };
    // State keyed by upstreams and Ingresses is dropped once a table no longer has them.
    this.unsubscribe = routes.subscribe((t) => {
      this.services.balancer.prune(t);
      this.limiter.prune(t);
    });
  }

  close(): void {
    this.unsubscribe();
    this.services.pools.destroy();
  }

  /** Serves one request; `proxier` sends it upstream once every check passed. */
  handle(req: Req, res: Res, https: boolean, port: number, proxier: Proxier = forward): void {
    const ex = new Exchange(req, res, this.routes.current(), https, port, this.ctx.now());
    res.once('close', () => this.log(ex));
    resolveClient(ex);
    const g = ex.global;
    if (req.httpVersionMajor === 1 && this.oversized(ex, g.largeHeaderBufferBytes)) return;
    const rid = req.headers['x-request-id'];
    ex.requestId = typeof rid === 'string' && rid !== '' ? rid : this.ids.next();
    const path = parsePath(ex.uri);
    if (path === undefined) return sendPage(ex, 400, { close: true });
    const r = routeIn(serverFor(ex.table, ex.host), path);
    ex.server = r.server;
    // server-rewrite phase: the server block's own returns.
    if (serverRedirect(ex)) return;
    if (r.kind === 'default') {
      ex.upstreamName = 'upstream-default-backend';
      if (r.server === ex.table.catchAll && req.url === '/healthz') return sendPage(ex, 200);
      if (tooLarge(ex, g.location.proxyBodySize)) return;
      return sendPage(ex, 404);
    }
    ex.location = r.location;
    ex.upstreamName = r.location.upstream?.name ?? 'upstream-default-backend';
    const cfg = r.location.config;
    if (appRoot(ex, path)) return;
    // find-config phase: client_max_body_size against Content-Length, then the location's auto redirect.
    if (tooLarge(ex, cfg.proxyBodySize)) return;
    if (r.kind === 'slash-redirect') { slashRedirect(ex, r.to); return; }
    if (r.captures) ex.captures = r.captures;
    // rewrite phase: the location's `if`/`return` directives (CORS template, then the redirect
    // annotations), then rewrite_by_lua's HTTPS redirect; preaccess: limits; access: allow/deny, auth.
    if (cors(ex) || annotationRedirect(ex) || sslRedirect(ex, this.ctx) || this.limiter.check(ex) || sourceRange(ex, this.cidrs)) return;
    if (!cfg.auth) return this.proceed(ex, proxier);
    basicAuth(ex).then((answered) => { if (!answered) this.proceed(ex, proxier); }, () => sendPage(ex, 500));
  }

  /** nginx's `large_client_header_buffers`: a request line over one buffer → 414, a header line over it → 400. */
  private oversized(ex: Exchange, max: number): boolean {
    if ((ex.req.method?.length ?? 0) + ex.uri.length + 10 > max) {
      sendPage(ex, 414, { close: true });
      return true;
    }
    const raw = ex.req.rawHeaders;
    for (let i = 0; i < raw.length; i += 2) {
      if (raw[i]!.length + raw[i + 1]!.length + 2 > max) {
        sendPage(ex, 400, { detail: 'Request Header Or Cookie Too Large', close: true });
        return true;
      }
    }
    return false;
  }

  private proceed(ex: Exchange, proxier: Proxier): void {
    const loc = ex.location!;
    const cfg = loc.config;
    const main = loc.upstream;
    if (!main) return sendPage(ex, 404);
    const s = this.services;
    const pick = s.balancer.pick(ex, main);
    if (pick.canary) {
      ex.canary = pick.upstream;
      ex.alternativeName = pick.upstream.name;
    }
    const path = upstreamPath(ex);
    if (!pick.endpoint) {
      const backend = defaultBackend(ex);
      if (backend) return toDefaultBackend(ex, s, backend, path);
      return sendPage(ex, 503);
    }
    const rewritten = cfg.rewriteTarget !== undefined && cfg.rewriteTarget !== loc.path;
    const headers = upstreamHeaders(ex, {
      upgrade: ex.req.headers.upgrade !== undefined && ex.req.httpVersionMajor === 1,
      dropAuthorization: cfg.auth !== undefined,
      prefix: rewritten ? cfg.xForwardedPrefix : undefined,
    });
    proxier(ex, s, {
      upstream: pick.upstream, first: pick.endpoint, path, method: ex.req.method ?? 'GET', headers, body: true,
      intercept: customErrors(ex, s),
    });
  }

  /** Logs a request Node's parser refused (400/408/414 answered before a request object existed). */
  logRefused(r: Omit<RefusedRequest, 'requestId'>): void {
    if (!this.routes.current().global.location.enableAccessLog) return;
    this.accessLog(refusedLine({ ...r, requestId: this.ids.next() }, this.time, this.ctx.now()));
  }

  private log(ex: Exchange): void {
    if (!ex.answered) ex.status = 499;
    const loc = ex.location;
    if (loc ? !loc.config.enableAccessLog : !ex.global.location.enableAccessLog) return;
    this.accessLog(accessLine(ex, this.time, this.ctx.now()));
  }
}
