/**
 * Cluster DNS: the server blocks and plugins of a Corefile (kubeadm's until a coredns pod applies
 * the one it mounts) over the cluster view's Namespaces, Services, EndpointSlices and Pods, served on
 * a real loopback port for the host and, through the service its Cluster hands to its pods, by the
 * coredns image inside the cluster. One compiled chain per Corefile text; queries never re-parse.
 */
import type { ClusterView } from '../../client/view.js';
import type { ConnectionBudget } from '../../net/budget.js';
import type { NetStack } from '../../net/types.js';
import { ClusterCache } from './plugins/kubernetes/cache.js';
import type { ForwardOptions } from './plugins/forward/index.js';
import { createHandler, type DnsHandler, type Routes } from './handler.js';
import { listenHost } from './serve/host.js';
import { compileCorefile, serverFor, type CorefileConfig } from './config/compile.js';
import { defaultCorefile } from './config/default.js';

export type { DnsHandler, QueryContext } from './handler.js';
export type { CorefileConfig } from './config/compile.js';
export { CorefileError } from './corefile/lexer.js';
export { serveOnStack } from './serve/stack.js';

/** How to start cluster DNS. */
export interface ClusterDNSOptions {
  /** The cluster view DNS answers from. */
  view: ClusterView;
  /** Host port on 127.0.0.1 (UDP and TCP); 0 picks a free one; omitted: no host listener. */
  hostPort?: number;
  /** The cluster domain of the default Corefile (cluster.local). */
  zone?: string;
  /** The Corefile served until a coredns pod applies one (default: kubeadm's). */
  corefile?: string;
  /** Service and pod CIDRs (reverse names inside them are never forwarded). */
  cidrs?: string[];
  /** How `forward . /etc/resolv.conf` asks the host's resolver. */
  forward?: ForwardOptions;
  /** Receives error lines of queries no coredns pod served (the host listener's). */
  log?: (line: string) => void;
  /** The process's host connection budget: the TCP host listener gets a gate (absent: no cap). */
  connections?: ConnectionBudget;
  /** The stack that queries no pod served (the host listener's) reach cluster-network upstreams from (a node's). */
  stack?: () => NetStack | undefined;
}

/** What a coredns process passes when it compiles its Corefile. */
export interface CompileSource {
  /** The -conf path (error messages name it). */
  file?: string;
  /** Reads files as the pod sees them (hosts files, imports, resolv.conf files). */
  readFile?: (path: string) => string | undefined;
  env?: Readonly<Record<string, string | undefined>>;
  /** Where setup warnings go. */
  log?: (line: string) => void;
}

/** The cluster's DNS service as the coredns image uses it: the port-53 handler plus Corefile control. */
export interface DnsService extends DnsHandler {
  /** The handler of another port of the current Corefile (server blocks on `:PORT`). */
  port(port: number): DnsHandler;
  /** Compiles Corefile text (throws CorefileError with CoreDNS's wording). */
  compile(text: string, src?: CompileSource): CorefileConfig;
  /** Serves a compiled Corefile from now on (the previous one keeps serving until then). */
  use(cfg: CorefileConfig): void;
  /** The Corefile served now. */
  current(): CorefileConfig;
  /** A handler for a compiled Corefile that is not the cluster's (a coredns the user runs for themselves). */
  standalone(cfg: () => CorefileConfig, port: number): DnsHandler;
}

/** Running cluster DNS. */
export interface ClusterDNS {
  handler: DnsService;
  /** The host listener's port (undefined without one). */
  port: number | undefined;
  synced(): boolean;
  stop(): Promise<void>;
}

const CIDRS = ['10.96.0.0/12', '10.244.0.0/16'];

/** Subscribes to the view, compiles the initial Corefile, starts the handler and (with hostPort) the loopback listener. */
export async function startClusterDNS(o: ClusterDNSOptions): Promise<ClusterDNS> {
  const cache = new ClusterCache(o.view);
  let synced = false;
  const log = o.log ?? (() => undefined);
  const compile = (text: string, src: CompileSource = {}): CorefileConfig => compileCorefile(text, {
    cache, synced: () => synced, cidrs: o.cidrs ?? CIDRS, readFile: src.readFile ?? (() => undefined), log: src.log ?? log,
    now: () => Date.now(), random: Math.random, file: src.file, env: src.env, upstream: o.forward,
  });
  let current = compile(o.corefile ?? defaultCorefile(o.zone ?? 'cluster.local'));
  let generation = 0;
  const routesByPort = new Map<number, Routes>();
  const routes = (port: number): Routes => {
    let r = routesByPort.get(port);
    if (!r) {
      const cfg = current;
      r = { generation, reuse: cfg.reuse, route: (lname) => serverFor(cfg, port, lname)?.run };
      routesByPort.set(port, r);
    }
    return r;
  };
  const handlers = new Map<number, DnsHandler>();
  const handlerFor = (port: number): DnsHandler => {
    let h = handlers.get(port);
    if (!h) { h = createHandler({ routes: () => routes(port), synced: () => synced, generation: () => cache.generation }); handlers.set(port, h); }
    return h;
  };
  const main = handlerFor(53);
  const service: DnsService = {
    handle: (q, t, c, via) => main.handle(q, t, c, via ?? { net: o.stack?.() }),
    cached: (q, t) => main.cached(q, t),
    synced: () => synced,
    port: handlerFor,
    compile,
    use(cfg) {
      if (cfg === current) return;
      current = cfg;
      generation++;
      routesByPort.clear();
    },
    current: () => current,
    standalone(cfg, port) {
      let r: (Routes & { cfg: CorefileConfig }) | undefined;
      const routesOf = (): Routes => {
        const c = cfg();
        if (r?.cfg !== c) r = { cfg: c, generation: (r?.generation ?? 0) + 1, reuse: c.reuse, route: (lname) => serverFor(c, port, lname)?.run };
        return r;
      };
      return createHandler({ routes: routesOf, synced: () => synced, generation: () => cache.generation });
    },
  };
  synced = true;
  let host;
  try {
    host = o.hostPort === undefined ? undefined : await listenHost(service, o.hostPort, log, o.connections);
  } catch (e) {
    cache.stop();
    throw e;
  }
  return {
    handler: service,
    port: host?.port,
    synced: () => synced,
    async stop() {
      cache.stop();
      await host?.close();
    },
  };
}
