/**
 * ingress-nginx's defaults (internal/ingress/controller/config/config.go, the final release), before
 * the controller ConfigMap and annotations override them. See ../shared/docs/ingress-notes.md §5–6.
 */
import type { GlobalConfig, LocationConfig } from './model.js';

/** The per-location defaults: what a location gets when neither the ConfigMap nor an annotation says otherwise. */
export function defaultLocationConfig(): LocationConfig {
  return {
    sslRedirect: true,
    forceSslRedirect: false,
    preserveTrailingSlash: false,
    usePortInRedirects: false,
    backendProtocol: 'HTTP',
    allowSourceRange: [],
    denySourceRange: [],
    proxyBodySize: 1024 * 1024,
    customHttpErrors: [],
    connectTimeoutMs: 5_000,
    readTimeoutMs: 60_000,
    sendTimeoutMs: 60_000,
    enableAccessLog: true,
  };
}

/** The controller-wide defaults. */
export function defaultGlobalConfig(): GlobalConfig {
  return {
    useForwardedHeaders: false,
    computeFullForwardedFor: false,
    forwardedForHeader: 'X-Forwarded-For',
    httpRedirectCode: 308,
    noTlsRedirectLocations: ['/.well-known/acme-challenge'],
    hsts: true,
    hstsMaxAge: 31_536_000,
    hstsIncludeSubdomains: true,
    hstsPreload: false,
    generateRequestId: true,
    serverTokens: false,
    useHttp2: true,
    allowSnippetAnnotations: false,
    keepAliveMs: 75_000,
    keepAliveRequests: 1000,
    clientHeaderTimeoutMs: 60_000,
    clientBodyTimeoutMs: 60_000,
    largeHeaderBufferBytes: 8 * 1024,
    upstreamKeepaliveConnections: 320,
    upstreamKeepaliveTimeoutMs: 60_000,
    upstreamKeepaliveRequests: 10_000,
    location: defaultLocationConfig(),
  };
}
