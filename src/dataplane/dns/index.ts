/**
 * Cluster DNS: a CoreDNS-like plugin chain (errors → log → kubernetes → forward) over the cluster
 * view's Namespaces, Services, EndpointSlices and Pods, served on a real loopback port for the host and,
 * through the handler its Cluster hands to its pods, by the coredns image inside the cluster.
 */
import type { ClusterView } from '../../client/view.js';
import type { ConnectionBudget } from '../../net/budget.js';
import { ClusterCache } from './plugins/kubernetes/cache.js';
import { kubernetesPlugin } from './plugins/kubernetes/index.js';
import type { PodsMode } from './plugins/kubernetes/records.js';
import { forwardPlugin, type ForwardOptions } from './plugins/forward/index.js';
import { errorsPlugin } from './plugins/errors.js';
import { logPlugin } from './plugins/log.js';
import { createHandler, type DnsHandler } from './handler.js';
import { listenHost } from './serve/host.js';
import type { Plugin } from './types.js';

export type { DnsHandler } from './handler.js';
export { serveOnStack } from './serve/stack.js';

/** How to start cluster DNS. */
export interface ClusterDNSOptions {
  /** The cluster view DNS answers from. */
  view: ClusterView;
  /** Host port on 127.0.0.1 (UDP and TCP); 0 picks a free one; omitted: no host listener. */
  hostPort?: number;
  zone?: string;
  ttl?: number;
  pods?: PodsMode;
  /** Service and pod CIDRs (reverse names inside them are never forwarded). */
  cidrs?: string[];
  forward?: ForwardOptions;
  /** Receives error lines (and, with `queryLog`, one line per query). */
  log?: (line: string) => void;
  queryLog?: boolean;
  /** The process's host connection budget: the TCP host listener gets a gate (absent: no cap). */
  connections?: ConnectionBudget;
}

/** Running cluster DNS. */
export interface ClusterDNS {
  handler: DnsHandler;
  /** The host listener's port (undefined without one). */
  port: number | undefined;
  synced(): boolean;
  stop(): Promise<void>;
}

/** Subscribes to the view, starts the handler and (with hostPort) the loopback listener. */
export async function startClusterDNS(o: ClusterDNSOptions): Promise<ClusterDNS> {
  const cache = new ClusterCache(o.view);
  let synced = false;
  const log = o.log ?? (() => undefined);
  const plugins: Plugin[] = [errorsPlugin(log)];
  if (o.queryLog) plugins.push(logPlugin(log));
  plugins.push(
    kubernetesPlugin({ cache, synced: () => synced, zone: o.zone, ttl: o.ttl, pods: o.pods, cidrs: o.cidrs }),
    forwardPlugin({ log, ...o.forward }),
  );
  const handler = createHandler({ plugins, synced: () => synced, generation: () => cache.generation });
  synced = true;
  let host;
  try {
    host = o.hostPort === undefined ? undefined : await listenHost(handler, o.hostPort, log, o.connections);
  } catch (e) {
    cache.stop();
    throw e;
  }
  return {
    handler,
    port: host?.port,
    synced: () => synced,
    async stop() {
      cache.stop();
      await host?.close();
    },
  };
}
