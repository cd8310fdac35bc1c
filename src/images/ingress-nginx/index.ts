/**
 * `registry.k8s.io/ingress-nginx/controller` (any tag or digest): `/usr/bin/dumb-init --
 * /nginx-ingress-controller`, whose program is knet's Ingress controller. It parses ingress-nginx's
 * flags, prints the banner (stdout) and klog lines (stderr) as upstream starts
 * (ingress-notes §7.1), makes the fake certificate, attaches to its cluster's ingress service
 * (`ctx.cluster.ingress`: shared routes, status, leader), serves HTTP/HTTPS on its pod's ports
 * with access-log lines on stdout, and answers `/healthz` on 10254 for the Deployment's probes.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { NetError } from '../../net/types.js';
import { KUBE_VERSION } from '../../apiserver/http/discovery.js';
import { serveIngress, type IngressServer } from '../../dataplane/ingress/http/server.js';
import type { IngressAttachment } from '../../dataplane/ingress/service.js';
import type { ImageDef, ProcessContext } from '../types.js';
import { parseImageRef } from '../ref.js';
import { goReply, serveHttp, type VirtualHttpServer } from '../util/http.js';
import { untilAborted } from '../util/proc.js';
import { parseControllerFlags, usage, type ControllerFlags } from './flags.js';
import { Klog } from './klog.js';
import { startAdmissionWebhook } from './admission.js';

/** The release knet's controller reports when the tag names none. */
export const DEFAULT_RELEASE = 'v1.15.1';
/** nginx in the final release's image (IN:images/nginx/rootfs/build.sh). */
const NGINX_VERSION = 'nginx/1.27.1';
const FAKE_CERT_PATH = '/etc/ingress-controller/ssl/default-fake-certificate.pem';
const RULE = '-'.repeat(79);

/** The start-up banner (IN:version/version.go), the release taken from the image tag. */
export function banner(image: string): string {
  const release = /^v?\d+\.\d+\.\d+/.exec(parseImageRef(image).tag ?? '')?.[0] ?? DEFAULT_RELEASE;
  return `${RULE}\nNGINX Ingress controller\n  Release:       ${release.startsWith('v') ? release : `v${release}`}\n  Build:         knet\n`
    + `  Repository:    https://github.com/kubernetes/ingress-nginx\n  nginx version: ${NGINX_VERSION}\n\n${RULE}\n\n`;
}

/** Where routes' messages come from in upstream's sources (for the klog header). */
function sourceOf(message: string): string {
  if (/ingress ?class/i.test(message)) return 'store.go:440';
  if (/certificate|secret/i.test(message)) return 'backend_ssl.go:67';
  return 'controller.go:1200';
}

/** Runs the controller until SIGTERM (exit 143) or SIGKILL (137). */
export async function nginxIngressController(ctx: ProcessContext): Promise<number> {
  const klog = new Klog(ctx.stderr);
  ctx.stdout.write(banner(ctx.pod.image));
  const parsed = parseControllerFlags(ctx.argv.slice(1));
  if (!parsed.ok) {
    if (parsed.pflag) { ctx.stderr.write(`${parsed.error}\n${usage()}`); return 2; }
    klog.text('F', 'main.go:64', parsed.error);
    return 255;
  }
  const flags = parsed.flags;
  if (flags.version) return 0;
  const service = ctx.cluster.ingress;
  if (!service) { klog.text('F', 'main.go:88', 'the cluster has no ingress service running (knet stopping?)'); return 255; }
  const apiHost = `https://${ctx.env.KUBERNETES_SERVICE_HOST ?? '10.96.0.1'}:${ctx.env.KUBERNETES_SERVICE_PORT ?? '443'}`;
  klog.info('I', 'main.go:205', 'Creating API client', { host: apiHost });
  klog.info('I', 'main.go:248', 'Running in Kubernetes cluster', {
    major: KUBE_VERSION.major, minor: KUBE_VERSION.minor, git: KUBE_VERSION.gitVersion, state: 'clean', commit: KUBE_VERSION.gitCommit, platform: 'linux/amd64',
  });
  // /healthz listens first and answers once the controller serves, so the first readiness probe
  // (the Deployment's start at once) waits for it instead of failing until the next period.
  const health = healthz(ctx, flags);
  if (!health) return 255;
  const fake = await service.fakeCertificate();
  ctx.fs.write(FAKE_CERT_PATH, fake.certPem + fake.keyPem);
  klog.info('I', 'main.go:110', 'SSL fake certificate created', { file: FAKE_CERT_PATH });
  klog.info('I', 'nginx.go:273', 'Starting NGINX Ingress controller');
  const attachment = service.attach({
    pod: { namespace: ctx.pod.namespace, name: ctx.pod.name }, config: flags, defaultCertificate: fake.certificate,
    log: (sev, message, kv, at) => klog.info(sev, at ?? sourceOf(message), message, kv),
    logText: (sev, text, at) => klog.text(sev, at, text),
  });
  const servers: { close(): void }[] = [health.server];
  try {
    servers.push(serveIngress({
      net: ctx.net, routes: attachment.routes, httpPort: flags.httpPort, httpsPort: flags.httpsPort,
      accessLog: (l) => ctx.stdout.write(l + '\n'), errorLog: (l) => ctx.stderr.write(l + '\n'),
    }));
  } catch (e) {
    for (const s of servers) s.close();
    attachment.release();
    if (!(e instanceof NetError)) throw e;
    klog.text('F', 'main.go:64', `port ${flags.httpPort} is already in use. Please check the flag --http-port`);
    return 255;
  }
  const admission = startAdmissionWebhook(ctx, flags, attachment.routes, klog);
  if (admission === 'fatal') {
    for (const s of servers) s.close();
    attachment.release();
    return 255;
  }
  if (admission) servers.push(admission);
  health.serving();
  klog.info('I', 'nginx.go:319', 'Starting NGINX process');
  const reloaded = (): void => {
    klog.info('I', 'controller.go:193', 'Configuration changes detected, backend reload required');
    klog.info('I', 'controller.go:213', 'Backend successfully reloaded');
    attachment.podEvent('Normal', 'RELOAD', 'NGINX reload triggered due to a change in configuration');
  };
  const unsubscribe = attachment.routes.subscribe(reloaded);
  void attachment.routes.synced().then(() => { if (!ctx.signal.aborted) reloaded(); });
  await untilAborted(ctx.signal);
  unsubscribe();
  return shutdown(ctx, klog, attachment, servers);
}

/** Stops serving and detaches, logging as upstream's SIGTERM handler. */
function shutdown(ctx: ProcessContext, klog: Klog, attachment: IngressAttachment, servers: (IngressServer | VirtualHttpServer | { close(): void })[]): number {
  const killed = ctx.signal.reason === 'SIGKILL';
  if (!killed) {
    klog.info('I', 'main.go:325', 'Received SIGTERM, shutting down');
    klog.info('I', 'nginx.go:379', 'Shutting down controller queues');
    klog.info('I', 'nginx.go:395', 'Stopping NGINX process');
  }
  for (const s of servers) s.close();
  attachment.release();
  if (killed) return 137;
  klog.info('I', 'nginx.go:408', 'NGINX process has stopped');
  klog.info('I', 'main.go:333', 'Exiting', { code: '143' });
  return 143;
}

/**
 * The health endpoint (`/healthz` on 10254; upstream answers `ok`). Until `serving()` a health check
 * is held (the probe's own timeout bounds it); undefined when the port is taken (logged).
 */
function healthz(ctx: ProcessContext, f: ControllerFlags): { server: VirtualHttpServer; serving(): void } | undefined {
  let serving = false;
  const held: (() => void)[] = [];
  const answer = (req: IncomingMessage, res: ServerResponse): void => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === f.healthCheckPath) goReply(req, res, 200, 'ok', { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' });
    else goReply(req, res, 404, '404 page not found\n', { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' });
  };
  try {
    const server = serveHttp(ctx.net, f.healthzPort, (req, res) => {
      if (serving) answer(req, res);
      else if (held.length < 64) held.push(() => answer(req, res));
      else goReply(req, res, 500, 'not serving yet\n');
    });
    return { server, serving: () => { serving = true; for (const h of held.splice(0)) h(); } };
  } catch (e) {
    if (!(e instanceof NetError)) throw e;
    new Klog(ctx.stderr).text('F', 'main.go:64', `port ${f.healthzPort} is already in use. Please check the flag --healthz-port`);
    return undefined;
  }
}

/** dumb-init: runs its command as the child and passes the stop signal on. */
async function dumbInit(ctx: ProcessContext): Promise<number> {
  const args = ctx.argv.slice(1);
  const cmd = args[0] === '--' ? args.slice(1) : args;
  if (cmd.length === 0) { ctx.stderr.write('Usage: dumb-init [option] command [[arg] ...]\n'); return 1; }
  const code = await ctx.spawn(cmd, { stdin: ctx.stdin, stdout: ctx.stdout, stderr: ctx.stderr, env: ctx.env, cwd: ctx.cwd, signal: ctx.signal });
  if (code === 127) ctx.stderr.write(`[dumb-init] ${cmd[0] ?? ''}: No such file or directory\n`);
  return code;
}

/** The image (the registry adds the base tools). */
export const ingressNginxImage: ImageDef = {
  repositories: ['ingress-nginx/controller'],
  entrypoint: ['/usr/bin/dumb-init', '--'],
  cmd: ['/nginx-ingress-controller'],
  workingDir: '/etc/nginx',
  programs: {
    'dumb-init': dumbInit,
    'nginx-ingress-controller': nginxIngressController,
    // preStop hook of upstream's manifests: the controller shuts down on SIGTERM by itself.
    'wait-shutdown': () => Promise.resolve(0),
  },
};
