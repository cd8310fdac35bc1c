/**
 * Cluster DNS: a CoreDNS-like plugin chain (errors → log → kubernetes → forward) over informers on
 * Namespaces, Services, EndpointSlices and Pods, served on a real loopback port for the host and,
 * through the handler its Cluster hands to its pods, by the coredns image inside the cluster.
 */
import type { Client } from '../../client/client.js';
import { inform, type Informer } from '../../client/informer.js';
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
  client: Client;
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
}

/** Running cluster DNS. */
export interface ClusterDNS {
  handler: DnsHandler;
  /** The host listener's port (undefined without one). */
  port: number | undefined;
  synced(): boolean;
  stop(): Promise<void>;
}

/** Starts the informers, the handler and (with hostPort) the loopback listener. */
export async function startClusterDNS(o: ClusterDNSOptions): Promise<ClusterDNS> {
  const cache = new ClusterCache();
  let synced = false;
  const log = o.log ?? (() => undefined);
  const plugins: Plugin[] = [errorsPlugin(log)];
  if (o.queryLog) plugins.push(logPlugin(log));
  plugins.push(
    kubernetesPlugin({ cache, synced: () => synced, zone: o.zone, ttl: o.ttl, pods: o.pods, cidrs: o.cidrs }),
    forwardPlugin({ log, ...o.forward }),
  );
  const handler = createHandler({ plugins, synced: () => synced, generation: () => cache.generation });
  const informers: Informer[] = [];
  const feed = (resource: string, group: string | undefined, apply: (obj: Parameters<ClusterCache['service']>[0], deleted: boolean) => void): void => {
    informers.push(inform(o.client, { resource, group }, { add: (x) => apply(x, false), update: (x) => apply(x, false), delete: (x) => apply(x, true) }));
  };
  feed('namespaces', undefined, (x, d) => cache.namespace(x, d));
  feed('services', undefined, (x, d) => cache.service(x, d));
  feed('endpointslices', 'discovery.k8s.io', (x, d) => cache.slice(x, d));
  feed('pods', undefined, (x, d) => cache.pod(x, d));
  synced = true;
  let host;
  try {
    host = o.hostPort === undefined ? undefined : await listenHost(handler, o.hostPort, log);
  } catch (e) {
    for (const i of informers) i.stop();
    throw e;
  }
  return {
    handler,
    port: host?.port,
    synced: () => synced,
    async stop() {
      for (const i of informers.splice(0)) i.stop();
      await host?.close();
    },
  };
}
