/**
 * ingress-nginx's validating admission webhook (`--validating-webhook=:8443` with
 * `--validating-webhook-certificate` and `--validating-webhook-key`; IN:internal/admission/controller):
 * an Ingress the controller would refuse (a bad annotation, a snippet, a host and path another
 * Ingress already defines) is denied with 400 BadRequest and the controller's own message.
 */
import tls from 'node:tls';
import type { Ingress } from '../../api/kinds/ingress.js';
import { NetError } from '../../net/types.js';
import type { IngressRoutes } from '../../dataplane/ingress/routes.js';
import type { ProcessContext } from '../types.js';
import { readReview, replyReview, serveHttps, type Review, type ReviewAnswer } from '../util/admission.js';
import type { ControllerFlags } from './flags.js';
import type { Klog } from './klog.js';

const denied = (message: string): ReviewAnswer => ({ allowed: false, status: { metadata: {}, status: 'Failure', code: 400, reason: 'BadRequest', message } });

/** The decision on one review (exported for tests). */
export function decide(review: Review, routes: Pick<IngressRoutes, 'check'>, klog: Klog): ReviewAnswer {
  const r = review.request ?? {};
  const gvr = r.resource ?? {};
  if (gvr.group !== 'networking.k8s.io' || gvr.version !== 'v1' || gvr.resource !== 'ingresses') {
    return denied(`rejecting admission review because the request does not contain an Ingress resource but ${gvr.group ? gvr.group + '/' : ''}${gvr.version ?? ''}, Resource=${gvr.resource ?? ''} with name ${r.name ?? ''} in namespace ${r.namespace ?? ''}`);
  }
  const ing = r.object as Ingress | null | undefined;
  if (!ing?.metadata) return { allowed: true };
  ing.metadata.namespace ??= r.namespace;
  const key = `${r.namespace ?? ''}/${ing.metadata.name ?? r.name ?? ''}`;
  const err = routes.check(ing);
  if (err) {
    klog.info('E', 'main.go:73', 'invalid ingress configuration', { err, ingress: key });
    return denied(err);
  }
  klog.info('I', 'main.go:85', 'successfully validated configuration, accepting', { ingress: key });
  return { allowed: true };
}

/** The port of an address such as `:8443` or `0.0.0.0:8443`. */
function portOf(address: string): number | undefined {
  const n = Number(address.slice(address.lastIndexOf(':') + 1));
  return Number.isInteger(n) && n > 0 && n < 65536 ? n : undefined;
}

/** Starts the webhook server when the flags ask for it; 'fatal' when it cannot (logged). */
export function startAdmissionWebhook(ctx: ProcessContext, f: ControllerFlags, routes: IngressRoutes, klog: Klog): { close(): void } | undefined | 'fatal' {
  if (!f.validatingWebhook) return undefined;
  const port = portOf(f.validatingWebhook);
  const cert = f.validatingWebhookCertificate ? ctx.fs.read(f.validatingWebhookCertificate) : undefined;
  const key = f.validatingWebhookKey ? ctx.fs.read(f.validatingWebhookKey) : undefined;
  if (port === undefined) { klog.text('F', 'main.go:64', `listen tcp: address ${f.validatingWebhook}: missing port in address`); return 'fatal'; }
  // As upstream's TLSListener: a certificate that cannot be loaded fails each handshake, not the controller.
  klog.info('I', 'tls.go:60', 'loading tls certificate', { path: f.validatingWebhookCertificate ?? '', key: f.validatingWebhookKey ?? '' });
  let context: tls.SecureContext | undefined;
  try { context = cert && key ? tls.createSecureContext({ cert, key }) : undefined; } catch { context = undefined; }
  klog.info('I', 'nginx.go:330', 'Starting validation webhook', { address: f.validatingWebhook, certPath: f.validatingWebhookCertificate ?? '', keyPath: f.validatingWebhookKey ?? '' });
  try {
    return serveHttps(ctx.net, port, context, (req, res) => {
      void readReview(req, res, (m) => klog.info('E', 'main.go:60', 'Failed to decode request body', { err: m })).then((review) => {
        if (review) replyReview(req, res, review, decide(review, routes, klog));
      });
    });
  } catch (e) {
    if (!(e instanceof NetError)) throw e;
    klog.text('F', 'main.go:64', `port ${port} is already in use. Please check the flag --validating-webhook`);
    return 'fatal';
  }
}
