/**
 * What built-in admission webhook servers share (agnhost `webhook`, ingress-nginx's validating
 * webhook): HTTPS on a pod's stack with a certificate from files, and the AdmissionReview exchange
 * (v1 or v1beta1 in, the same version out with the request's uid).
 */
import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import tls from 'node:tls';
import type { KObject } from '../../api/meta.js';
import type { Conn, NetStack } from '../../net/types.js';
import { closeWithTls } from '../../net/tls.js';
import { goError, goReply } from './http.js';

/** An AdmissionReview request as received. */
export interface Review {
  apiVersion?: string;
  kind?: string;
  request?: {
    uid?: string; name?: string; namespace?: string; operation?: string; subResource?: string;
    resource?: { group?: string; version?: string; resource?: string };
    object?: KObject | null; oldObject?: KObject | null;
  };
}

/** An AdmissionResponse (without uid, which is copied from the request). */
export interface ReviewAnswer {
  allowed: boolean;
  status?: { metadata: Record<string, never>; message?: string; reason?: string; status?: string; code?: number };
  patch?: string;
  patchType?: 'JSONPatch';
}

/** The largest request body read (the API server's own limit for an object is 3 MiB). */
const MAX_BODY = 4 * 1024 * 1024;

/** How long a webhook server's connections may take: the TLS handshake, a request's headers, and idle between requests. */
export interface ServeTimeouts { handshakeMs: number; headersMs: number; idleMs: number }

/** Go's net/http does the handshake with a read deadline; 10 s is what kube-apiserver gives a webhook call by default. */
const TIMEOUTS: ServeTimeouts = { handshakeMs: 10_000, headersMs: 30_000, idleMs: 120_000 };

/**
 * Serves HTTPS on a port of the stack (TLS per virtual connection); throws the stack's NetError when
 * taken. Without a certificate every handshake fails (the connection is closed).
 */
export function serveHttps(net: NetStack, port: number, secureContext: tls.SecureContext | undefined, handler: (req: IncomingMessage, res: ServerResponse) => void, timeouts: ServeTimeouts = TIMEOUTS): { close(): void } {
  // A connection waiting for a request's headers is closed after headersMs (the server never listens, so Node's own check does not run).
  const waiting = new WeakMap<object, NodeJS.Timeout>();
  const expect = (t: tls.TLSSocket): void => { waiting.set(t, setTimeout(() => t.destroy(), timeouts.headersMs)); };
  const server = http.createServer((req, res) => {
    clearTimeout(waiting.get(req.socket));
    res.once('finish', () => { if (!req.socket.destroyed) expect(req.socket as tls.TLSSocket); });
    handler(req, res);
  });
  server.timeout = timeouts.idleMs;
  const conns = new Set<Conn>();
  const listener = net.listen(port, (conn) => {
    conns.add(conn);
    conn.once('close', () => conns.delete(conn));
    conn.on('error', () => conn.destroy());
    if (!secureContext) { conn.destroy(); return; }
    const t = new tls.TLSSocket(conn as unknown as Socket, { isServer: true, secureContext, ALPNProtocols: ['http/1.1'] } as tls.TLSSocketOptions);
    t.on('error', () => t.destroy());
    closeWithTls(t, conn);
    const handshake = setTimeout(() => t.destroy(), timeouts.handshakeMs);
    t.once('close', () => { clearTimeout(handshake); clearTimeout(waiting.get(t)); });
    t.setTimeout(timeouts.idleMs, () => t.destroy());
    t.once('secure', () => { clearTimeout(handshake); expect(t); server.emit('connection', t); });
  });
  return { close: () => { listener.close(); for (const c of conns) c.destroy(); conns.clear(); } };
}

function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (d: Buffer) => { size += d.length; if (size > MAX_BODY) { req.destroy(); resolve(undefined); } else chunks.push(d); });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', () => resolve(undefined));
  });
}

/**
 * Reads an AdmissionReview as a Go webhook server does: a wrong Content-Type gets an empty 200 (after
 * `log`), an undecodable body or another kind a 400. Undefined when the request was answered already.
 */
export async function readReview(req: IncomingMessage, res: ServerResponse, log: (msg: string) => void): Promise<Review | undefined> {
  const body = await readBody(req);
  if (!body) return undefined;
  if (req.headers['content-type'] !== 'application/json') {
    log(`contentType=${req.headers['content-type'] ?? ''}, expect application/json`);
    goReply(req, res, 200, '');
    return undefined;
  }
  let review: Review;
  try {
    review = JSON.parse(body.toString('utf8')) as Review;
  } catch (e) {
    const msg = `Request could not be decoded: ${(e as Error).message}`;
    log(msg);
    goError(req, res, msg, 400);
    return undefined;
  }
  const version = review.apiVersion;
  if (review.kind !== 'AdmissionReview' || (version !== 'admission.k8s.io/v1' && version !== 'admission.k8s.io/v1beta1')) {
    const msg = `Unsupported group version kind: ${version ?? ''}, Kind=${review.kind ?? ''}`;
    log(msg);
    goError(req, res, msg, 400);
    return undefined;
  }
  return review;
}

/** Answers a review with its own version and uid. */
export function replyReview(req: IncomingMessage, res: ServerResponse, review: Review, answer: ReviewAnswer): void {
  const out = { kind: 'AdmissionReview', apiVersion: review.apiVersion, response: { ...answer, uid: review.request?.uid ?? '' } };
  goReply(req, res, 200, JSON.stringify(out), { 'Content-Type': 'application/json' });
}
