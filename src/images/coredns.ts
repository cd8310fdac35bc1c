/**
 * `registry.k8s.io/coredns/coredns`: compiles the Corefile at its -conf path into its cluster's DNS
 * service (`ctx.cluster.dns`, src/dataplane/dns) and serves it on each server block's port of its
 * pod (UDP and TCP), /health (health plugin), /ready (ready plugin: 200 once that cluster's DNS has
 * synced) and a small /metrics (prometheus plugin). With the reload plugin it re-reads the Corefile
 * (which the kubelet refreshes from the ConfigMap) every interval ± jitter and applies it, keeping
 * the running configuration when the new one fails, logging as CoreDNS does.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { NetError } from '../net/types.js';
import { serveOnStack, type CorefileConfig, type DnsService } from '../dataplane/dns/index.js';
import { defaultCorefile } from '../dataplane/dns/config/default.js';
import type { ImageDef, ProcessContext } from './types.js';
import { parseImageRef } from './ref.js';
import { goReply, serveHttp } from './util/http.js';
import { sleep } from './util/proc.js';

const BUILDS: Record<string, string> = { '1.11.1': 'go1.20.7, ae2bbc2', '1.11.3': 'go1.21.11, a6338e9' };

/** Whether the pod's cluster DNS runs and has synced (CoreDNS's ready plugin waits for the kubernetes plugin). */
function ready(ctx: ProcessContext): boolean {
  return ctx.cluster.dns?.synced() ?? false;
}

const service = (ctx: ProcessContext): DnsService | undefined => {
  const d = ctx.cluster.dns;
  return d && 'compile' in d ? d : undefined;
};

/** Closable listeners of one process. */
type Closer = { close(): void };

/** Opens the HTTP endpoints of the health, ready and prometheus plugins (all three without a compiled Corefile). */
function httpEndpoints(ctx: ProcessContext, cfg: CorefileConfig | undefined, version: string): Closer[] {
  const out: Closer[] = [];
  const http = (port: number, h: (req: IncomingMessage, res: ServerResponse) => void): void => { out.push(serveHttp(ctx.net, port, h)); };
  const s = cfg?.settings;
  const health = cfg ? s?.health?.port : 8080;
  if (health !== undefined) http(health, (req, res) => goReply(req, res, req.url === '/health' ? 200 : 404, req.url === '/health' ? 'OK' : '404 page not found\n'));
  const readyPort = cfg ? s?.ready?.port : 8181;
  if (readyPort !== undefined) {
    http(readyPort, (req, res) => {
      if (req.url !== '/ready') { goReply(req, res, 404, '404 page not found\n'); return; }
      goReply(req, res, ready(ctx) ? 200 : 503, ready(ctx) ? 'OK' : 'kubernetes');
    });
  }
  const metrics = cfg ? s?.prometheus?.port : 9153;
  const build = BUILDS[version] ?? BUILDS['1.11.3']!;
  if (metrics !== undefined) {
    http(metrics, (req, res) => goReply(req, res, 200,
      `# HELP coredns_build_info A metric with a constant '1' value labeled by version, revision, and goversion from which CoreDNS was built.\n# TYPE coredns_build_info gauge\ncoredns_build_info{goversion="${build.split(',')[0]}",revision="${build.split(', ')[1]}",version="${version}"} 1\n`,
      { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' }));
  }
  return out;
}

/** Whether this pod is the cluster's DNS (behind kube-dns): only those apply their Corefile to the cluster. */
const clusterDNS = (ctx: ProcessContext): boolean => ctx.pod.namespace === 'kube-system' && ctx.pod.labels['k8s-app'] === 'kube-dns';

/** Keeps one DNS listener per server-block port of the served Corefile. */
class DnsListeners {
  private readonly open = new Map<number, Closer>();
  /** The Corefile a coredns of the user's own serves (not the cluster's). */
  running?: CorefileConfig;
  constructor(private readonly ctx: ProcessContext, private readonly out: (l: string) => void) {}
  /** Opens the ports of cfg (port 53 when there is none) and closes the others; throws NetError when one is taken. */
  sync(cfg: CorefileConfig | undefined): void {
    const ports = cfg ? [...cfg.servers.keys()] : [53];
    for (const [p, l] of this.open) if (!ports.includes(p)) { l.close(); this.open.delete(p); }
    for (const p of ports) {
      if (this.open.has(p)) continue;
      const s = service(this.ctx);
      const own = s && !clusterDNS(this.ctx) ? s.standalone(() => this.running!, p) : undefined;
      // Looked up per query: while the cluster's DNS is gone from the handle, queries get SERVFAIL.
      const handler = () => { const cur = service(this.ctx); return cur ? own ?? cur.port(p) : this.ctx.cluster.dns; };
      this.open.set(p, serveOnStack(this.ctx.net, handler, p, { log: this.out, net: this.ctx.net }));
    }
  }
  close(): void { for (const l of this.open.values()) l.close(); this.open.clear(); }
}

/** The server lines CoreDNS prints at start (`.:53`, `example.org.:53`). */
function serverLines(cfg: CorefileConfig | undefined): string[] {
  if (!cfg) return ['.:53'];
  return [...cfg.servers.values()].flat().map((s) => `${s.zone ? s.zone + '.' : '.'}:${s.port}`);
}

/** The coredns program (`coredns -conf FILE`). */
export async function coredns(ctx: ProcessContext): Promise<number> {
  const args = ctx.argv.slice(1);
  const version = /^v?(\d+\.\d+\.\d+)/.exec(parseImageRef(ctx.pod.image).tag ?? '')?.[1] ?? '1.11.3';
  if (args.includes('-version')) { ctx.stdout.write(`CoreDNS-${version}\nlinux/amd64, ${BUILDS[version] ?? BUILDS['1.11.3']}\n`); return 0; }
  const confPath = args.includes('-conf') ? args[args.indexOf('-conf') + 1] ?? 'Corefile' : 'Corefile';
  // The compiled Corefile may outlive this process (it serves until another applies one): write only while running.
  let alive = true;
  const out = (l: string): void => { if (alive) ctx.stdout.write(l + '\n'); };
  try {
    return await serve(ctx, version, confPath, out);
  } finally {
    alive = false;
  }
}

async function serve(ctx: ProcessContext, version: string, confPath: string, out: (l: string) => void): Promise<number> {
  const build = BUILDS[version] ?? BUILDS['1.11.3']!;
  const read = (): string | undefined => ctx.fs.read(confPath)?.toString();
  const compile = (text: string): CorefileConfig | undefined => service(ctx)?.compile(text, {
    file: confPath, env: ctx.env, log: out, readFile: (p) => ctx.fs.read(p)?.toString(),
  });
  let text = read() ?? defaultCorefile('cluster.local');
  let cfg: CorefileConfig | undefined;
  try {
    cfg = compile(text);
  } catch (e) {
    out((e as Error).message);
    return 1;
  }
  for (const w of cfg?.warnings ?? []) out(w);
  const listeners = new DnsListeners(ctx, out);
  const apply = (c: CorefileConfig): void => { listeners.running = c; if (clusterDNS(ctx)) service(ctx)?.use(c); };
  if (cfg) apply(cfg);
  const servers: Closer[] = [];
  try {
    listeners.sync(cfg);
    servers.push(...httpEndpoints(ctx, cfg, version));
  } catch (e) {
    listeners.close();
    for (const s of servers) s.close();
    if (!(e instanceof NetError)) throw e;
    out('Listen: listen tcp :53: bind: address already in use');
    return 1;
  }
  for (const l of serverLines(cfg)) out(l);
  out(`[INFO] plugin/reload: Running configuration SHA512 = ${hash(text)}`);
  out(`CoreDNS-${version}`);
  out(`linux/amd64, ${build}`);
  void waitReady(ctx, out);
  let running = cfg;
  let seen = cfg?.sha512;
  while (!ctx.signal.aborted) {
    const r = running?.settings.reload;
    if (!r) { await new Promise<void>((res) => ctx.signal.addEventListener('abort', () => res(), { once: true })); break; }
    if (!(await sleep(r.intervalMs + (Math.random() * 2 - 1) * r.jitterMs, ctx.signal))) break;
    text = read() ?? text;
    const sha = hash(text);
    if (sha === seen) continue;
    seen = sha;
    out('[INFO] Reloading');
    let next: CorefileConfig | undefined;
    try {
      next = compile(text);
      listeners.sync(next);
    } catch (e) {
      const msg = (e as Error).message;
      out(`[ERROR] Restart failed: ${msg}`);
      out(`[ERROR] plugin/reload: Corefile changed but reload failed: starting with listener file descriptors: ${msg}`);
      if (running) try { listeners.sync(running); } catch { /* the old ports are still open */ }
      continue;
    }
    for (const w of next?.warnings ?? []) out(w);
    if (next) apply(next);
    const lameduck = running?.settings.health?.lameduckMs;
    if (lameduck) out(`[INFO] plugin/health: Going into lameduck mode for ${formatSeconds(lameduck)}`);
    running = next;
    out(`[INFO] plugin/reload: Running configuration SHA512 = ${sha}`);
    out('[INFO] Reloading complete');
  }
  listeners.close();
  for (const s of servers) s.close();
  if (ctx.signal.reason === 'SIGKILL') return 137;
  out('[INFO] SIGTERM: Shutting down servers then terminating');
  const lameduck = running?.settings.health?.lameduckMs ?? (running ? 0 : 5000);
  if (lameduck) out(`[INFO] plugin/health: Going into lameduck mode for ${formatSeconds(lameduck)}`);
  return 0;
}

const hash = (t: string): string => createHash('sha512').update(t).digest('hex');
const formatSeconds = (ms: number): string => `${ms / 1000}s`;

async function waitReady(ctx: ProcessContext, out: (l: string) => void): Promise<void> {
  while (!ctx.signal.aborted && !ready(ctx)) {
    if (!(await sleep(1000, ctx.signal))) break;
    if (!ready(ctx)) out('[INFO] plugin/ready: Still waiting on: "kubernetes"');
  }
}

/** The coredns image (ENTRYPOINT /coredns). */
export const corednsImage: ImageDef = {
  repositories: ['coredns/coredns', 'coredns'],
  entrypoint: ['/coredns'],
  cmd: [],
  programs: { coredns },
};
