/**
 * The controller ConfigMap (`--configmap`, notes §6): its keys over ingress-nginx's defaults. Keys
 * apply live; a malformed value keeps the default and logs why (ingress-nginx logs and ignores too).
 */
import { defaultGlobalConfig } from './defaults.js';
import type { GlobalConfig } from './model.js';
import { isCidr, parseSize, splitList } from './annotations/values.js';

/** The controller settings from the ConfigMap: the model's GlobalConfig plus what only compiling needs. */
export interface ControllerConfig {
  global: GlobalConfig;
  limitReqStatusCode: number;
  limitConnStatusCode: number;
  /** `strict-validate-path-type`: Exact/Prefix paths must be plain paths. */
  strictValidatePathType: boolean;
  /** `allow-cross-namespace-resources` (default false): auth-secret in another namespace. */
  allowCrossNamespaceResources: boolean;
}

type Problem = (key: string, value: string) => void;

const bool = (v: string): boolean | undefined => (/^(1|t|true)$/i.test(v) ? true : /^(0|f|false)$/i.test(v) ? false : undefined);
const int = (v: string): number | undefined => (/^\d{1,9}$/.test(v.trim()) ? Number(v.trim()) : undefined);
/** nginx durations as the ConfigMap writes them: plain seconds, or with an s/m suffix. */
const seconds = (v: string): number | undefined => {
  const m = /^(\d{1,9})(s|m)?$/.exec(v.trim());
  return m ? Number(m[1]) * (m[2] === 'm' ? 60_000 : 1000) : undefined;
};

/** Controller settings for a ConfigMap's data (undefined: no ConfigMap); `problem` hears each ignored key. */
export function controllerConfig(data: Readonly<Record<string, string>> | undefined, problem: Problem = () => undefined): ControllerConfig {
  const g = defaultGlobalConfig();
  const loc = g.location;
  const out: ControllerConfig = { global: g, limitReqStatusCode: 503, limitConnStatusCode: 503, strictValidatePathType: true, allowCrossNamespaceResources: false };
  const d = data ?? {};
  const read = <T>(key: string, parse: (v: string) => T | undefined, set: (v: T) => void): void => {
    const raw = d[key];
    if (raw === undefined) return;
    const v = parse(raw);
    if (v === undefined) problem(key, raw);
    else set(v);
  };
  read('ssl-redirect', bool, (v) => { loc.sslRedirect = v; });
  read('force-ssl-redirect', bool, (v) => { loc.forceSslRedirect = v; });
  read('preserve-trailing-slash', bool, (v) => { loc.preserveTrailingSlash = v; });
  read('use-port-in-redirects', bool, (v) => { loc.usePortInRedirects = v; });
  read('proxy-body-size', parseSize, (v) => { loc.proxyBodySize = v; });
  read('proxy-connect-timeout', seconds, (v) => { loc.connectTimeoutMs = v; });
  read('proxy-read-timeout', seconds, (v) => { loc.readTimeoutMs = v; });
  read('proxy-send-timeout', seconds, (v) => { loc.sendTimeoutMs = v; });
  read('enable-access-log', bool, (v) => { loc.enableAccessLog = v; });
  read('custom-http-errors', statusList, (v) => { loc.customHttpErrors = v; });
  read('whitelist-source-range', cidrs, (v) => { loc.allowSourceRange = v; });
  read('denylist-source-range', cidrs, (v) => { loc.denySourceRange = v; });
  read('use-forwarded-headers', bool, (v) => { g.useForwardedHeaders = v; });
  read('compute-full-forwarded-for', bool, (v) => { g.computeFullForwardedFor = v; });
  read('forwarded-for-header', (v) => (/^[A-Za-z0-9-]+$/.test(v) ? v : undefined), (v) => { g.forwardedForHeader = v; });
  read('http-redirect-code', (v) => { const c = int(v); return c !== undefined && [301, 302, 307, 308].includes(c) ? c : undefined; }, (v) => { g.httpRedirectCode = v; });
  read('no-tls-redirect-locations', (v) => splitList(v), (v) => { g.noTlsRedirectLocations = v; });
  read('hsts', bool, (v) => { g.hsts = v; });
  read('hsts-max-age', int, (v) => { g.hstsMaxAge = v; });
  read('hsts-include-subdomains', bool, (v) => { g.hstsIncludeSubdomains = v; });
  read('hsts-preload', bool, (v) => { g.hstsPreload = v; });
  read('generate-request-id', bool, (v) => { g.generateRequestId = v; });
  read('server-tokens', bool, (v) => { g.serverTokens = v; });
  read('use-http2', bool, (v) => { g.useHttp2 = v; });
  read('allow-snippet-annotations', bool, (v) => { g.allowSnippetAnnotations = v; });
  read('keep-alive', seconds, (v) => { g.keepAliveMs = v; });
  read('keep-alive-requests', int, (v) => { g.keepAliveRequests = v; });
  read('client-header-timeout', seconds, (v) => { g.clientHeaderTimeoutMs = v; });
  read('client-body-timeout', seconds, (v) => { g.clientBodyTimeoutMs = v; });
  read('large-client-header-buffers', (v) => parseSize(v.trim().split(/\s+/)[1] ?? ''), (v) => { g.largeHeaderBufferBytes = v; });
  read('upstream-keepalive-connections', int, (v) => { g.upstreamKeepaliveConnections = v; });
  read('upstream-keepalive-timeout', seconds, (v) => { g.upstreamKeepaliveTimeoutMs = v; });
  read('upstream-keepalive-requests', int, (v) => { g.upstreamKeepaliveRequests = v; });
  read('limit-req-status-code', status, (v) => { out.limitReqStatusCode = v; });
  read('limit-conn-status-code', status, (v) => { out.limitConnStatusCode = v; });
  read('strict-validate-path-type', bool, (v) => { out.strictValidatePathType = v; });
  read('allow-cross-namespace-resources', bool, (v) => { out.allowCrossNamespaceResources = v; });
  return out;
}

function status(v: string): number | undefined {
  const c = int(v);
  return c !== undefined && c >= 100 && c <= 599 ? c : undefined;
}

function statusList(v: string): number[] | undefined {
  const codes = splitList(v).map(status);
  return codes.every((c) => c !== undefined) ? (codes as number[]) : undefined;
}

function cidrs(v: string): string[] | undefined {
  const list = splitList(v);
  return list.every(isCidr) ? list : undefined;
}
