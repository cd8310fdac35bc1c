/**
 * `default-backend` and `custom-http-errors` (ingress-notes §5.9): a location whose upstream has no
 * endpoints goes to its default backend with `X-Code: 503`; listed upstream statuses are re-sent
 * there as `GET /` with the `X-Code`, `X-Format`, `X-Original-URI`, `X-Namespace`,
 * `X-Ingress-Name`, `X-Service-Name`, `X-Service-Port`, `X-Request-ID` headers; without a usable
 * default backend the controller's own (nginx's 404) answers them.
 */
import type { Upstream } from '../model.js';
import type { Exchange } from './exchange.js';
import { forward, type ForwardServices } from './upstream.js';
import { upstreamHeaders } from './forwarded.js';
import { sendPage } from './respond.js';

/** The X-* headers ingress-nginx's error pages and default backends receive. */
function errorHeaders(ex: Exchange, code: number): string[] {
  const loc = ex.location!;
  const up = loc.upstream;
  const accept = ex.req.headers.accept;
  return [
    'X-Code', String(code), 'X-Format', accept ?? 'text/html', 'X-Original-URI', ex.uri,
    'X-Namespace', loc.ingress.namespace, 'X-Ingress-Name', loc.ingress.name,
    'X-Service-Name', up?.service ?? '', 'X-Service-Port', String(up?.port ?? ''),
  ];
}

/** The location's default backend when it has endpoints. */
export function defaultBackend(ex: Exchange): Upstream | undefined {
  const d = ex.location?.config.defaultBackend;
  return d && d.endpoints.length > 0 ? d : undefined;
}

/** Sends the request to the default backend because its upstream has no endpoints (`X-Code: 503`). */
export function toDefaultBackend(ex: Exchange, s: ForwardServices, backend: Upstream, path: string): void {
  const ep = s.balancer.endpoint(backend)!;
  const headers = upstreamHeaders(ex, { upgrade: false, dropAuthorization: !!ex.location!.config.auth });
  headers.push(...errorHeaders(ex, 503));
  forward(ex, s, { upstream: backend, first: ep, path, method: ex.req.method ?? 'GET', headers, body: true });
}

/** An intercept for `custom-http-errors`: listed statuses are answered by the default backend (else the controller's 404). */
export function customErrors(ex: Exchange, s: ForwardServices): ((status: number) => boolean) | undefined {
  const codes = ex.location?.config.customHttpErrors;
  if (!codes || codes.length === 0) return undefined;
  const backend = defaultBackend(ex);
  return (status) => {
    if (!codes.includes(status)) return false;
    // No default-backend annotation (or one without endpoints): the controller's own default
    // backend answers, which in ingress-nginx is nginx itself returning 404 for everything.
    if (!backend) {
      sendPage(ex, 404);
      return true;
    }
    const ep = s.balancer.endpoint(backend)!;
    const headers = ['Host', ex.host, ...errorHeaders(ex, status), 'X-Request-ID', ex.requestId, 'X-Forwarded-For', ex.clientIp];
    forward(ex, s, { upstream: backend, first: ep, path: '/', method: ex.req.method === 'HEAD' ? 'HEAD' : 'GET', headers, body: false });
    return true;
  };
}
