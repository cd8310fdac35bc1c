/**
 * `registry.k8s.io/coredns/coredns`: serves its cluster's DNS handler (`ctx.cluster.dns`, from
 * src/dataplane/dns) on UDP and TCP port 53 of its pod, /health on 8080, /ready on 8181 (200 once
 * that cluster's DNS has synced) and a small /metrics on 9153, logging like CoreDNS at start and stop.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { NetError } from '../net/types.js';
import { serveOnStack } from '../dataplane/dns/index.js';
import type { ImageDef, ProcessContext } from './types.js';
import { parseImageRef } from './ref.js';
import { goReply, serveHttp, type VirtualHttpServer } from './util/http.js';
import { sleep } from './util/proc.js';

/** kubeadm's Corefile (used when the container has none at the -conf path). */
export const DEFAULT_COREFILE = `.:53 {
    errors
    health {
       lameduck 5s
    }
    ready
    kubernetes cluster.local in-addr.arpa ip6.arpa {
       pods insecure
       fallthrough in-addr.arpa ip6.arpa
       ttl 30
    }
    prometheus :9153
    forward . /etc/resolv.conf {
       max_concurrent 1000
    }
    cache 30 {
       disable success cluster.local
       disable denial cluster.local
    }
    loop
    reload
    loadbalance
}
`;

const BUILDS: Record<string, string> = { '1.11.1': 'go1.20.7, ae2bbc2', '1.11.3': 'go1.21.11, a6338e9' };

/** Whether the pod's cluster DNS runs and has synced (CoreDNS's ready plugin waits for the kubernetes plugin). */
function ready(ctx: ProcessContext): boolean {
  return ctx.cluster.dns?.synced() ?? false;
}

/** The coredns program (`coredns -conf FILE`). */
export async function coredns(ctx: ProcessContext): Promise<number> {
  const args = ctx.argv.slice(1);
  const version = /^v?(\d+\.\d+\.\d+)/.exec(parseImageRef(ctx.pod.image).tag ?? '')?.[1] ?? '1.11.3';
  if (args.includes('-version')) { ctx.stdout.write(`CoreDNS-${version}\nlinux/amd64, ${BUILDS[version] ?? BUILDS['1.11.3']}\n`); return 0; }
  const confPath = args[args.indexOf('-conf') + 1] ?? '/etc/coredns/Corefile';
  const corefile = (args.includes('-conf') ? ctx.fs.read(confPath)?.toString() : undefined) ?? DEFAULT_COREFILE;
  const out = (l: string): void => { ctx.stdout.write(l + '\n'); };
  const servers: { close(): void }[] = [];
  try {
    servers.push(serveOnStack(ctx.net, () => ctx.cluster.dns, 53));
    const http = (port: number, h: (req: IncomingMessage, res: ServerResponse) => void): VirtualHttpServer => serveHttp(ctx.net, port, h);
    servers.push(http(8080, (req, res) => goReply(req, res, req.url === '/health' ? 200 : 404, req.url === '/health' ? 'OK' : '404 page not found\n')));
    servers.push(http(8181, (req, res) => {
      if (req.url !== '/ready') { goReply(req, res, 404, '404 page not found\n'); return; }
      goReply(req, res, ready(ctx) ? 200 : 503, ready(ctx) ? 'OK' : 'kubernetes');
    }));
    servers.push(http(9153, (req, res) => goReply(req, res, 200,
      `# HELP coredns_build_info A metric with a constant '1' value labeled by version, revision, and goversion from which CoreDNS was built.\n# TYPE coredns_build_info gauge\ncoredns_build_info{goversion="${(BUILDS[version] ?? 'go1.21.11, ').split(',')[0]}",revision="${(BUILDS[version] ?? ', a6338e9').split(', ')[1]}",version="${version}"} 1\n`,
      { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' })));
  } catch (e) {
    for (const s of servers) s.close();
    if (!(e instanceof NetError)) throw e;
    out('Listen: listen tcp :53: bind: address already in use');
    return 1;
  }
  out('.:53');
  out(`[INFO] plugin/reload: Running configuration SHA512 = ${createHash('sha512').update(corefile).digest('hex')}`);
  out(`CoreDNS-${version}`);
  out(`linux/amd64, ${BUILDS[version] ?? BUILDS['1.11.3']}`);
  while (!ctx.signal.aborted && !ready(ctx)) {
    if (!(await sleep(1000, ctx.signal))) break;
    if (!ready(ctx)) out('[INFO] plugin/ready: Still waiting on: "kubernetes"');
  }
  if (!ctx.signal.aborted) await new Promise<void>((r) => ctx.signal.addEventListener('abort', () => r(), { once: true }));
  for (const s of servers) s.close();
  if (ctx.signal.reason === 'SIGKILL') return 137;
  out('[INFO] SIGTERM: Shutting down servers then terminating');
  out('[INFO] plugin/health: Going into lameduck mode for 5s');
  return 0;
}

/** The coredns image (ENTRYPOINT /coredns). */
export const corednsImage: ImageDef = {
  repositories: ['coredns/coredns', 'coredns'],
  entrypoint: ['/coredns'],
  cmd: [],
  programs: { coredns },
};
