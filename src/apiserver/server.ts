/**
 * The API server: HTTPS on 127.0.0.1 with client-certificate or bearer-token authentication,
 * serving version/health, discovery, OpenAPI v3 and the resource REST API.
 */
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { errors } from '../api/errors.js';
import type { Registry } from '../api/registry.js';
import type { Store } from '../store/types.js';
import type { Pki } from './pki.js';
import { ClientCertAuthenticator } from './authn.js';
import { RequestAuthenticator } from './authenticate.js';
import { ServiceAccountTokens } from './tokens.js';
import { tokenRequestHandler } from './token-request.js';
import { RbacAuthorizer } from './authz/rbac.js';
import { impersonate } from './authz/impersonate.js';
import { requestUser, setRequestUser } from './authz/request-user.js';
import { answerReview } from './authz/reviews.js';
import { ANONYMOUS } from './authz/user.js';
import { limitListener, tlsLimits } from './listener.js';
import { rejectUpgrade } from './streams/upgrade.js';
import { parseRequestPath } from './http/request.js';
import { parseRequestTarget } from './http/target.js';
import { sendError, sendJSON } from './http/response.js';
import { handleResource, type ResourceContext } from './http/resources.js';
import { aggregatedDiscovery, apiGroupDoc, apiGroupList, apiResourceList, apiVersions, versionInfo, KUBE_VERSION } from './http/discovery.js';
import { hashDocument, openapiDocument, openapiIndex } from './http/openapi.js';
import { openapiV2Body } from './http/openapi-v2.js';
import type { WriteHooks } from './storage/write.js';

/** Options of the API server. */
export interface ApiServerOptions {
  store: Store;
  registry: Registry;
  pki: Pki;
  port: number;
  host?: string;
  hooks?: WriteHooks;
  /** Extra handling for connect subresources and per-kind warnings. */
  resourceContext?: Partial<ResourceContext>;
  /** Authenticated endpoints outside the Kubernetes API, by path (knet's own, e.g. `/knet/v1/probe`). */
  extraRoutes?: Record<string, (req: IncomingMessage, res: ServerResponse) => Promise<void>>;
  /** Serves the proxy subresources (`…/proxy/PATH`): answers a path it takes, undefined for others. */
  proxy?(path: string, req: IncomingMessage, res: ServerResponse): Promise<void> | undefined;
  /** Called for every request (for logging). */
  onRequest?(method: string, url: string, code: number, ms: number): void;
  /** Handles HTTP upgrades (exec/attach/portforward over WebSocket or SPDY); closeAll ends upgraded connections. */
  upgrade?: ((server: ApiServer, req: IncomingMessage, socket: import('node:stream').Duplex, head: Buffer) => void) & { closeAll?(): void };
  /** Connections served at once; more are closed as they come, said once a minute (absent: no cap). */
  maxConnections?: number;
  /** Receives the server's own lines (the connection cap, accept errors). */
  log?(line: string): void;
  /** Signs and verifies service-account tokens (absent: a key in memory). */
  tokens?: ServiceAccountTokens;
}

/**
 * Paths anonymous requests may read (the public-info-viewer's), as kube-apiserver with anonymous
 * authentication limited to these endpoints (AuthenticationConfiguration anonymous.conditions);
 * anything else without credentials gets 401.
 */
const PUBLIC_PATHS = new Set(['/version', '/healthz', '/livez', '/readyz']);

const AGG_V2 = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';
const AGG_V2BETA1 = 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList';

function aggregatedChoice(accept: string | undefined): 'v2' | 'v2beta1' | undefined {
  const parts = (accept ?? '').split(',').map((p) => p.replace(/\s+/g, ''));
  for (const p of parts) {
    if (p.includes('as=APIGroupDiscoveryList') && p.includes('g=apidiscovery.k8s.io')) {
      if (p.includes('v=v2beta1')) return 'v2beta1';
      if (p.includes('v=v2')) return 'v2';
    }
  }
  return undefined;
}

/** A running API server. */
export class ApiServer {
  private server?: https.Server;
  /** Every TCP connection, also those still in (or stuck before) the TLS handshake, which close() would wait for. */
  private readonly sockets = new Set<import('node:net').Socket>();
  private readonly ctx: ResourceContext;
  private readonly openapiCache = new Map<string, { doc: unknown; hash: string }>();
  /** The registry revision the cached OpenAPI documents were built from (custom resources change it). */
  private openapiRevision = -1;
  private readonly certs: ClientCertAuthenticator;
  private boundPort = 0;
  private readonly authn: RequestAuthenticator;
  /** The RBAC authorizer over the stored roles and bindings. */
  readonly authz: RbacAuthorizer;
  /** The service-account token issuer and verifier. */
  readonly tokens: ServiceAccountTokens;

  constructor(private readonly opts: ApiServerOptions) {
    this.authz = new RbacAuthorizer(opts.store);
    this.ctx = {
      store: opts.store, registry: opts.registry, hooks: opts.hooks ?? {},
      review: (def, body, ns, req) => (def.kind === 'TokenReview' ? this.tokenReview(body) : answerReview(this.authz, def, body, ns, requestUser(req))),
      ...opts.resourceContext,
    };
    this.tokens = opts.tokens ?? ServiceAccountTokens.load(undefined);
    this.ctx.connect = { ...this.ctx.connect, token: tokenRequestHandler(opts.store, this.tokens) };
    this.certs = new ClientCertAuthenticator(opts.pki.caCert);
    this.authn = new RequestAuthenticator({ certs: this.certs, adminToken: opts.pki.token, tokens: this.tokens, store: opts.store });
  }

  /** Starts listening; resolves with the bound port. Rejects with EADDRINUSE etc. */
  async listen(): Promise<number> {
    const { pki } = this.opts;
    // No `ca`: client certificates are verified by key in authn.ts, never by OpenSSL's name lookup.
    const server = https.createServer({ cert: pki.serverCert, key: pki.serverKey, requestCert: true, rejectUnauthorized: false, ...tlsLimits },
      (req, res) => { void this.dispatch(req, res); });
    server.prependListener('secureConnection', (sock: import('node:tls').TLSSocket) => this.certs.onSecureConnection(sock));
    server.on('connection', (sock: import('node:net').Socket) => { this.sockets.add(sock); sock.once('close', () => this.sockets.delete(sock)); });
    const upgrade = this.opts.upgrade;
    limitListener(server, { maxConnections: this.opts.maxConnections, upgrades: !!upgrade, log: this.opts.log ?? (() => undefined) });
    if (upgrade) {
      server.on('upgrade', (req: IncomingMessage, socket: import('node:stream').Duplex, head: Buffer) => {
        // A throwing handler inside an event would kill the process: it answers the client instead.
        try { upgrade(this, req, socket, head); } catch (e) { socket.on('error', () => undefined); if (socket.writable) rejectUpgrade(socket, e); else socket.destroy(); }
      });
    }
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.opts.port, this.opts.host ?? '127.0.0.1', () => { server.off('error', reject); resolve(); });
    });
    this.boundPort = (server.address() as AddressInfo).port;
    return this.boundPort;
  }

  /** The underlying server (for upgrade handlers). */
  get httpServer(): https.Server | undefined { return this.server; }

  /** Stops accepting and closes open connections. */
  async close(): Promise<void> {
    const s = this.server;
    if (!s) return;
    await new Promise<void>((resolve) => {
      s.close(() => resolve());
      s.closeAllConnections();
      this.opts.upgrade?.closeAll?.();
      for (const sock of this.sockets) sock.destroy(); // an idle or half-open client must not hold the shutdown
    });
  }

  /**
   * Whether a request carries valid credentials (a client certificate signed by our CA, the admin
   * token or a service-account token); records the (impersonated) user on the request.
   */
  authenticated(req: IncomingMessage, path?: string): boolean {
    const r = this.authn.authenticate(req);
    if ('invalid' in r) return false;
    if ('anonymous' in r) {
      if (path === undefined || !PUBLIC_PATHS.has(path)) return false;
      setRequestUser(req, ANONYMOUS);
      return true;
    }
    setRequestUser(req, impersonate(req.headers, r.user, this.authz));
    return true;
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const t0 = performance.now();
    res.on('finish', () => this.opts.onRequest?.(req.method ?? '', req.url ?? '', res.statusCode, performance.now() - t0));
    try {
      const { path, query } = parseRequestTarget(req.url ?? '/');
      if (!this.authenticated(req, path.replace(/\/+$/, '') || '/')) throw errors.unauthorized();
      await this.route(path, query, req, res);
    } catch (e) {
      sendError(res, e);
    }
  }

  private async route(target: string, query: URLSearchParams, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const proxied = this.opts.proxy?.(target, req, res);
    if (proxied) return proxied;
    const path = target.replace(/\/+$/, '') || '/';
    const { registry } = this.opts;
    const extra = this.opts.extraRoutes?.[path];
    if (extra) return extra(req, res);
    switch (path) {
      case '/version': return sendJSON(res, 200, versionInfo());
      case '/healthz': case '/livez': case '/readyz':
        res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' });
        res.end('ok');
        return;
      case '/openapi/v2': case '/swagger-2.0.0.pb-v1': {
        const { body, contentType } = openapiV2Body(registry, KUBE_VERSION.gitVersion, path === '/openapi/v2' ? req.headers.accept : 'protobuf');
        res.writeHead(200, { 'Content-Type': contentType, 'Content-Length': body.length, 'Cache-Control': 'no-cache, private' });
        res.end(body);
        return;
      }
      case '/openapi/v3': return sendJSON(res, 200, openapiIndex(registry, (gv) => this.openapi(gv)?.hash ?? ''));
      case '/api': case '/apis': {
        const agg = aggregatedChoice(req.headers.accept);
        if (agg) return sendJSON(res, 200, aggregatedDiscovery(registry, path === '/api', agg === 'v2'), [], agg === 'v2' ? AGG_V2 : AGG_V2BETA1);
        return sendJSON(res, 200, path === '/api' ? apiVersions(`127.0.0.1:${this.boundPort || this.opts.port}`) : apiGroupList(registry));
      }
    }
    if (path.startsWith('/openapi/v3/')) {
      const o = this.openapi(path.slice('/openapi/v3/'.length));
      if (!o) throw errors.notFound('', path);
      return sendJSON(res, 200, o.doc);
    }
    const info = parseRequestPath(path);
    if (!info.isResource) {
      if (info.prefix === 'api' && info.parts.length === 2) {
        const doc = apiResourceList(registry, '', info.parts[1]!);
        if (doc) return sendJSON(res, 200, doc);
      }
      if (info.prefix === 'apis' && info.parts.length === 2) {
        const doc = apiGroupDoc(registry, info.parts[1]!);
        if (doc) return sendJSON(res, 200, doc);
      }
      if (info.prefix === 'apis' && info.parts.length === 3) {
        const doc = apiResourceList(registry, info.parts[1]!, info.parts[2]!);
        if (doc) return sendJSON(res, 200, doc);
      }
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('404 page not found\n');
      return;
    }
    await handleResource(this.ctx, info, req, res, query);
  }

  /** Answers a TokenReview (authentication.k8s.io/v1) with the same authenticators as requests. */
  private tokenReview(body: import('../api/meta.js').KObject): import('../api/meta.js').KObject {
    const spec = (body['spec'] ?? {}) as { token?: string; audiences?: string[] };
    return { kind: 'TokenReview', apiVersion: 'authentication.k8s.io/v1', metadata: { ...body.metadata, creationTimestamp: null as unknown as string }, spec, status: this.authn.review(spec.token ?? '', spec.audiences) };
  }

  private openapi(gv: string): { doc: unknown; hash: string } | undefined {
    if (this.openapiRevision !== this.opts.registry.revision) { this.openapiCache.clear(); this.openapiRevision = this.opts.registry.revision; }
    const hit = this.openapiCache.get(gv);
    if (hit) return hit;
    const m = /^(?:api\/(v1)|apis\/([^/]+)\/([^/]+))$/.exec(gv);
    if (!m) return undefined;
    const doc = m[1] ? openapiDocument(this.opts.registry, '', m[1], KUBE_VERSION.gitVersion)
      : openapiDocument(this.opts.registry, m[2]!, m[3]!, KUBE_VERSION.gitVersion);
    if (!doc) return undefined;
    const entry = { doc, hash: hashDocument(doc) };
    this.openapiCache.set(gv, entry);
    return entry;
  }
}
