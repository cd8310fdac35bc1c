/**
 * `agnhost webhook`: the admission webhook server Kubernetes' e2e tests deploy (HTTPS on --port,
 * default 443, with --tls-cert-file/--tls-private-key-file). Paths as upstream's
 * test/images/agnhost/webhook: /always-allow-delay-5s, /always-deny, /add-label, /pods,
 * /pods/attach, /mutating-pods, /mutating-pods-sidecar, /configmaps, /mutating-configmaps, /readyz.
 * Requests are AdmissionReview v1 or v1beta1; the answer has the same version and the request's uid.
 */
import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import tls from 'node:tls';
import type { Conn, Listener } from '../../net/types.js';
import { NetError } from '../../net/types.js';
import type { ProcessContext } from '../types.js';
import { goError, goReply } from '../util/http.js';
import { goLog, untilAborted } from '../util/proc.js';
import { admitters, type Review, type ReviewAnswer } from './webhook-admit.js';

/** Options of the webhook subcommand. */
export interface WebhookOptions { port: number; certFile: string; keyFile: string; sidecarImage: string }

/** The largest request body read (the API server's own limit for an object is 3 MiB). */
const MAX_BODY = 4 * 1024 * 1024;

function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (d: Buffer) => { size += d.length; if (size > MAX_BODY) { req.destroy(); resolve(undefined); } else chunks.push(d); });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', () => resolve(undefined));
  });
}

async function serve(ctx: ProcessContext, o: WebhookOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = (req.url ?? '/').split('?')[0]!;
  if (path === '/readyz') { goReply(req, res, 200, 'ok'); return; }
  const admit = admitters(o.sidecarImage, ctx.signal)[path];
  if (!admit) { goError(req, res, '404 page not found', 404); return; }
  const body = await readBody(req);
  if (!body) return;
  if (req.headers['content-type'] !== 'application/json') {
    goLog(ctx.stderr, `contentType=${req.headers['content-type'] ?? ''}, expect application/json`);
    goReply(req, res, 200, '');
    return;
  }
  let review: Review;
  try {
    review = JSON.parse(body.toString('utf8')) as Review;
  } catch (e) {
    const msg = `Request could not be decoded: ${(e as Error).message}`;
    goLog(ctx.stderr, msg);
    goError(req, res, msg, 400);
    return;
  }
  const version = review.apiVersion;
  if (review.kind !== 'AdmissionReview' || (version !== 'admission.k8s.io/v1' && version !== 'admission.k8s.io/v1beta1')) {
    const msg = `Unsupported group version kind: ${version ?? ''}, Kind=${review.kind ?? ''}`;
    goLog(ctx.stderr, msg);
    goError(req, res, msg, 400);
    return;
  }
  const answer: ReviewAnswer | undefined = await admit(review);
  if (!answer) { req.socket.destroy(); return; } // upstream dereferences a nil response: the handler panics
  const out = { kind: 'AdmissionReview', apiVersion: version, response: { ...answer, uid: review.request?.uid ?? '' } };
  goReply(req, res, 200, JSON.stringify(out), { 'Content-Type': 'application/json' });
}

/** Runs the webhook server until stopped. */
export async function webhook(ctx: ProcessContext, o: WebhookOptions): Promise<number> {
  const cert = o.certFile ? ctx.fs.read(o.certFile) : undefined;
  const key = o.keyFile ? ctx.fs.read(o.keyFile) : undefined;
  if (!cert || !key) {
    goLog(ctx.stderr, `open ${!cert ? o.certFile : o.keyFile}: no such file or directory`);
    return 255; // klog.Fatal
  }
  let secureContext: tls.SecureContext;
  try { secureContext = tls.createSecureContext({ cert, key }); } catch (e) {
    goLog(ctx.stderr, `tls: ${(e as Error).message}`);
    return 255;
  }
  const server = http.createServer((req, res) => { void serve(ctx, o, req, res); });
  const conns = new Set<Conn>();
  let listener: Listener;
  try {
    listener = ctx.net.listen(o.port, (conn) => {
      conns.add(conn);
      conn.once('close', () => conns.delete(conn));
      conn.on('error', () => conn.destroy());
      const t = new tls.TLSSocket(conn as unknown as Socket, { isServer: true, secureContext, ALPNProtocols: ['http/1.1'] } as tls.TLSSocketOptions);
      t.on('error', () => t.destroy());
      t.once('secure', () => server.emit('connection', t));
    });
  } catch (e) {
    if (!(e instanceof NetError)) throw e;
    goLog(ctx.stderr, `listen tcp :${o.port}: bind: address already in use`);
    return 2; // panic
  }
  await untilAborted(ctx.signal);
  listener.close();
  for (const c of conns) c.destroy();
  return ctx.signal.reason === 'SIGKILL' ? 137 : 143; // a Go program without signal handling
}
