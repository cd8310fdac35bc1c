/**
 * The request pipeline of the ingress proxy, one module per behaviour in nginx's order: route,
 * server redirect, trailing-slash 301, request id, HTTPS redirect, annotation redirects, app-root,
 * CORS, source ranges, limits, basic auth, body size, then the upstream (canary, affinity,
 * default backend, rewrite, forwarded headers) — and one access-log line per request.
 */
import type { RouteSource } from '../model.js';
import { route } from '../match.js';
import { accessLine, refusedLine, TimeLocal, type RefusedRequest } from './accesslog.js';
import { basicAuth } from './auth.js';
import { Balancer } from './balancer.js';
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

/** Hands a proxied request to its upstream (plain HTTP, or the WebSocket tunnel for upgrades). */
export type Proxier = (ex: Exchange, s: ForwardServices, o: Parameters<typeof forward>[2]) => void;

/** Serves requests of one ingress server against its live route table. */
export class IngressHandler {
  readonly services: ForwardServices;
  private readonly limiter: Limiter;
  private readonly ids = new RequestIds();
  private readonly time = new TimeLocal();

  constructor(private readonly ctx: ProxyContext, private readonly routes: RouteSource, private readonly accessLog: (line: string) => void) {
    this.limiter = new Limiter(ctx.now);
    this.services = { ctx, pools: new UpstreamPools(ctx.net), balancer: new Balancer(ctx.random, ctx.now) };
  }

  close(): void {
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
    const r = route(ex.table, ex.host, ex.uri);
    ex.server = r.server;
    if (serverRedirect(ex)) return;
    if (r.kind === 'default') {
      ex.upstreamName = 'upstream-default-backend';
      if (r.server === ex.table.catchAll && req.url === '/healthz') return sendPage(ex, 200);
      return sendPage(ex, 404);
    }
    ex.location = r.location;
    ex.upstreamName = r.location.upstream?.name ?? 'upstream-default-backend';
    if (r.kind === 'slash-redirect') { slashRedirect(ex, r.to); return; }
    if (r.captures) ex.captures = r.captures;
    if (sslRedirect(ex, this.ctx) || annotationRedirect(ex) || appRoot(ex) || cors(ex) || sourceRange(ex) || this.limiter.check(ex)) return;
    if (!r.location.config.auth) return this.proceed(ex, proxier);
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
    const len = ex.req.headers['content-length'];
    if (cfg.proxyBodySize > 0 && len !== undefined && Number(len) > cfg.proxyBodySize) return sendPage(ex, 413, { close: true });
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
