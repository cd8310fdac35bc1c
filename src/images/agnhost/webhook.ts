/**
 * `agnhost webhook`: the admission webhook server Kubernetes' e2e tests deploy (HTTPS on --port,
 * default 443, with --tls-cert-file/--tls-private-key-file). Paths as upstream's
 * test/images/agnhost/webhook: /always-allow-delay-5s, /always-deny, /add-label, /pods,
 * /pods/attach, /mutating-pods, /mutating-pods-sidecar, /configmaps, /mutating-configmaps, /readyz.
 * Requests are AdmissionReview v1 or v1beta1; the answer has the same version and the request's uid.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import tls from 'node:tls';
import { NetError } from '../../net/types.js';
import type { ProcessContext } from '../types.js';
import { goError, goReply } from '../util/http.js';
import { goLog, untilAborted } from '../util/proc.js';
import { readReview, replyReview, serveHttps } from '../util/admission.js';
import { admitters } from './webhook-admit.js';

/** Options of the webhook subcommand. */
export interface WebhookOptions { port: number; certFile: string; keyFile: string; sidecarImage: string }

async function serve(ctx: ProcessContext, o: WebhookOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = (req.url ?? '/').split('?')[0]!;
  if (path === '/readyz') { goReply(req, res, 200, 'ok'); return; }
  const admit = admitters(o.sidecarImage, ctx.signal)[path];
  if (!admit) { goError(req, res, '404 page not found', 404); return; }
  const review = await readReview(req, res, (m) => goLog(ctx.stderr, m));
  if (!review) return;
  const answer = await admit(review);
  if (!answer) { req.socket.destroy(); return; } // upstream dereferences a nil response: the handler panics
  replyReview(req, res, review, answer);
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
  let server: { close(): void };
  try {
    server = serveHttps(ctx.net, o.port, secureContext, (req, res) => { void serve(ctx, o, req, res); });
  } catch (e) {
    if (!(e instanceof NetError)) throw e;
    goLog(ctx.stderr, `listen tcp :${o.port}: bind: address already in use`);
    return 2; // panic
  }
  await untilAborted(ctx.signal);
  server.close();
  return ctx.signal.reason === 'SIGKILL' ? 137 : 143; // a Go program without signal handling
}
