/**
 * The Ingress controller's compiled model: what `compile.ts` builds from the cluster's Ingresses,
 * Services, EndpointSlices, Secrets, IngressClasses and the controller ConfigMap, and what the HTTP
 * proxy (`server.ts` and its middleware) serves. A `RouteTable` is immutable: every change builds a
 * new one and the proxy swaps it in, so a request sees one consistent table (as nginx reloads).
 *
 * Semantics follow ingress-nginx for class `nginx` (../shared/docs/ingress-notes.md; sources there).
 */
import type { SecureContext } from 'node:tls';

/** An Ingress as `namespace/name`, with the fields logs and events need. */
export interface IngressRef { namespace: string; name: string; uid?: string }

/** An endpoint the proxy dials directly (ingress-nginx balances over endpoints, not the ClusterIP). */
export interface UpstreamEndpoint { ip: string; port: number }

/** A Service port as a backend: `<namespace>-<service>-<port>` in the access log. */
export interface Upstream {
  /** ingress-nginx's upstream name, `<namespace>-<service>-<port number or name>`. */
  name: string;
  namespace: string;
  service: string;
  /** The port as the Ingress wrote it (number or name). */
  port: number | string;
  /** Ready endpoints of that Service port, in a stable order. Empty → 503. */
  endpoints: readonly UpstreamEndpoint[];
  /** Why there are no endpoints, for logs (`service "x" not found`, `no ready endpoints`). */
  problem?: string;
}

/** How a location's path is compared with the request path (after ingress-nginx's translation of pathType). */
export type PathMatch =
  /** nginx `location = /foo`. */
  | { kind: 'exact'; path: string }
  /** nginx `location /foo/`: string prefix; `slashRedirect` when the request equals the path minus its trailing `/` → 301. */
  | { kind: 'prefix'; path: string }
  /** nginx `location ~* "^<path>"` (host in regex mode); compiled with a linear-time engine. */
  | { kind: 'regex'; path: string; test(uri: string): RegexMatch | undefined };

/** The capture groups of a regex location ($0 is the whole match). */
export type RegexMatch = readonly string[];

/** Canary routing of a location (ingress-nginx `canary-*`). */
export interface CanaryConfig {
  upstream: Upstream;
  ingress: IngressRef;
  byHeader?: string;
  byHeaderValue?: string;
  /** Linear-time compiled `canary-by-header-pattern`. */
  byHeaderPattern?: (value: string) => boolean;
  byCookie?: string;
  /** Weight W of total T: canary when random(1..T) <= W. */
  weight?: number;
  weightTotal: number;
}

/** Cookie affinity (`affinity: cookie`, `session-cookie-*`). */
export interface AffinityConfig {
  mode: 'balanced' | 'persistent';
  cookieName: string;
  /** Path attribute; defaults to the location's path. */
  path?: string;
  domain?: string;
  expires?: number;
  maxAge?: number;
  sameSite?: string;
  conditionalSameSiteNone: boolean;
  secure: boolean;
  changeOnFailure: boolean;
}

/** CORS (`enable-cors`, `cors-*`). */
export interface CorsConfig {
  /** `*` or `scheme://host[:port]` entries (`*.` one-label wildcard allowed). */
  allowOrigin: readonly string[];
  allowMethods: string;
  allowHeaders: string;
  exposeHeaders: string;
  allowCredentials: boolean;
  maxAge: number;
}

/** Basic authentication (`auth-type: basic`). */
export interface AuthConfig {
  realm: string;
  /** Checks a user's password against the htpasswd entries (apr1, bcrypt, {SHA}, {SSHA}, {PLAIN}, crypt); slow hashes yield the loop. */
  verify(user: string, password: string): Promise<boolean>;
  /** Set when the secret is unusable: the location answers 503 (ingress-nginx denies it). */
  denied?: string;
}

/** Rate and connection limits (`limit-*`). */
export interface LimitConfig {
  rps?: number;
  rpm?: number;
  connections?: number;
  burstMultiplier: number;
  /** Clients not limited (`limit-whitelist`/`limit-allowlist`): CIDR matchers. */
  allowlist: readonly string[];
  reqStatusCode: number;
  connStatusCode: number;
}

/** Everything an Ingress's annotations (and the ConfigMap's defaults) ask of one location. */
export interface LocationConfig {
  /** `rewrite-target` (with `$1`… from the regex match); absent → the request URI is passed unchanged. */
  rewriteTarget?: string;
  /** `x-forwarded-prefix` (only sent together with a rewrite, as ingress-nginx). */
  xForwardedPrefix?: string;
  /** `app-root`: `GET /` → 302 to it. */
  appRoot?: string;
  sslRedirect: boolean;
  forceSslRedirect: boolean;
  preserveTrailingSlash: boolean;
  usePortInRedirects: boolean;
  backendProtocol: 'HTTP' | 'HTTPS' | 'AUTO_HTTP' | 'GRPC' | 'GRPCS';
  /** `permanent-redirect` / `temporal-redirect`: answered without proxying. */
  redirect?: { url: string; code: number };
  auth?: AuthConfig;
  limits?: LimitConfig;
  /** `whitelist-source-range`/`allowlist-source-range` (CIDRs); empty = everyone. */
  allowSourceRange: readonly string[];
  denySourceRange: readonly string[];
  /** Request body limit in bytes (`proxy-body-size`; 0 = unlimited). */
  proxyBodySize: number;
  cors?: CorsConfig;
  canary?: CanaryConfig;
  affinity?: AffinityConfig;
  /** `default-backend`: used (with X-Code 503) when the upstream has no endpoints, and for custom errors. */
  defaultBackend?: Upstream;
  /** `custom-http-errors`: upstream statuses re-sent to the default backend. */
  customHttpErrors: readonly number[];
  connectTimeoutMs: number;
  readTimeoutMs: number;
  sendTimeoutMs: number;
  /** `upstream-vhost`: Host header sent upstream. */
  upstreamVhost?: string;
  enableAccessLog: boolean;
}

/** One location of a server (one Ingress path, or the server's default `/`). */
export interface Location {
  match: PathMatch;
  /** The Ingress path and type as written (logs, `no-tls-redirect-locations`). */
  path: string;
  pathType: 'Exact' | 'Prefix' | 'ImplementationSpecific';
  ingress: IngressRef;
  /** The backend; undefined only for the server's implicit `/` (the controller's default backend: 404). */
  upstream?: Upstream;
  config: LocationConfig;
}

/** A TLS certificate ready for SNI. */
export interface Certificate {
  /** `namespace/name` of the Secret, or `default-fake-certificate`. */
  source: string;
  context: SecureContext;
}

/** One virtual host (nginx `server`). */
export interface Server {
  /** Lower-case host, `*.example.com`, or `_` for the catch-all. */
  host: string;
  /** Locations in the order matching tries them (exact first, then longest prefix; or regex order). */
  locations: readonly Location[];
  /** Host in regex mode (some Ingress on it has `use-regex` or a rewrite): every location is a regex. */
  regexMode: boolean;
  /** The host's certificate when some Ingress with `spec.tls` names it (enables the HTTPS redirect). */
  certificate?: Certificate;
  /** `from-to-www-redirect`: this server only redirects to the other name. */
  redirectTo?: string;
}

/** The controller ConfigMap's settings that are not per location. */
export interface GlobalConfig {
  useForwardedHeaders: boolean;
  computeFullForwardedFor: boolean;
  forwardedForHeader: string;
  httpRedirectCode: number;
  noTlsRedirectLocations: readonly string[];
  hsts: boolean;
  hstsMaxAge: number;
  hstsIncludeSubdomains: boolean;
  hstsPreload: boolean;
  generateRequestId: boolean;
  serverTokens: boolean;
  useHttp2: boolean;
  allowSnippetAnnotations: boolean;
  keepAliveMs: number;
  keepAliveRequests: number;
  clientHeaderTimeoutMs: number;
  clientBodyTimeoutMs: number;
  /** `large-client-header-buffers` size of one buffer (a longer header line → 400, request line → 414). */
  largeHeaderBufferBytes: number;
  upstreamKeepaliveConnections: number;
  upstreamKeepaliveTimeoutMs: number;
  /** `upstream-keepalive-requests`: requests over one upstream connection before it is closed. */
  upstreamKeepaliveRequests: number;
  /** The ConfigMap's defaults for location settings (annotations override). */
  location: LocationConfig;
}

/** The compiled routes of one controller: immutable, swapped whole on every change. */
export interface RouteTable {
  /** Exact hosts (lower case). */
  readonly servers: ReadonlyMap<string, Server>;
  /** `*.rest` wildcard hosts by `rest` (lower case, one label matched). */
  readonly wildcards: ReadonlyMap<string, Server>;
  /** The catch-all server: host-less rules and `spec.defaultBackend` (its `/` is 404 without one). */
  readonly catchAll: Server;
  /** The fake self-signed certificate for unknown names and clients without SNI. */
  readonly defaultCertificate: Certificate;
  readonly global: GlobalConfig;
  /** Increases with every compile (logs, tests). */
  readonly generation: number;
}

/** What routing decided for a request. */
export type RouteResult =
  | { kind: 'location'; server: Server; location: Location; captures?: RegexMatch }
  /** nginx's trailing-slash 301 for a prefix location requested without its `/`. */
  | { kind: 'slash-redirect'; server: Server; location: Location; to: string }
  /** Nothing matched: the controller's default backend answers 404. */
  | { kind: 'default'; server: Server };

/** The live routes of a controller: the current table and its replacements. */
export interface RouteSource {
  current(): RouteTable;
  /** Called after each new table is swapped in; returns the unsubscribe. */
  subscribe(onChange: (table: RouteTable) => void): () => void;
}
