/**
 * Proxy knobs (`IN:internal/ingress/annotations/proxy`, `backendprotocol`, `upstreamvhost`, `log`;
 * notes §5.1, §5.10): backend-protocol, upstream-vhost, proxy-body-size, proxy timeouts, enable-access-log.
 */
import type { LocationConfig } from '../model.js';
import type { AnnotationParser } from './types.js';

const PROTOCOLS = /^(HTTP|HTTPS|AUTO_HTTP|GRPC|GRPCS|FCGI)$/i;
/** ingress-nginx's server-name validator: host names, ports and nginx variables. */
const VHOST = /^[A-Za-z0-9\-.:_$]+$/;

/** backend-protocol, upstream-vhost, proxy-body-size, proxy-connect/read/send-timeout, enable-access-log. */
export const proxy: AnnotationParser = ({ a, warn }, out) => {
  const loc = out.location;
  const protocol = a.matching('backend-protocol', PROTOCOLS)?.toUpperCase();
  if (protocol === 'FCGI') warn('UnsupportedAnnotation', 'backend-protocol FCGI is not supported by knet; using HTTP');
  else if (protocol) loc.backendProtocol = protocol as LocationConfig['backendProtocol'];
  // gRPC needs HTTP/2 to the backend, which knet's proxy does not speak yet: say so rather than fail silently.
  if (protocol === 'GRPC' || protocol === 'GRPCS') warn('UnsupportedAnnotation', `backend-protocol ${protocol} is not supported by knet yet; requests go to the backend over HTTP/1.1${protocol === 'GRPCS' ? ' with TLS' : ''}`);
  const vhost = a.matching('upstream-vhost', VHOST);
  if (vhost !== undefined) loc.upstreamVhost = vhost;
  loc.proxyBodySize = a.size('proxy-body-size') ?? loc.proxyBodySize;
  const seconds = (name: string, fallback: number) => {
    const s = a.int(name);
    return s === undefined ? fallback : s * 1000;
  };
  loc.connectTimeoutMs = seconds('proxy-connect-timeout', loc.connectTimeoutMs);
  loc.readTimeoutMs = seconds('proxy-read-timeout', loc.readTimeoutMs);
  loc.sendTimeoutMs = seconds('proxy-send-timeout', loc.sendTimeoutMs);
  loc.enableAccessLog = a.bool('enable-access-log') ?? loc.enableAccessLog;
};
