/**
 * POSTs an AdmissionReview to a webhook as kube-apiserver's webhook client does: a Service is
 * resolved to its ClusterIP and dialled over the pod network from the control-plane node's stack
 * (the service proxy picks the endpoint), a `url` may only reach a loopback address over a real
 * socket; TLS is verified against `caBundle` (server name `<svc>.<ns>.svc`), and the whole call
 * (queueing, dial, handshake, exchange) ends at `timeoutSeconds`. Failures are described the way
 * Go's http client words them (`Post "https://…?timeout=10s": …`).
 */
import http from 'node:http';
import net, { isIP, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';
import type { WebhookClientConfig } from '../../api/kinds/webhook-schema.js';
import type { KObject } from '../../api/meta.js';
import { NetError, type NetStack } from '../../net/types.js';
import { closeWithTls } from '../../net/tls.js';
import { formatGoDuration } from '../../images/util/flags.js';

/** The largest response body read from a webhook. */
export const MAX_RESPONSE_BYTES = 3 * 1024 * 1024;

/** What the client needs from the cluster: the stack to dial from and Services to resolve. */
export interface WebhookNetwork {
  stack(): NetStack | undefined;
  service(namespace: string, name: string): KObject | undefined;
}

/** A failed call; the message is what follows `failed to call webhook: `. `bare`: an answer of the server, not a transport error (no `Post "url": ` prefix). */
export class CallError extends Error {
  constructor(message: string, readonly bare = false) { super(message); }
}

/** Where a call goes. */
interface Target { url: string; host: string; port: number; path: string; servername: string; hostHeader: string; service?: { namespace: string; name: string } }

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || (isIP(host) === 4 && host.startsWith('127.'));
}

/** The URL (for messages), path and dial target of a client config. */
export function targetOf(cc: WebhookClientConfig, timeoutMs: number): Target {
  const q = `?timeout=${formatGoDuration(timeoutMs)}`;
  if (cc.service) {
    const { namespace, name } = cc.service;
    const port = cc.service.port ?? 443;
    const path = cc.service.path ?? '';
    const host = `${name}.${namespace}.svc`;
    return { url: `https://${host}:${port}${path}${q}`, host, port, path: (path || '/') + q, servername: host, hostHeader: `${host}:${port}`, service: { namespace, name } };
  }
  const u = new URL(cc.url ?? '');
  const host = u.hostname.replace(/^\[|\]$/g, '');
  const port = Number(u.port || 443);
  return { url: `${u.origin}${u.pathname === '/' && !(cc.url ?? '').endsWith('/') ? '' : u.pathname}${q}`, host, port, path: u.pathname + q, servername: isIP(host) ? '' : host, hostHeader: u.host };
}

function resolveService(t: Target, w: WebhookNetwork): { ip: string; port: number } {
  const { namespace, name } = t.service!;
  const svc = w.service(namespace, name) as { spec?: { type?: string; clusterIP?: string; ports?: { port: number }[] } } | undefined;
  if (!svc) throw new CallError(`service "${name}" not found`);
  const spec = svc.spec ?? {};
  if (spec.type === 'ExternalName') throw new CallError(`unsupported service type "ExternalName"`);
  if (!spec.clusterIP || spec.clusterIP === 'None') throw new CallError(`cannot route to service with ClusterIP "None"`);
  if (!(spec.ports ?? []).some((p) => p.port === t.port)) throw new CallError(`no service port ${t.port} found for service "${name}"`);
  return { ip: spec.clusterIP, port: t.port };
}

function dialError(e: unknown, ip: string, port: number): CallError {
  if (e instanceof CallError) return e;
  const code = e instanceof NetError ? e.code : (e as NodeJS.ErrnoException).code;
  if (code === 'ECONNREFUSED') return new CallError(`dial tcp ${ip}:${port}: connect: connection refused`);
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return new CallError(`dial tcp ${ip}:${port}: connect: no route to host`);
  if (code === 'ETIMEDOUT' || code === 'EINTR') return new CallError('context deadline exceeded');
  return new CallError(`dial tcp ${ip}:${port}: ${(e as Error).message}`);
}

/** Go's x509 wording for Node's certificate verification errors. */
function tlsError(e: Error & { code?: string }, servername: string): CallError {
  switch (e.code) {
    case 'ERR_TLS_CERT_ALTNAME_INVALID': return new CallError(`tls: failed to verify certificate: x509: certificate is valid for ${(e as { cert?: { subjectaltname?: string } }).cert?.subjectaltname?.replace(/(DNS|IP Address):/g, '') ?? 'other names'}, not ${servername}`);
    case 'CERT_HAS_EXPIRED': case 'CERT_NOT_YET_VALID': return new CallError('tls: failed to verify certificate: x509: certificate has expired or is not yet valid');
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE': case 'SELF_SIGNED_CERT_IN_CHAIN': case 'DEPTH_ZERO_SELF_SIGNED_CERT': case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY': case 'UNABLE_TO_GET_ISSUER_CERT':
      return new CallError('tls: failed to verify certificate: x509: certificate signed by unknown authority');
    default: return new CallError(e.message);
  }
}

async function dial(t: Target, w: WebhookNetwork, signal: AbortSignal): Promise<Duplex> {
  if (t.service) {
    const to = resolveService(t, w);
    const stack = w.stack();
    if (!stack) throw new CallError('the cluster network is not ready');
    try { return await stack.connect(to, { signal }); } catch (e) { throw dialError(e, to.ip, to.port); }
  }
  if (!isLoopback(t.host)) throw new CallError(`dial tcp ${t.host}:${t.port}: knet reaches url webhooks on loopback addresses only`);
  const ip = t.host === 'localhost' ? '127.0.0.1' : t.host;
  return new Promise<Duplex>((resolve, reject) => {
    const s = net.connect({ host: ip, port: t.port });
    const abort = (): void => { s.destroy(); reject(new CallError('context deadline exceeded')); };
    signal.addEventListener('abort', abort, { once: true });
    s.once('connect', () => { signal.removeEventListener('abort', abort); resolve(s); });
    s.once('error', (e) => { signal.removeEventListener('abort', abort); reject(dialError(e, ip, t.port)); });
  });
}

function handshake(conn: Duplex, t: Target, caBundle: string | undefined): Promise<tls.TLSSocket> {
  const ca = caBundle ? Buffer.from(caBundle, 'base64').toString('utf8') : undefined;
  return new Promise((resolve, reject) => {
    const s = tls.connect({ socket: conn as Socket, servername: t.servername || undefined, host: t.host, ca, rejectUnauthorized: true, ALPNProtocols: ['http/1.1'] });
    closeWithTls(s, conn);
    s.once('secureConnect', () => resolve(s));
    s.once('error', (e) => { s.destroy(); reject(tlsError(e, t.servername || t.host)); });
  });
}

function exchange(s: tls.TLSSocket, t: Target, body: Buffer): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = http.request({
      method: 'POST', path: t.path, createConnection: () => s as unknown as Socket, setHost: false,
      headers: { Host: t.hostHeader, 'Content-Type': 'application/json', Accept: 'application/json, */*', 'User-Agent': 'kube-apiserver-admission', 'Content-Length': body.length },
    }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (d: Buffer) => {
        size += d.length;
        if (size > MAX_RESPONSE_BYTES) { res.destroy(); reject(new CallError(`the webhook response exceeds ${MAX_RESPONSE_BYTES} bytes`)); return; }
        chunks.push(d);
      });
      res.on('error', () => reject(new CallError('unexpected EOF')));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const code = res.statusCode ?? 0;
        if (code < 200 || code > 299) { reject(new CallError(statusMessage(code, text), true)); return; }
        try { resolve(JSON.parse(text)); } catch (e) { reject(new CallError(`couldn't get version/kind; json parse error: ${(e as Error).message}`)); }
      });
    });
    req.on('error', (e: NodeJS.ErrnoException) => reject(new CallError(e.code === 'ECONNRESET' ? 'EOF' : e.message)));
    req.end(body);
  });
}

/** What client-go says of a non-2xx answer that is not a Status. */
function statusMessage(code: number, text: string): string {
  try {
    const st = JSON.parse(text) as { kind?: string; message?: string };
    if (st.kind === 'Status' && st.message) return st.message;
  } catch { /* not JSON */ }
  const body = text.trim();
  if (code === 404) return 'the server could not find the requested resource';
  if (code >= 500) return `an error on the server ("${body}") has prevented the request from succeeding`;
  return `the server rejected our request for an unknown reason${body ? ` (${body})` : ''}`;
}

/** One call: resolves with the decoded JSON answer, rejects with a CallError worded as upstream (prefixed with `Post "url": ` where Go's client would). */
export async function post(cc: WebhookClientConfig, body: Buffer, timeoutMs: number, w: WebhookNetwork, queue: <T>(f: () => Promise<T>) => Promise<T>): Promise<unknown> {
  const t = targetOf(cc, timeoutMs);
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(), timeoutMs);
  let sock: Duplex | undefined;
  const timeout = new Promise<never>((_, reject) => ac.signal.addEventListener('abort', () => { sock?.destroy(); reject(new CallError('context deadline exceeded')); }, { once: true }));
  timeout.catch(() => undefined);
  try {
    return await Promise.race([timeout, queue(async () => {
      if (ac.signal.aborted) throw new CallError('context deadline exceeded');
      const conn = sock = await dial(t, w, ac.signal);
      const s = sock = await handshake(conn, t, cc.caBundle);
      try { return await exchange(s, t, body); } finally { s.destroy(); }
    })]);
  } catch (e) {
    if (e instanceof CallError && !e.bare) throw new CallError(`Post "${t.url}": ${e.message}`, true);
    throw e;
  } finally {
    clearTimeout(timer);
  }
}
